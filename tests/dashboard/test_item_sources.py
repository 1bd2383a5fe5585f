"""Weak items link to their source: a flagged question's line in the editor, for those who may author."""

from __future__ import annotations

from support import DATA

from quizapp.content.parsing.parser import question_line
from quizapp.services.teaching import analytics, reports

DEMO = DATA / "courses" / "demo"


def items_of(school) -> dict:
    """Give class A's item analysis on the demo course, by question id."""
    course = reports.pick_course(reports.list_courses(), "demo")
    return {i.key.rsplit("/", 1)[-1]: i for i in analytics.get_item_analysis(school.a.id, course).items}


def heading_line(file: str, anchor: str) -> int:
    """Find a question heading's line in a demo file by hand."""
    lines = (DEMO / file).read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.startswith("### ") and f"{{#{anchor}" in text)


def test_flagged_questions_know_their_lesson_and_line(school):
    """Each flagged question carries where it is written; the others need no look-up."""
    items = items_of(school)
    assert items["only"].source == analytics.SourceLine("demo", "more", heading_line("02-more.md", "only"))
    assert items["status"].source == analytics.SourceLine("demo", "basics", heading_line("01-basics.md", "status"))
    assert items["steps"].source.line == heading_line("01-basics.md", "steps")
    assert items["where"].source is None and not items["where"].flags


def test_admin_gets_a_link_to_the_line_in_the_editor(school, as_user):
    """Who may author sees 'Fix it in the editor', opening the lesson at the question's line."""
    items = items_of(school)
    client = as_user(school.admin)
    link = f"/author/courses/demo/lessons/more/edit#L{heading_line('02-more.md', 'only')}"
    page = client.get(f"/dashboard/classes/{school.a.id}/items?course=demo").get_data(as_text=True)
    assert f'href="{link}"' in page
    assert page.count('class="source-link"') == sum(bool(i.flags) for i in items.values())
    item_page = client.get(f"/dashboard/classes/{school.a.id}/items/{items['only'].id}?course=demo")
    assert f'href="{link}"' in item_page.get_data(as_text=True)


def test_instructor_who_may_not_author_gets_no_editor_link(school, as_user):
    """An instructor sees the flags but no link to an editor they could not open."""
    items = items_of(school)
    client = as_user(school.alice)
    page = client.get(f"/dashboard/classes/{school.a.id}/items?course=demo").get_data(as_text=True)
    assert analytics.FLAG_POPULAR_WRONG in page and "source-link" not in page and "/author/" not in page
    item_page = client.get(f"/dashboard/classes/{school.a.id}/items/{items['only'].id}?course=demo")
    assert "source-link" not in item_page.get_data(as_text=True)


def test_question_line_matches_the_whole_id_outside_prose():
    """'{#only}' is found at its heading, not in '{#only-two}' or in text that merely mentions it."""
    text = "---\ntitle: T\n---\nSee {#only}.\n\n## Practice\n\n### A {#only-two}\n\nP\n\n### B {#only .fixed-order}\n"
    assert question_line(text, "only") == 12
    assert question_line(text, "only-two") == 8
    assert question_line(text.replace("\n", "\r\n"), "only") == 12
    assert question_line(text, "missing") is None
