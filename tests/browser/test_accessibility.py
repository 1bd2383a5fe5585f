"""Every page a person can reach, checked in a real browser for the basics a screen reader needs,
and a question answered with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from support import PASSWORD, make_author, make_user

from quizapp.services.accounts import accounts
from quizapp.services.teaching import classes

pytestmark = pytest.mark.browser

COURSE = "/courses/nextjs-server-logic"
LESSON = f"{COURSE}/server-logic-in-nextjs"

AUDIT = """() => {
  const bad = [];
  const describe = (el) => el.outerHTML.slice(0, 140);
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby');
    if (!named) bad.push('unlabelled control: ' + describe(el));
  }
  for (const el of document.querySelectorAll('button')) {
    if (!(el.textContent.trim() || el.getAttribute('aria-label'))) bad.push('button without text: ' + describe(el));
  }
  for (const el of document.querySelectorAll('a[href]')) {
    if (!(el.textContent.trim() || el.getAttribute('aria-label'))) bad.push('link without text: ' + describe(el));
  }
  for (const el of document.querySelectorAll('img')) {
    if (!el.hasAttribute('alt')) bad.push('image without alt: ' + describe(el));
  }
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) bad.push('expected one h1, found ' + h1);
  let previous = 0;
  for (const h of document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')) {
    const level = Number(h.tagName[1]);
    if (previous && level > previous + 1) {
      bad.push('heading jumps to ' + h.tagName + ': ' + h.textContent.trim().slice(0, 50));
    }
    previous = level;
  }
  if (!document.documentElement.lang) bad.push('no lang on <html>');
  if (!document.querySelector('main')) bad.push('no <main> landmark');
  return bad;
}"""


def log_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def audit(page, base, path):
    """Open a page and return what it lacks, prefixed with its path."""
    response = page.goto(f"{base}{path}")
    assert response is not None and response.status < 400, f"{path}: HTTP {response and response.status}"
    return [f"{path}: {problem}" for problem in page.evaluate(AUDIT)]


@pytest.fixture
def people(live_server, make_app):
    """A class of the live server's instructor with one enrolled learner, and an author."""
    with make_app().app_context():
        learner = make_user("pat@example.org")
        make_author("writer@example.org")
        teacher = accounts.get_user_by_email("teacher@example.org")
        info = classes.create_class(teacher.id, "Period 1")
        classes.join_class(learner.id, info.join_code)
        return {"class_id": info.id, "learner_id": learner.id, "code": info.join_code}


def test_every_page_has_labels_names_and_a_sound_heading_outline(browser, live_server, people):
    problems = []
    visitor = browser.new_context().new_page()
    for path in ["/", COURSE, LESSON, f"{LESSON}/where-action-body-runs", "/login", "/signup", "/password/forgot"]:
        problems += audit(visitor, live_server, path)

    learner = browser.new_context().new_page()
    log_in(learner, live_server, "pat@example.org")
    learner.goto(f"{live_server}{LESSON}")
    learner.locator("#q-where-action-body-runs").get_by_label(re.compile("In the browser")).check()
    learner.locator("#q-where-action-body-runs").get_by_role("button", name="Check answer").click()
    expect(learner.locator("#q-where-action-body-runs .result")).to_be_visible()
    problems += [f"{LESSON} (graded): {p}" for p in learner.evaluate(AUDIT)]
    for path in ["/progress", "/classes", "/password/change", f"/join/{people['code']}"]:
        problems += audit(learner, live_server, path)

    teacher = browser.new_context().new_page()
    log_in(teacher, live_server, "teacher@example.org")
    base = f"/dashboard/classes/{people['class_id']}"
    for path in ["/dashboard", base, f"{base}/items", f"{base}/learners/{people['learner_id']}"]:
        problems += audit(teacher, live_server, path)

    author = browser.new_context().new_page()
    log_in(author, live_server, "writer@example.org")
    for path in ["/author/", "/author/courses/nextjs-server-logic/lessons/server-logic-in-nextjs/edit"]:
        problems += audit(author, live_server, path)
    assert not problems, "\n".join(problems)


def test_a_question_can_be_answered_with_the_keyboard_alone(page, live_server):
    log_in(page, live_server, "teacher@example.org")
    page.goto(f"{live_server}{LESSON}")
    first_choice = page.locator("#q-where-action-body-runs input[type=radio]").first
    first_choice.focus()
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys
    expect(page.locator("#q-where-action-body-runs input[type=radio]").nth(1)).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("#q-where-action-body-runs").get_by_role("button", name="Check answer")).to_be_focused()
    page.keyboard.press("Enter")
    result = page.locator("#q-where-action-body-runs .result")
    expect(result).to_contain_text(re.compile(r"Correct\.|Not quite\."))  # choices are shuffled per learner
    expect(result).to_be_focused()  # the outcome is announced where the learner is
