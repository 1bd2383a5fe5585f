"""A live server on loopback and a headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright
from support import DATA, ROOT, load_courses, make_user, served_by_gunicorn

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def live_server(make_app, database_url, tmp_path):
    """Serve the shipped course with `quizapp serve` (gunicorn, as in production) and an instructor account;
    yield its base URL."""
    yield from _serve(make_app, database_url, tmp_path, ROOT / "content")


@pytest.fixture
def demo_server(make_app, database_url, tmp_path):
    """Serve the small test course (every question kind) the same way; yield its base URL."""
    yield from _serve(make_app, database_url, tmp_path, DATA / "courses")


def _serve(make_app, database_url, tmp_path, content):
    app = make_app()
    with app.app_context():
        load_courses(content)
        make_user("teacher@example.org", role="instructor")
    with served_by_gunicorn(database_url, tmp_path / "gunicorn.log", RATELIMIT_ENABLED="0",
                            PASSWORD_HASH_METHOD="pbkdf2:sha256:1000") as base:
        yield base


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
