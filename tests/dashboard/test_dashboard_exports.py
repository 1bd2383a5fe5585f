"""CSV exports: streamed, with the documented columns, numbers that match the pages, and no formula injection."""

from __future__ import annotations

import csv
import io

import pytest
from support import ROOT, make_user

from quizapp.services.teaching import classes, exports


def download(client, class_id: int, name: str):
    response = client.get(f"/dashboard/classes/{class_id}/export/{name}.csv?course=demo")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    assert f'filename="class-{class_id}-demo-{name}.csv"' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"  # emails and answers: never kept by a cache (L6)
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("name, columns", [
    ("overview", exports.OVERVIEW_COLUMNS), ("items", exports.ITEM_COLUMNS),
    ("options", exports.OPTION_COLUMNS), ("attempts", exports.ATTEMPT_COLUMNS),
])
def test_exports_stream_their_documented_columns(school, as_user, name, columns):
    response = as_user(school.alice).get(f"/dashboard/classes/{school.a.id}/export/{name}.csv")
    assert response.headers["Cache-Control"] == "no-store"  # emails and answers: never kept by a cache (L6)
    header = response.get_data(as_text=True).splitlines()[0]
    assert header.split(",") == list(columns)
    text = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    assert all(f"`{column}`" in text for column in columns), "every column is documented"


def test_overview_csv_has_a_row_per_learner_and_lesson(school, as_user):
    rows = download(as_user(school.alice), school.a.id, "overview")
    assert len(rows) == 4 * 2  # four learners, two lessons
    l1 = [r for r in rows if r["email"] == "l1@example.org"]
    assert [(r["lesson"], r["lesson_correct"], r["lesson_total"]) for r in l1] == [
        ("basics", "4", "5"), ("more", "1", "1")]
    assert l1[0]["course_correct"] == "5" and l1[0]["behind"] == "false"
    assert {r["email"] for r in rows if r["behind"] == "true"} == {"l3@example.org", "l6@example.org"}
    assert next(r for r in rows if r["email"] == "l6@example.org")["last_active"] == ""


def test_items_and_options_csv_match_the_analysis(school, as_user):
    client = as_user(school.alice)
    items = {r["question_key"]: r for r in download(client, school.a.id, "items")}
    assert items["demo/basics/status"]["facility"] == "0.3333"
    assert items["demo/basics/status"]["discrimination"] == "-0.6934"
    assert items["demo/basics/steps"]["discrimination"] == ""
    assert items["demo/more/only"]["flags"] == "a wrong answer is more popular than the right one"
    options = [r for r in download(client, school.a.id, "options") if r["question_key"] == "demo/basics/where"]
    assert [(r["option_id"], r["correct"], r["learners"]) for r in options] == [
        ("a", "false", "1"), ("b", "true", "2"), ("c", "false", "1")]
    assert options[0]["feedback"].startswith("Calling a function")


def test_attempts_csv_lists_every_attempt_of_the_class_only(school, as_user):
    rows = download(as_user(school.alice), school.a.id, "attempts")
    assert len(rows) == 19  # class A's attempts; class B's four are not there
    assert {r["email"] for r in rows} == {"l1@example.org", "l2@example.org", "l3@example.org"}
    first = rows[0]
    assert (first["question_key"], first["response"], first["correct"], first["current_version"]) == (
        "demo/basics/where", '{"choices": ["b"]}', "true", "true")
    assert first["created_at"].endswith("+00:00")


def test_cells_that_look_like_formulas_are_defused(app):
    assert [exports.cell(v) for v in ("=1+2", "+x", "-x", "@SUM(A1)", "plain", -0.5, 3, True, None)] == [
        "'=1+2", "'+x", "'-x", "'@SUM(A1)", "plain", "-0.5", "3", "true", ""]


def test_formula_in_an_email_does_not_reach_the_spreadsheet(school, as_user):
    user = make_user("=cmd@example.org")
    classes.join_class(user.id, school.a.join_code)
    rows = download(as_user(school.alice), school.a.id, "overview")
    assert "'=cmd@example.org" in {r["email"] for r in rows}


def test_csv_is_written_in_batches(app):
    chunks = list(exports.csv_lines(("n",), ((i,) for i in range(exports.BATCH * 2 + 1))))
    assert len(chunks) == 3 and chunks[0].startswith("n\r\n0\r\n")
