"""Retake the README's screenshot (docs/screenshot.png) with Playwright and Debian's Chromium.

Skipped in a normal run; to retake it:
    QUIZAPP_RETAKE_SCREENSHOTS=1 .venv/bin/pytest -q tests/browser/test_screenshots.py
QUIZAPP_SCREENSHOT_DIR=<folder> also saves a phone, a dark and a course-page view there, to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from support import PASSWORD, ROOT, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.environ.get("QUIZAPP_RETAKE_SCREENSHOTS"), reason="set QUIZAPP_RETAKE_SCREENSHOTS=1"),
]

COURSE = "/courses/nextjs-server-logic"
LESSON = f"{COURSE}/server-logic-in-nextjs"


def test_retake_the_readme_screenshot(browser, live_server, make_app):
    with make_app().app_context():
        make_user("pat@example.org")
    extra = os.environ.get("QUIZAPP_SCREENSHOT_DIR")
    for scheme, viewport, name in [("light", {"width": 1100, "height": 900}, None),
                                   ("light", {"width": 390, "height": 844}, "phone"),
                                   ("dark", {"width": 1280, "height": 900}, "dark")]:
        if name and not extra:
            continue
        context = browser.new_context(color_scheme=scheme, viewport=viewport, device_scale_factor=1)
        page = context.new_page()
        page.goto(f"{live_server}/login")
        page.get_by_label("Email").fill("pat@example.org")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        if extra:
            page.goto(f"{live_server}{COURSE}")
            page.screenshot(path=str(Path(extra) / f"course-{name or 'desktop'}.png"), full_page=True)
        page.goto(f"{live_server}{LESSON}")
        question = page.locator("#q-where-action-body-runs")
        if question.get_by_role("button", name="Check answer").count():
            question.get_by_label(re.compile("In the browser")).check()
            question.get_by_role("button", name="Check answer").click()
        expect(question.locator(".result")).to_be_visible()
        question.scroll_into_view_if_needed()
        page.evaluate("document.querySelector('#q-where-action-body-runs').scrollIntoView({block: 'start'})")
        if name:
            page.screenshot(path=str(Path(extra) / f"lesson-{name}.png"))
        else:
            page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))
            if extra:
                page.goto(f"{live_server}/progress")
                page.screenshot(path=str(Path(extra) / "progress-desktop.png"), full_page=True)
        context.close()
