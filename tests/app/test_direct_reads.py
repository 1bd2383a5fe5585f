"""The hot reads run on the DBAPI cursor (database.read) and give what SQLAlchemy would: same rows, same
types, on both databases; a page that only reads holds no connection after it, and errors stay SQLAlchemy's."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import bindparam, select
from sqlalchemy.exc import DBAPIError
from support import PASSWORD, load_courses, make_user

from quizapp import database
from quizapp.extensions import db
from quizapp.models import Course, Question
from quizapp.services import accounts, lessons, practice


@pytest.fixture
def answered(app, client):
    """The demo course, a learner who answered one question wrong and one right."""
    load_courses()
    make_user("learner@example.org")
    client.post("/login", data={"email": "learner@example.org", "password": PASSWORD})
    client.post("/courses/demo/basics/where", data={"action": "answer", "choice": "a", "submission_key": "k1"})
    client.post("/courses/demo/basics/where", data={"action": "answer", "choice": "b", "submission_key": "k2"})
    return accounts.get_user_by_email("learner@example.org")


def both_ways(prepared: database.Prepared, params: dict):
    """Rows from read() and from the ORM session's execute, as plain tuples."""
    direct = [tuple(row) for row in database.read(prepared, params)]
    through_sqlalchemy = [tuple(row) for row in db.session.execute(prepared.statement, params)]
    return direct, through_sqlalchemy


def test_rows_and_types_match_sqlalchemys(answered):
    lesson_id = db.session.scalar(select(Question.lesson_id).where(Question.key == "demo/basics/where"))
    cases = [
        (lessons._STAMP, {"key": "demo"}),  # a timestamp
        (lessons._STANDING, {"lesson_id": lesson_id, "user_id": answered.id}),  # booleans
        (practice._QUESTION_BY_KEY, {"key": "demo/basics/where", "lesson_key": "demo/basics",
                                     "user_id": answered.id}),  # JSON documents
        (accounts._SESSION_USER, {"id": answered.id}),
    ]
    for prepared, params in cases:
        direct, expected = both_ways(prepared, params)
        assert direct and direct == expected
        assert [[type(v) for v in row] for row in direct] == [[type(v) for v in row] for row in expected]
    stamp = database.read_one(lessons._STAMP, {"key": "demo"})
    assert isinstance(stamp.updated_at, datetime)
    standing = database.read(lessons._STANDING, {"lesson_id": lesson_id, "user_id": answered.id})
    assert [(row.attempts, row.last_correct) for row in standing] == [(2, True)]
    question = database.read_one(practice._QUESTION_BY_KEY, {"key": "demo/basics/where",
                                                             "lesson_key": "demo/basics", "user_id": answered.id})
    assert isinstance(question.answer, dict) and isinstance(question.hints_html, list)


def test_nothing_found_is_an_empty_list(app):
    assert database.read(lessons._STAMP, {"key": "no-such-course"}) == []
    assert database.read_one(accounts._SESSION_USER, {"id": 12345}) is None


def test_database_errors_stay_sqlalchemys(app):
    broken = database.Prepared(select(Course.id).where(Course.key == bindparam("key")))
    broken.form(db.engine.dialect)  # compile, then break the SQL as a failing database would see it
    form = broken._forms[db.engine.dialect.name]
    broken._forms[db.engine.dialect.name] = type(form)(form.sql.replace("course", "no_such_table", 1),
                                                       form.order, form.binds, form.row, form.results)
    with pytest.raises(DBAPIError):
        database.read(broken, {"key": "demo"})


def test_in_lists_are_refused_up_front(app):
    listed = database.Prepared(select(Course.id).where(Course.key.in_(bindparam("keys", expanding=True))))
    with pytest.raises(ValueError, match="expanding"):
        database.read(listed, {"keys": ["demo"]})


def test_a_lesson_page_holds_no_connection_afterwards_and_opens_no_orm_session(make_app):
    app = make_app()
    with app.app_context():
        load_courses()
        make_user("learner@example.org")
    client = app.test_client()
    client.post("/login", data={"email": "learner@example.org", "password": PASSWORD})
    client.get("/courses/demo/basics")  # the course's content is read and kept
    seen: list[str] = []
    database.statement_hooks.append(seen.append)
    try:
        assert client.get("/courses/demo/basics").status_code == 200
    finally:
        database.statement_hooks.remove(seen.append)
    assert len(seen) == 3  # the session's user, the course's stamp, the learner's standing: all direct
    with app.app_context():
        assert db.engine.pool.checkedout() == 0
