"""The main path in a real browser: sign up, study, answer wrong, read the named mistake, answer right,
see progress, and the instructor sees it on the dashboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from support import PASSWORD

pytestmark = pytest.mark.browser

LESSON = "/courses/nextjs-server-logic/server-logic-in-nextjs"
QUESTION = "#q-where-action-body-runs"


def sign_up(page, base: str, email: str) -> None:
    """Create an account through the sign-up form."""
    page.goto(f"{base}/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Welcome! Pick a course to start.")).to_be_visible()


def log_in(page, base: str, email: str) -> None:
    """Sign in through the login form."""
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def create_class(page, base: str, name: str) -> str:
    """As the instructor, create a class on the dashboard and return its join code."""
    log_in(page, base, "teacher@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create class").click()
    expect(page.get_by_role("heading", name=re.compile(name))).to_be_visible()  # the new class's page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    code = page.get_by_role("row", name=re.compile(name)).locator("code").inner_text()
    page.get_by_role("button", name="Log out").click()
    return code


def test_learner_journey_with_javascript(page, live_server):
    code = create_class(page, live_server, "Period 3")
    sign_up(page, live_server, "ada@example.org")
    page.get_by_role("link", name="My classes").click()
    page.get_by_label("Join code").fill(code.lower())
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("heading", name="Period 3")).to_be_visible()

    page.get_by_role("link", name="Courses").click()
    page.get_by_role("link", name=re.compile("Server Logic in Next.js")).first.click()
    page.locator("ol.lessons").get_by_role("link", name=re.compile("what runs where")).click()
    expect(page.locator("pre .k, pre .kd").first).to_be_visible()  # Pygments-highlighted code

    question = page.locator(QUESTION)
    question.get_by_label(re.compile("In the browser")).check()
    question.get_by_role("button", name="Check answer").click()
    question = page.locator(QUESTION)
    expect(question.get_by_text("Not quite.")).to_be_visible()
    expect(question.locator(".feedback")).to_contain_text("This mixes up")
    expect(question.get_by_text("Have another go")).to_be_visible()
    expect(question.locator(".solution")).to_have_count(0)  # the solution waits for a second try
    assert page.url.endswith(LESSON)  # graded in place, no page load

    question.get_by_label(re.compile("On the server, inside")).check()
    question.get_by_role("button", name="Check again").click()
    expect(page.locator(QUESTION).get_by_text("Correct.")).to_be_visible()

    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("what runs where"))).to_contain_text("1 of 5")
    expect(page.get_by_text("Study next")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server, "teacher@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Period 3").click()
    expect(page.get_by_role("row", name=re.compile("ada@example.org"))).to_be_visible()


def test_answering_works_without_javascript(page_without_js, live_server):
    page = page_without_js
    sign_up(page, live_server, "grace@example.org")
    page.goto(f"{live_server}{LESSON}")
    question = page.locator(QUESTION)
    question.get_by_label(re.compile("In the browser")).check()
    question.get_by_role("button", name="Check answer").click()
    expect(page.get_by_text("Not quite.")).to_be_visible()
    expect(page.locator(".feedback")).to_contain_text("This mixes up")
    page.get_by_label(re.compile("On the server, inside")).check()
    page.get_by_role("button", name="Check again").click()
    expect(page.get_by_text("Correct.")).to_be_visible()


def test_order_question_with_move_buttons(page, live_server):
    sign_up(page, live_server, "alan@example.org")
    page.goto(f"{live_server}/courses/nextjs-server-logic/route-handlers")
    question = page.locator("section.question", has=page.locator("ol[data-order-list]")).first
    expect(question.get_by_role("button", name=re.compile("^Move up")).first).to_be_visible()
    question.get_by_role("button", name=re.compile("^Move down")).first.click()
    question.get_by_role("button", name="Check answer").click()
    expect(question.locator(".result")).to_be_visible()
