"""Running a school in a real browser: the admin area, a roster's printed cards, a late learner on the overview."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from support import PASSWORD, make_user

from quizapp.services.teaching import classes

pytestmark = pytest.mark.browser


def log_in(page, base: str, email: str) -> None:
    """Sign in through the login form."""
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_admin_finds_an_account_changes_its_role_disables_it_and_reads_the_log(page, demo_server, make_app):
    with make_app().app_context():
        make_user("head@example.org", role="admin")
        make_user("kim@example.org")
    log_in(page, demo_server, "head@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    page.get_by_label("Search by email, username or name").fill("kim")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="kim@example.org").click()
    page.get_by_label("New role").select_option("author")
    page.get_by_role("button", name="Change role").click()
    expect(page.locator("#role")).to_have_text("author")
    page.get_by_role("button", name="Disable the account").click()
    expect(page.locator("#state")).to_have_text("disabled")
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("cell", name="disable", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="learner -> author")).to_be_visible()


def test_roster_prints_one_page_of_cards_and_a_pupil_signs_in_with_one(page, browser, demo_server):
    log_in(page, demo_server, "teacher@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.get_by_label("Name").fill("Period 1")
    page.get_by_role("button", name="Create class").click()
    page.get_by_role("link", name="Members").click()
    names = "\n".join(f"Pupil Number{n}" for n in range(10))
    page.get_by_label("Names").fill(names)
    page.get_by_role("button", name="Add pupils and print cards").click()
    expect(page.locator(".pupil-card")).to_have_count(10)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".no-print").first).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # ten cards, one printed page
    page.emulate_media(media="screen")
    username = page.locator(".card-username").first.inner_text()
    code = page.locator(".card-code").first.inner_text()
    pupil = browser.new_context().new_page()
    pupil.goto(f"{demo_server}/login")
    pupil.get_by_role("link", name="Sign in here").click()
    pupil.get_by_label("Username").fill(username)
    pupil.get_by_label("Code or password").fill(code)
    pupil.get_by_role("button", name="Sign in").click()
    expect(pupil.get_by_role("heading", name="Choose your password")).to_be_visible()
    pupil.get_by_label("New password", exact=True).fill("a sea shell of my own")
    pupil.get_by_label("Repeat the new password").fill("a sea shell of my own")
    pupil.get_by_role("button", name="Save my password").click()
    expect(pupil.get_by_text("Your password is set.")).to_be_visible()
    pupil.context.close()


def test_a_late_learner_shows_on_the_overview(page, demo_server, make_app):
    with make_app().app_context():
        from_teacher = make_user("lead@example.org", role="instructor")
        info = classes.create_class(from_teacher.id, "Period 2")
        classes.join_class(make_user("kim@example.org").id, info.join_code)
    log_in(page, demo_server, "lead@example.org")
    page.goto(f"{demo_server}/dashboard/classes/{info.id}/assignments")
    two_days_ago = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    page.get_by_label("Due date (end of the day, UTC)").fill(two_days_ago)
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("cell", name="the whole course")).to_be_visible()
    page.get_by_role("link", name="Back to the overview").click()
    row = page.get_by_role("row", name=re.compile("kim@example.org"))
    expect(row.locator(".badge.late")).to_have_text("late")
    expect(row.get_by_text("behind")).to_be_visible()
