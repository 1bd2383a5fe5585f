"""Every page of every role (visitor, learner, author, instructor, admin) in a real browser: axe-core finds
no serious or critical violation in the light or the dark scheme, and nothing scrolls sideways on a
390 px phone (wide tables and code scroll inside their own box)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from support import PASSWORD, ROOT, make_author, make_user

from quizapp.services.accounts import accounts
from quizapp.services.teaching import classes

pytestmark = pytest.mark.browser

COURSE = "/courses/nextjs-server-logic"
LESSONS = [path.stem[3:] for path in sorted((ROOT / "content" / "nextjs-server-logic").glob("[0-9][0-9]-*.md"))]
LESSON = f"{COURSE}/{LESSONS[0]}"
QUESTION = f"{LESSON}/where-action-body-runs"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AXE = Axe()


@pytest.fixture
def people(live_server, make_app):
    """A class of the live server's instructor with one learner in it, an author and an admin."""
    with make_app().app_context():
        learner = make_user("pat@example.org")
        make_author("writer@example.org")
        make_user("boss@example.org", role="admin")
        teacher = accounts.get_user_by_email("teacher@example.org")
        info = classes.create_class(teacher.id, "Period 1")
        classes.join_class(learner.id, info.join_code)
        return {"class_id": info.id, "learner_id": learner.id, "code": info.join_code}


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("form[action$='/logout']")).to_be_attached()  # folded in the menu on a phone


def every_page(browser, base: str, people: dict, **context) -> Iterator[tuple[Page, str]]:
    """Open every page of every role in fresh contexts; yield (page, label) with the page loaded."""

    def new_tab() -> Page:
        tab = browser.new_context(**context).new_page()
        tab.set_default_timeout(10_000)
        return tab

    def visit(page: Page, role: str, path: str) -> tuple[Page, str]:
        response = page.goto(f"{base}{path}")
        assert response is not None, path
        return page, f"{role} {path} (HTTP {response.status})"

    tab = new_tab()
    for path in ["/", COURSE, *(f"{COURSE}/{slug}" for slug in LESSONS), QUESTION, "/login", "/signup",
                 "/password/forgot", f"/join/{people['code']}", "/no-such-page"]:
        yield visit(tab, "visitor", path)
    tab.context.close()

    tab = new_tab()
    log_in(tab, base, "pat@example.org")
    tab.goto(f"{base}{LESSON}")
    question = tab.locator("#q-where-action-body-runs")
    if question.get_by_role("button", name="Check answer").count():  # the first sweep answered it already
        question.get_by_label(re.compile("In the browser")).check()
        question.get_by_role("button", name="Check answer").click()
    expect(question.locator(".result")).to_be_visible()
    yield tab, f"learner {LESSON} (answered)"
    for path in [COURSE, f"{LESSON}/summary", "/progress", "/classes", "/password/change", f"/join/{people['code']}"]:
        yield visit(tab, "learner", path)
    tab.context.close()

    tab = new_tab()
    log_in(tab, base, "teacher@example.org")
    home = f"/dashboard/classes/{people['class_id']}"
    for path in ["/dashboard", home, f"{home}/items", f"{home}/learners/{people['learner_id']}"]:
        yield visit(tab, "instructor", path)
    tab.goto(f"{base}{home}/items")
    item = tab.locator("a[href*='/items/']").first.get_attribute("href")
    yield visit(tab, "instructor", item)
    tab.context.close()

    tab = new_tab()
    log_in(tab, base, "writer@example.org")
    for path in ["/author/", f"/author/courses/nextjs-server-logic/lessons/{LESSONS[-1]}/edit"]:
        yield visit(tab, "author", path)
    tab.context.close()

    tab = new_tab()
    log_in(tab, base, "boss@example.org")
    for path in ["/dashboard", "/author/", COURSE]:
        yield visit(tab, "admin", path)
    tab.context.close()


def serious_axe_violations(page: Page, label: str) -> list[str]:
    results = AXE.run(page)
    return [
        f"{label}: {v['id']} ({v['impact']}) {v['help']}: " + "; ".join(n["html"][:90] for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sideways(page: Page, label: str) -> list[str]:
    width = page.evaluate("document.documentElement.scrollWidth")
    return [f"{label}: the page is {width} px wide"] if width > PHONE["width"] else []


def sweep(browser, base, people, check: Callable[[Page, str], list[str]], **context) -> list[str]:
    problems: list[str] = []
    for page, label in every_page(browser, base, people, **context):
        problems += check(page, label)
    return problems


def test_axe_finds_no_serious_violation_in_light_or_dark(browser, live_server, people):
    problems = sweep(browser, live_server, people, serious_axe_violations, color_scheme="light", viewport=DESKTOP)
    problems += sweep(browser, live_server, people, serious_axe_violations, color_scheme="dark", viewport=DESKTOP)
    assert not problems, "\n".join(problems)


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, people):
    """At 390 px, in the dark scheme, with axe run too (the phone layout has its own header menu)."""

    def check(page: Page, label: str) -> list[str]:
        return sideways(page, label) + serious_axe_violations(page, label + " at 390 px")

    problems = sweep(browser, live_server, people, check, color_scheme="dark", viewport=PHONE)
    assert not problems, "\n".join(problems)


def test_the_phone_header_folds_into_a_menu_that_works_without_javascript(browser, live_server, people):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, "pat@example.org")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 70  # one row: the brand and "Menu"
    expect(page.get_by_role("link", name="My progress")).to_be_hidden()
    page.locator(".menu > summary").click()
    for name in ["Courses", "My progress", "My classes"]:
        link = page.get_by_role("link", name=name)
        expect(link).to_be_visible()
        assert link.bounding_box()["height"] >= 44, name
    assert page.get_by_role("button", name="Log out").bounding_box()["height"] >= 44
    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    context.close()

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, live_server, "pat@example.org")
    expect(page.get_by_role("link", name="My progress")).to_be_visible()  # no menu button on a wide screen
    expect(page.locator(".menu > summary")).to_be_hidden()
    context.close()


def test_the_order_question_by_touch_on_a_phone(browser, live_server, people):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, "pat@example.org")
    page.goto(f"{live_server}{COURSE}/{LESSONS[1]}")
    question = page.locator("section.question", has=page.locator("ol[data-order-list]")).first
    ups = question.get_by_role("button", name=re.compile("^Move up"))
    downs = question.get_by_role("button", name=re.compile("^Move down"))
    count = ups.count()
    assert count >= 3
    for button in [*ups.all(), *downs.all()]:
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, box
    expect(ups.first).to_be_disabled()
    expect(downs.last).to_be_disabled()
    expect(ups.nth(1)).to_be_enabled()
    first_text = question.locator(".order-item .item-text").first.inner_text()
    downs.first.tap()
    assert question.locator(".order-item .item-text").nth(1).inner_text() == first_text
    expect(ups.first).to_be_disabled()  # still the first row's, now another item's
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    question.get_by_role("button", name="Check answer").tap()
    expect(question.locator(".result")).to_be_visible()
    context.close()
