"""Class management through the instructor's and pupils' doors: remove, new join code, roster cards, codes."""

from __future__ import annotations

import re

import sqlalchemy as sa
from support import login, make_user

from quizapp.extensions import db
from quizapp.models import Enrollment, User
from quizapp.services.teaching import classes


def cards(html: str) -> list[tuple[str, str]]:
    """Read (username, code) from a sheet of cards."""
    return re.findall(r'card-username">([^<]+)<.*?card-code">([^<]+)<', html, re.S)


def test_remove_a_learner_and_rotate_the_join_code(door, client, teacher):
    info = classes.create_class(teacher.id, "Period 1")
    kim = make_user("kim@example.org")
    classes.join_class(kim.id, info.join_code)
    assert "kim@example.org" in client.get(f"/dashboard/classes/{info.id}/members").get_data(as_text=True)
    assert client.post(f"/dashboard/classes/{info.id}/members/{kim.id}/remove").status_code == 303
    assert not classes.is_enrolled(info.id, kim.id)
    assert client.post(f"/dashboard/classes/{info.id}/join-code").status_code == 303
    new = classes.get_class_for_viewer(info.id, classes.Viewer(teacher.id))
    assert new.join_code != info.join_code
    learner = door()
    login(learner, "kim@example.org")
    dead = learner.post("/classes/join", data={"code": info.join_code})  # the old code is dead: said at the field
    assert dead.status_code == 200 and "No open class has that code" in dead.get_data(as_text=True)
    assert learner.post("/classes/join", data={"code": new.join_code}).status_code == 302


def test_another_instructor_cannot_manage_the_class(door, teacher):
    info = classes.create_class(teacher.id, "Period 1")
    make_user("other@example.org", role="instructor")
    other = door()
    login(other, "other@example.org")
    assert other.get(f"/dashboard/classes/{info.id}/members").status_code == 404
    assert other.post(f"/dashboard/classes/{info.id}/roster", data={"names": "Ana"}).status_code == 404


def test_roster_pupils_get_cards_sign_in_once_with_the_code_and_choose_a_password(door, client, teacher):
    info = classes.create_class(teacher.id, "Period 1")
    sheet = client.post(f"/dashboard/classes/{info.id}/roster",
                        data={"names": "Ana Lima\nZoë Brandt, zoe@example.org\n, bad\n"})
    html = sheet.get_data(as_text=True)
    assert sheet.status_code == 200 and "css/cards.css" in html and "Ana Lima" in html and "Zoë Brandt" in html
    found = cards(html)
    assert len(found) == 2 and found[0][0].startswith("ana.lima.") and found[1][0].startswith("zoe.brandt.")
    assert ", bad" in html  # the refused line is named
    username, code = found[0]
    pupil = door()
    assert pupil.post("/pupils/login", data={"username": username, "password": "wrong-code"}).status_code == 400
    response = pupil.post("/pupils/login", data={"username": username, "password": code})
    assert response.status_code == 302 and response.location.endswith("/pupils/password")
    assert pupil.get("/progress").location.endswith("/pupils/password")  # nothing else until a password
    assert pupil.post("/pupils/password", data={"password": code, "confirm": code}).status_code == 400
    chosen = "my own sea shell 42"
    assert pupil.post("/pupils/password", data={"password": chosen, "confirm": chosen}).status_code == 302
    assert pupil.get("/progress").status_code == 200
    fresh = door()
    assert fresh.post("/pupils/login", data={"username": username, "password": code}).status_code == 400
    assert fresh.post("/pupils/login", data={"username": username, "password": chosen}).status_code == 302
    ana = db.session.scalar(sa.select(User).where(User.username == username))
    assert ana.email.endswith("@pupils.invalid") and ana.display_name == "Ana Lima"
    assert classes.is_enrolled(info.id, ana.id)
    assert login(door(), ana.email, code).status_code == 400  # the code works only on the pupils' page


def test_pupils_cannot_join_other_classes_and_a_reset_gives_a_new_one_time_code(door, client, teacher):
    info = classes.create_class(teacher.id, "Period 1")
    other = classes.create_class(teacher.id, "Period 2")
    username, code = cards(client.post(f"/dashboard/classes/{info.id}/roster", data={"names": "Ana Lima"})
                           .get_data(as_text=True))[0]
    pupil = door()
    pupil.post("/pupils/login", data={"username": username, "password": code})
    pupil.post("/pupils/password", data={"password": "my own sea shell 42", "confirm": "my own sea shell 42"})
    refused = pupil.post("/classes/join", data={"code": other.join_code})
    assert refused.status_code == 200 and "No open class has that code" in refused.get_data(as_text=True)
    ana = db.session.scalar(sa.select(User).where(User.username == username))
    memberships = sa.select(sa.func.count()).select_from(Enrollment).where(Enrollment.user_id == ana.id)
    assert db.session.scalar(memberships) == 1
    sheet = client.post(f"/dashboard/classes/{info.id}/members/{ana.id}/new-code").get_data(as_text=True)
    (same, new_code), = cards(sheet)
    assert same == username and new_code != code
    assert "/login" in pupil.get("/progress").location  # the old session ended
    again = door()
    old = {"username": username, "password": "my own sea shell 42"}
    assert again.post("/pupils/login", data=old).status_code == 400
    assert again.post("/pupils/login", data={"username": username, "password": new_code}).location.endswith(
        "/pupils/password")
