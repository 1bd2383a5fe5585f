"""A live server on loopback and a headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import sync_playwright
from support import ROOT, load_courses, make_user
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def live_server(make_app):
    """Serve the app with the shipped course and an instructor account; yield its base URL."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        load_courses(ROOT / "content")
        make_user("teacher@example.org", role="instructor")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's binary; nothing is downloaded)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) with JavaScript on."""
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def page_without_js(browser):
    """A fresh browser context with JavaScript off, to prove the forms work without it."""
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
