"""Classes: instructors create, rename and archive them; learners join by code or link."""

from __future__ import annotations

import re

from support import csrf_token_in, login, make_user

from quizapp.extensions import db
from quizapp.models import Classroom, Enrollment
from quizapp.services.teaching import classes


def test_join_codes_use_the_unambiguous_alphabet(app):
    codes = {classes.new_join_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{8}", code) for code in codes)
    assert classes.normalise_code(" ab-cd efgh ") == "ABCDEFGH"


def test_instructor_creates_renames_and_archives_a_class(app, as_user):
    teacher = make_user("t@example.org", role="instructor")
    client = as_user(teacher)
    response = client.post("/dashboard/classes", data={"name": "  Period   3 "})
    classroom = db.session.query(Classroom).one()
    assert response.status_code == 302 and response.location.endswith(f"/dashboard/classes/{classroom.id}")
    assert classroom.name == "Period 3" and classroom.instructor_id == teacher.id
    client.post(f"/dashboard/classes/{classroom.id}/rename", data={"name": "Period 4"})
    client.post(f"/dashboard/classes/{classroom.id}/archive", data={"archived": "1"})
    db.session.refresh(classroom)
    assert (classroom.name, classroom.archived) == ("Period 4", True)
    assert "archived" in client.get(f"/dashboard/classes/{classroom.id}").get_data(as_text=True)


def test_empty_name_is_refused(app, as_user):
    client = as_user(make_user("t@example.org", role="instructor"))
    response = client.post("/dashboard/classes", data={"name": "   "}, follow_redirects=True)
    assert "Give the class a name." in response.get_data(as_text=True)
    assert db.session.query(Classroom).count() == 0


def test_learner_joins_by_code_once_and_sees_the_class(app, as_user):
    info = classes.create_class(make_user("t@example.org", role="instructor").id, "Algebra")
    client = as_user(make_user())
    code = info.join_code.lower()[:4] + " " + info.join_code.lower()[4:]
    assert client.post("/classes/join", data={"code": code}).status_code == 302
    assert client.post("/classes/join", data={"code": info.join_code}).status_code == 302
    assert db.session.query(Enrollment).count() == 1
    page = client.get("/classes").get_data(as_text=True)
    assert "Algebra" in page and "t@example.org" in page and "My classes" in page


def test_unknown_or_archived_code_is_refused(app, as_user):
    teacher = make_user("t@example.org", role="instructor")
    info = classes.create_class(teacher.id, "Closed")
    classes.set_archived(info.id, classes.Viewer(teacher.id), True)
    client = as_user(make_user())
    for code in ("NOPE2345", info.join_code):
        response = client.post("/classes/join", data={"code": code})
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and 'class="error" id="join-error">No open class has that code' in html
        assert 'aria-invalid="true"' in html and code in html  # at the field, the typed code kept
    assert client.get(f"/join/{info.join_code}").status_code == 404
    assert db.session.query(Enrollment).count() == 0


def test_join_link_shows_the_class_and_joins_on_post(app, client, as_user):
    info = classes.create_class(make_user("t@example.org", role="instructor").id, "Biology")
    assert "/login" in client.get(f"/join/{info.join_code}").location  # sign in first, then come back
    client = as_user(make_user())
    page = client.get(f"/join/{info.join_code}").get_data(as_text=True)
    assert "Join Biology" in page and 'method="post"' in page
    assert db.session.query(Enrollment).count() == 0  # a GET never joins
    client.post(f"/join/{info.join_code}")
    assert db.session.query(Enrollment).count() == 1
    assert "already in this class" in client.get(f"/join/{info.join_code}").get_data(as_text=True)


def test_join_form_needs_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        info = classes.create_class(make_user("t@example.org", role="instructor").id, "Chemistry")
        make_user()
    client = app.test_client()
    assert login(client, "learner@example.org").status_code == 302
    assert client.post("/classes/join", data={"code": info.join_code}).status_code == 400
    token = csrf_token_in(client.get("/classes").get_data(as_text=True))
    assert client.post("/classes/join", data={"code": info.join_code, "csrf_token": token}).status_code == 302


def test_my_classes_link_is_in_the_navigation(app, as_user):
    html = as_user(make_user()).get("/classes").get_data(as_text=True)
    assert 'href="/classes"' in html
