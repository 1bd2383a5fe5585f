"""Assignments with due dates: learners see what is due, the overview marks the late, exports carry them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from support import login, make_user

from quizapp.services.teaching import classes


def answer_all_right(client):
    client.post("/courses/demo/basics/where", data={"action": "answer", "choice": "b", "submission_key": "r1"})


def test_a_late_learner_is_behind_and_shown_late(door, client, teacher, demo_course):
    info = classes.create_class(teacher.id, "Period 1")
    kim, lee = make_user("kim@example.org"), make_user("lee@example.org")
    for user in (kim, lee):
        classes.join_class(user.id, info.join_code)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    response = client.post(f"/dashboard/classes/{info.id}/assignments", data={"course": "demo", "due": yesterday})
    assert response.status_code == 303
    page = client.get(f"/dashboard/classes/{info.id}/assignments").get_data(as_text=True)
    assert "the whole course" in page and "(past)" in page
    overview = client.get(f"/dashboard/classes/{info.id}?course=demo").get_data(as_text=True)
    assert overview.count('class="badge incorrect late"') == 2 and "2 behind" in overview
    export = client.get(f"/dashboard/classes/{info.id}/export/overview.csv?course=demo").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(export)))
    assert list(rows[0])[-4:] == ["lesson_due", "lesson_late", "name", "username"]  # appended in that order
    assert rows[0]["lesson_due"].startswith(yesterday) and rows[0]["lesson_late"] == "true"
    assert rows[0]["behind"] == "true"


def test_learners_see_what_is_due_on_their_home_page(door, client, teacher, demo_course):
    info = classes.create_class(teacher.id, "Period 1")
    kim = make_user("kim@example.org")
    classes.join_class(kim.id, info.join_code)
    soon = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    page = client.get(f"/dashboard/classes/{info.id}/assignments").get_data(as_text=True)
    lesson_id = page.split('name="lesson" value="')[1].split('"')[0]
    client.post(f"/dashboard/classes/{info.id}/assignments", data={"course": "demo", "due": soon, "lesson": lesson_id})
    learner = door()
    login(learner, "kim@example.org")
    home = learner.get("/").get_data(as_text=True)
    assert 'id="due"' in home and f"due {soon} 23:59 UTC" in home and "Period 1" in home and "late" not in home
    refused = client.post(f"/dashboard/classes/{info.id}/assignments", data={"course": "demo", "due": "soon"})
    assert refused.status_code == 303
    assert "Give a due date" in client.get(f"/dashboard/classes/{info.id}/assignments").get_data(as_text=True)
