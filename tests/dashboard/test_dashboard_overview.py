"""The class overview: learners by lessons, who is behind, sorting, filtering and paging done in SQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from dashboard_helpers import ask, step_ids

from quizapp.services.teaching import reports


def overview(school, **query):
    course = reports.pick_course(reports.list_courses(), "demo")
    now = query.pop("now", None)
    return reports.get_overview(school.a.id, course, reports.OverviewQuery(**query), now=now)


def emails(data) -> list[str]:
    return [row.email.split("@")[0] for row in data.rows]


def test_counts_per_learner_and_lesson(school):
    data = overview(school)
    rows = {row.email.split("@")[0]: row for row in data.rows}
    basics, more = data.lessons
    assert (basics.total, more.total, data.total) == (5, 1, 6)
    # l1: where, pick, method, status (second try) in basics + only = 5; l2: where (second try), status = 2.
    assert (rows["l1"].correct_in(basics.id), rows["l1"].correct_in(more.id), rows["l1"].correct) == (4, 1, 5)
    assert (rows["l2"].correct, rows["l2"].answered) == (2, 6)
    assert (rows["l3"].correct, rows["l6"].correct, rows["l6"].last_active) == (1, 0, None)
    assert data.class_size == 4 and data.average == 2.0


def test_behind_is_below_average_minus_margin_or_idle(school):
    # Average 8/4 = 2; threshold 2 - 0.15 * 6 = 1.1: l3 (1) and l6 (0, never active) are behind.
    data = overview(school)
    assert {e for e, row in zip(emails(data), data.rows, strict=True) if row.behind} == {"l3", "l6"}
    assert data.behind == 2
    # Eight days on, nobody has answered for 7 days: everyone unfinished is behind (l1 has 5 of 6).
    later = overview(school, now=datetime.now(UTC) + timedelta(days=8))
    assert later.behind == 4


def test_finished_learners_are_never_behind(school):
    ask(school.l1, "steps", order=",".join(step_ids()))  # l1 now has all 6 right
    later = overview(school, now=datetime.now(UTC) + timedelta(days=8))
    assert [e for e, row in zip(emails(later), later.rows, strict=True) if not row.behind] == ["l1"]


def test_sort_by_progress_and_last_activity(school):
    assert emails(overview(school, sort="progress", descending=True)) == ["l1", "l2", "l3", "l6"]
    assert emails(overview(school, sort="progress")) == ["l6", "l3", "l2", "l1"]
    # Most recent first: l2 answered last (steps), then l3, then l1; l6 never, so last.
    assert emails(overview(school, sort="last", descending=True)) == ["l2", "l3", "l1", "l6"]
    assert emails(overview(school, sort="last"))[0] == "l6"
    assert emails(overview(school, sort="email", descending=True)) == ["l6", "l3", "l2", "l1"]


def test_filter_by_text_and_behind_only(school):
    assert emails(overview(school, text="L1")) == ["l1"]
    assert emails(overview(school, behind_only=True)) == ["l3", "l6"]
    data = overview(school, text="%")  # a LIKE wildcard is matched literally
    assert data.rows == () and data.matched == 0 and data.class_size == 4


def test_pages_of_fifty(school, crowd):
    crowd(school.a.id, 60)
    first, second = overview(school, page=1), overview(school, page=2)
    assert (len(first.rows), len(second.rows), first.matched, first.pages) == (50, 14, 64, 2)
    assert not set(emails(first)) & set(emails(second))
    assert overview(school, page=99).query.page == 2  # past the end shows the last page


def test_overview_page_renders_sort_links_filters_and_badges(school, as_user):
    client = as_user(school.alice)
    html = client.get(f"/dashboard/classes/{school.a.id}?sort=progress&dir=desc").get_data(as_text=True)
    assert html.index("l1@example.org") < html.index("l6@example.org")
    assert "2 behind" in html and school.a.join_code in html
    assert f"/join/{school.a.join_code}" in html
    assert re.search(r'href="[^"]*sort=last[^"]*"', html)
    only = client.get(f"/dashboard/classes/{school.a.id}?behind=1").get_data(as_text=True)
    assert "l3@example.org" in only and "l1@example.org" not in only


def test_learner_drill_down_shows_attempts_feedback_hints_and_progress(school, as_user):
    ask(school.l2, "where", choice="c", hints=1, seconds=75)
    client = as_user(school.alice)
    html = client.get(f"/dashboard/classes/{school.a.id}/learners/{school.l2.id}").get_data(as_text=True)
    assert "l2@example.org" in html and "Progress per lesson" in html and "2 of 5" in html
    assert "a) In the browser" in html  # the answer as text, not ids
    assert "does not move its body there" in html  # the feedback they were shown
    assert 'Attempts <span class="muted">(8,' in html
    start = html.index('<ol class="timeline">')
    latest = html[start:html.index("</li>", start)]  # newest first
    assert "c) Wherever it was imported first" in latest and "Import order does not decide" in latest
    assert "1 min 15 s" in latest and "<dt>Hints used</dt><dd>1</dd>" in latest
