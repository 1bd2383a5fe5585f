"""Spaced review in a real browser, with JavaScript: a question missed in a lesson comes back in Review after
its learning step, is answered in place, and goes days ahead after the second learning step. The test makes
the card due by moving its due time in the database (the time the learning step would take), never by
sleeping."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from quizapp.extensions import db
from quizapp.models import ReviewCard, utcnow

pytestmark = pytest.mark.browser

LESSON = "/courses/demo/basics"


def sign_up(page, base: str, email: str) -> None:
    page.goto(f"{base}/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_label("Repeat the password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign up").click()


def make_due(app) -> None:
    """Move every card's due time to a second ago: what waiting out the learning step would do."""
    with app.app_context():
        db.session.execute(update(ReviewCard).values(due=utcnow() - timedelta(seconds=1)))
        db.session.commit()


def test_a_missed_question_comes_back_in_review_and_goes_days_ahead(page, demo_server, make_app):
    app = make_app()
    sign_up(page, demo_server, "review@example.org")
    page.goto(f"{demo_server}{LESSON}")
    where = page.locator("#q-where")
    where.get_by_label(re.compile("In the browser")).check()
    where.get_by_role("button", name="Check answer").click()
    expect(page.locator("#q-where").get_by_text("Have another go")).to_be_visible()

    page.get_by_role("link", name="Review").click()
    expect(page.get_by_text("Nothing to review now")).to_be_visible()
    expect(page.get_by_text(re.compile(r"The next card comes in 1 minute"))).to_be_visible()

    make_due(app)
    page.reload()
    expect(page.locator(".due-count")).to_have_text("1")
    card = page.locator("section.question")
    expect(card).to_contain_text("Where does it run?")
    card.get_by_label(re.compile("On the server")).check()
    card.get_by_role("button", name="Check answer").click()
    expect(page.locator("section.question").get_by_text("comes back for review in 10 minutes")).to_be_visible()
    assert page.url.endswith("/review")  # answered in place

    make_due(app)
    page.goto(f"{demo_server}/review")
    card = page.locator("section.question")
    card.get_by_label(re.compile("On the server")).check()
    card.get_by_role("button", name="Check answer").click()
    expect(page.locator("section.question").get_by_text(re.compile(r"comes back for review in \d+ days?"))
           ).to_be_visible()
    page.locator("section.question").get_by_role("link", name="Continue").click()
    expect(page.get_by_text("Nothing to review now")).to_be_visible()
