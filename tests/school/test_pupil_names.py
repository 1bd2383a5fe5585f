"""Roster pupils appear to staff by their roster name (and username), never by their placeholder address."""

from __future__ import annotations

import csv
import io
import re

from support import login, make_user

from quizapp.services.accounts import tokens
from quizapp.services.teaching import classes

PLACEHOLDER = "@pupils.invalid"


def rows_of(response) -> list[dict]:
    """Read a CSV download into dicts."""
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def a_pupil_who_answered(door, client, class_id: int) -> tuple[str, int]:
    """Add 'Ana Lima' by roster; she signs in with her code, chooses a password and answers; give her username
    and id."""
    sheet = client.post(f"/dashboard/classes/{class_id}/roster", data={"names": "Ana Lima"}).get_data(as_text=True)
    username, code = re.findall(r'card-username">([^<]+)<.*?card-code">([^<]+)<', sheet, re.S)[0]
    pupil = door()
    pupil.post("/pupils/login", data={"username": username, "password": code})
    pupil.post("/pupils/password", data={"password": "my own sea shell 42", "confirm": "my own sea shell 42"})
    pupil.post("/courses/demo/basics/where", data={"action": "answer", "choice": "b", "submission_key": "k1"})
    page = client.get(f"/dashboard/classes/{class_id}?course=demo").get_data(as_text=True)
    user_id = int(re.search(r'/learners/(\d+)\?course=demo">Ana Lima<', page).group(1))
    return username, user_id


def test_the_overview_drill_down_and_review_name_a_pupil_by_roster_name(door, client, teacher, demo_course):
    info = classes.create_class(teacher.id, "Period 1")
    username, user_id = a_pupil_who_answered(door, client, info.id)
    pages = [client.get(f"/dashboard/classes/{info.id}?course=demo"),
             client.get(f"/dashboard/classes/{info.id}/learners/{user_id}?course=demo"),
             client.get(f"/dashboard/classes/{info.id}/review?course=demo"),
             client.get(f"/dashboard/classes/{info.id}/members")]
    for page in pages:
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "Ana Lima" in html and username in html and PLACEHOLDER not in html
    assert "<h1>Ana Lima</h1>" in pages[1].get_data(as_text=True)
    search = f"/dashboard/classes/{info.id}?course=demo&q="
    assert "Ana Lima" in client.get(search + "LIMA").get_data(as_text=True)  # found by roster name
    assert "Ana Lima" in client.get(search + username[:6]).get_data(as_text=True)  # and by username
    assert "Ana Lima" not in client.get(search + "zed").get_data(as_text=True)


def test_the_csv_exports_carry_the_roster_name_and_no_placeholder(door, client, teacher, demo_course):
    info = classes.create_class(teacher.id, "Period 1")
    username, user_id = a_pupil_who_answered(door, client, info.id)
    for path in ("export/overview.csv", "export/attempts.csv", "review/learners.csv"):
        response = client.get(f"/dashboard/classes/{info.id}/{path}?course=demo")
        assert PLACEHOLDER not in response.get_data(as_text=True)
        rows = rows_of(response)
        assert rows and all(r["name"] == "Ana Lima" and r["username"] == username and r["email"] == "" for r in rows)
        assert {r["learner_id"] for r in rows} == {str(user_id)}


def test_the_api_overview_and_attempts_name_a_pupil_by_roster_name(door, client, teacher, demo_course):
    info = classes.create_class(teacher.id, "Period 1")
    username, user_id = a_pupil_who_answered(door, client, info.id)
    _info, secret = tokens.create_token(teacher.id, "names", ["teach"])
    api = door()
    headers = {"Authorization": f"Bearer {secret}"}
    overview = api.get(f"/api/v1/classes/{info.id}/courses/demo/overview", headers=headers)
    attempts = api.get(f"/api/v1/classes/{info.id}/courses/demo/attempts", headers=headers)
    for response in (overview, attempts):
        assert response.status_code == 200 and PLACEHOLDER not in response.get_data(as_text=True)
    learner, = overview.get_json()["learners"]
    assert (learner["id"], learner["name"], learner["username"], learner["email"]) == (
        user_id, "Ana Lima", username, "")
    assert {(a["name"], a["username"]) for a in attempts.get_json()["attempts"]} == {("Ana Lima", username)}


def test_the_admin_list_and_audit_log_name_a_pupil_by_roster_name(door, client, teacher, demo_course):
    info = classes.create_class(teacher.id, "Period 1")
    username, user_id = a_pupil_who_answered(door, client, info.id)
    make_user("head@example.org", role="admin")
    admin = door()
    login(admin, "head@example.org")
    assert admin.post(f"/admin/accounts/{user_id}/disable", data={"disabled": "1"}).status_code == 303
    for path in ("/admin/", "/admin/?q=lima", f"/admin/accounts/{user_id}", "/admin/audit"):
        html = admin.get(path).get_data(as_text=True)
        assert "Ana Lima" in html and PLACEHOLDER not in html, path


def test_a_pupil_sees_their_own_name_in_the_header_never_the_placeholder(door, client, teacher, demo_course):
    info = classes.create_class(teacher.id, "Period 2")
    sheet = client.post(f"/dashboard/classes/{info.id}/roster", data={"names": "Ben Okafor"}).get_data(as_text=True)
    username, code = re.findall(r'card-username">([^<]+)<.*?card-code">([^<]+)<', sheet, re.S)[0]
    pupil = door()
    pupil.post("/pupils/login", data={"username": username, "password": code})
    pupil.post("/pupils/password", data={"password": "my own sea shell 42", "confirm": "my own sea shell 42"})
    for path in ("/courses/demo/basics", "/courses/demo/basics/where", "/progress", "/"):  # kept layout and full
        html = pupil.get(path).get_data(as_text=True)
        assert re.search(r'class="who">Ben Okafor<', html) and PLACEHOLDER not in html, path
