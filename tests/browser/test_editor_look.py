"""The lesson editor: line numbers beside the text (problem lines marked), Save within reach, and a preview
that keeps the last good rendering while the text has errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support import PASSWORD, make_author

pytestmark = pytest.mark.browser

EDIT = "/author/courses/nextjs-server-logic/lessons/route-handlers/edit"


@pytest.fixture
def editor(browser, live_server, make_app):
    with make_app().app_context():
        make_author("writer@example.org")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill("writer@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}{EDIT}")
    yield page
    context.close()


def test_line_numbers_match_the_text_and_save_stays_in_reach(editor):
    page = editor
    text = page.input_value("#lesson-text")
    gutter = page.locator(".gutter")
    numbers = gutter.inner_text().strip().split("\n")
    assert numbers == [str(n) for n in range(1, len(text.split("\n")) + 1)]
    area = page.locator("#lesson-text").bounding_box()
    assert area["width"] >= 1000  # as wide as the page (the preview goes below it at 1280 px)
    line_height = page.eval_on_selector("#lesson-text", "a => parseFloat(getComputedStyle(a).lineHeight)")
    assert gutter.evaluate("g => parseFloat(getComputedStyle(g).lineHeight)") == line_height  # rows line up
    save = page.get_by_role("button", name="Save")
    assert save.bounding_box()["y"] + save.bounding_box()["height"] <= 900  # no scrolling to reach it
    page.evaluate("() => window.scrollTo(0, 1500)")
    assert page.evaluate("() => window.scrollY") > 500
    box = save.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 900  # the bar sticks to the top


def test_the_preview_keeps_the_last_good_rendering_and_marks_the_problem_lines(editor):
    page = editor
    expect(page.locator("#preview .preview-lesson")).to_be_visible()
    good = page.input_value("#lesson-text")
    lines = good.split("\n")
    title_line = next(n for n, line in enumerate(lines, 1) if line.startswith("title:"))
    broken = "\n".join(line.replace("title:", "titel:", 1) if n == title_line else line
                       for n, line in enumerate(lines, 1))
    page.fill("#lesson-text", broken)
    expect(page.locator("#preview .stale-note")).to_be_visible()
    expect(page.locator("#preview .preview-lesson")).to_be_visible()  # still there, marked as the last good one
    expect(page.locator("#preview .problem-list li.error").first).to_be_visible()
    marked = page.locator(".gutter span.error")
    expect(marked.first).to_be_visible()
    assert str(title_line) in marked.all_inner_texts()
    page.fill("#lesson-text", good)
    expect(page.locator("#preview .stale-note")).to_have_count(0)
    expect(page.locator(".gutter span.error")).to_have_count(0)
    expect(page.locator("#preview .preview-lesson")).to_be_visible()


def test_the_editor_works_without_javascript(browser, live_server, make_app):
    with make_app().app_context():
        make_author("writer@example.org")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill("writer@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}{EDIT}")
    expect(page.locator(".gutter")).to_have_count(0)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Saved “Server Logic in Next.js")
    expect(page.locator(".breadcrumb")).to_contain_text("Server Logic in Next.js")
    context.close()
