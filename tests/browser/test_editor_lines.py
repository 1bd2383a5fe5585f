"""The editor opens at a line named in its address (#L<n>), as the item analysis links it, and the
problem list's teaching-check warnings move the caret to their line."""

from __future__ import annotations

import pytest
from support import PASSWORD, make_author

pytestmark = pytest.mark.browser

NEAR_MISS = "\n\n### Name it {#name-it-test}\n\nWhich file?\n\nAnswer: route.ts\n\n#### Solution\nS.\n"
EDIT = "/author/courses/nextjs-server-logic/lessons/route-handlers/edit"


def selected_line(page) -> tuple[int, str]:
    """Give the textarea's selected line number and text."""
    return page.eval_on_selector("#lesson-text", """area => {
        const before = area.value.slice(0, area.selectionStart);
        return [before.split("\\n").length, area.value.slice(area.selectionStart, area.selectionEnd)];
    }""")


def test_hash_and_problem_links_select_the_line(page, live_server, make_app):
    """/edit#L5 selects line 5; a teaching check's 'line N' link in the live preview selects its line."""
    with make_app().app_context():
        make_author("writer@example.org")
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill("writer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}{EDIT}#L5")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'lesson-text'")
    text = page.input_value("#lesson-text")
    assert selected_line(page) == [5, text.split("\n")[4]]
    text = text.rstrip("\n") + NEAR_MISS
    page.fill("#lesson-text", text)  # the preview follows typing
    link = page.locator("li.warning", has_text="[near-miss]").last.locator("a[data-line]")
    line = int(link.get_attribute("data-line"))
    assert text.split("\n")[line - 1] == "Answer: route.ts"
    link.click()
    assert selected_line(page) == [line, "Answer: route.ts"]
