"""The answering loop in a real browser, with JavaScript and without: one more try before the solution, the
chosen answer marked, Continue, the lesson's count and summary, and a returning learner."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from support import PASSWORD

pytestmark = pytest.mark.browser

LESSON = "/courses/demo/basics"


def sign_up(page, base: str, email: str) -> None:
    page.goto(f"{base}/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Welcome! Pick a course to start.")).to_be_visible()


def check(question, label: str, button: str = "Check answer") -> None:
    question.get_by_label(re.compile(label)).check()
    question.get_by_role("button", name=button).click()


def test_the_loop_in_place_with_javascript(page, demo_server):
    sign_up(page, demo_server, "loop@example.org")
    page.goto(f"{demo_server}{LESSON}")
    expect(page.get_by_text("0 of 5 answered")).to_be_visible()
    where = page.locator("#q-where")
    where.get_by_role("button", name=re.compile("Show a hint")).click()
    expect(page.locator("#q-where").get_by_text("Think about secrets.")).to_be_visible()

    check(page.locator("#q-where"), "In the browser")
    where = page.locator("#q-where")
    expect(where.locator(".choice.marked-wrong")).to_contain_text("✗ Not right")
    expect(where.get_by_text("Have another go")).to_be_visible()
    expect(where.locator(".solution")).to_have_count(0)
    expect(page.get_by_text("1 of 5 answered")).to_be_visible()  # recounted in place
    assert page.url.endswith(LESSON)

    check(where, "Wherever it was imported", "Check again")
    where = page.locator("#q-where")
    expect(where.locator(".solution")).to_contain_text("It runs on the server.")
    expect(where.locator(".choice.marked-wrong")).to_contain_text("Wherever it was imported")
    where.get_by_role("link", name="Continue").click()
    expect(page.locator("#q-pick .question-title")).to_be_focused()  # the next question not answered yet

    pick = page.locator("#q-pick")
    pick.get_by_label(re.compile("serve other clients")).check()
    pick.get_by_label(re.compile("POST endpoints")).check()
    pick.get_by_role("button", name="Check answer").click()
    pick = page.locator("#q-pick")
    expect(pick.get_by_text("Correct.")).to_be_visible()
    expect(pick.get_by_role("button", name="Check again")).to_have_count(0)

    page.reload()  # a returning learner sees their last answers and their results
    expect(page.locator("#q-where .choice.marked-wrong input")).to_be_checked()
    expect(page.locator("#q-pick .badge")).to_have_text("Answered correctly")
    expect(page.get_by_text("2 of 5 answered")).to_be_visible()


def test_the_loop_without_javascript_ends_in_the_summary(page_without_js, demo_server):
    page = page_without_js
    sign_up(page, demo_server, "nojs@example.org")
    page.goto(f"{demo_server}{LESSON}#q-where")
    check(page.locator("#q-where"), "In the browser")
    expect(page.get_by_text("Have another go")).to_be_visible()
    expect(page.locator(".choice.marked-wrong")).to_contain_text("In the browser")
    expect(page.locator(".solution")).to_have_count(0)
    page.get_by_role("button", name="Show the solution").click()
    expect(page.locator(".solution")).to_contain_text("It runs on the server.")
    page.get_by_role("link", name="Continue").click()
    assert page.url.endswith(f"{LESSON}#q-pick")

    for anchor, field, value in (("method", "Your answer", "post"), ("status", "Your answer (a number)", "405")):
        page.goto(f"{demo_server}{LESSON}/{anchor}")
        page.get_by_label(field).fill(value)
        page.get_by_role("button", name="Check answer").click()
        expect(page.get_by_text("Correct.")).to_be_visible()
        expect(page.get_by_label(field)).to_have_value(value)  # kept in its field
    page.goto(f"{demo_server}{LESSON}/steps")
    page.get_by_role("button", name="Check answer").click()  # the order as shown: never the right one
    expect(page.locator(".order-item.marked-wrong").first).to_be_visible()
    page.get_by_role("button", name="Show the solution").click()
    page.goto(f"{demo_server}{LESSON}/pick")
    page.get_by_label(re.compile("private")).check()
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_text("Not quite.")).to_be_visible()
    page.get_by_role("button", name="Show the solution").click()
    page.get_by_role("link", name="Continue").click()  # nothing left unanswered: the summary
    expect(page.get_by_role("heading", name="Lesson summary: Basics")).to_be_visible()
    expect(page.get_by_text("You got 2 of 5 questions right.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("To review"))).to_be_visible()
    expect(page.get_by_role("link", name="Next lesson: More")).to_be_visible()


def test_answer_tiles_are_whole_targets_at_least_44px_tall(page, demo_server):
    sign_up(page, demo_server, "tiles@example.org")
    page.goto(f"{demo_server}{LESSON}")
    tile = page.locator("#q-where label.choice").filter(has_text="Wherever it was imported")
    tile.locator(".choice-text").click()  # the text, not the radio
    expect(tile.locator("input")).to_be_checked()
    for box in (t.bounding_box() for t in page.locator("#q-where label.choice, #q-where .actions button").all()):
        assert box["height"] >= 44, box
    radio, text = tile.locator("input").bounding_box(), tile.locator(".choice-text").bounding_box()
    assert abs((radio["y"] + radio["height"] / 2) - (text["y"] + 12)) < 8  # the radio sits on the first line
