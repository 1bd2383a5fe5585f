"""The hot reads run on the DBAPI cursor (direct.read) and give what SQLAlchemy would: same rows, same
types, on both databases; a page that only reads holds no connection after it, and errors stay SQLAlchemy's."""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import bindparam, event, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from support import PASSWORD, load_courses, make_user

from quizapp.extensions import db
from quizapp.models import Attempt, Course, LearnerQuestion, Question
from quizapp.services.accounts import accounts
from quizapp.services.learning import lessons, practice
from quizapp.speed import direct, stores

_SCORES = direct.Prepared(select(Attempt.score).where(Attempt.user_id == bindparam("user_id")).order_by(Attempt.id))
_UPDATED_AT = direct.Prepared(select(Course.updated_at).where(Course.key == bindparam("key")))


@pytest.fixture
def answered(app, client):
    """The demo course, a learner who answered one question wrong and one right."""
    load_courses()
    make_user("learner@example.org")
    client.post("/login", data={"email": "learner@example.org", "password": PASSWORD})
    client.post("/courses/demo/basics/where", data={"action": "answer", "choice": "a", "submission_key": "k1"})
    client.post("/courses/demo/basics/where", data={"action": "answer", "choice": "b", "submission_key": "k2"})
    return accounts.get_user_by_email("learner@example.org")


@pytest.fixture
def served(make_app):
    """An app with the demo course and a signed-in learner's client, and no app context held open (so each
    request ends its own, as in a server)."""
    app = make_app()
    with app.app_context():
        load_courses()
        make_user("learner@example.org")
    client = app.test_client()
    client.post("/login", data={"email": "learner@example.org", "password": PASSWORD})
    return app, client


def both_ways(prepared: direct.Prepared, params: dict):
    """Rows from read() and from the ORM session's execute, as plain tuples."""
    fast = [tuple(row) for row in direct.read(prepared, params)]
    through_sqlalchemy = [tuple(row) for row in db.session.execute(prepared.statement, params)]
    return fast, through_sqlalchemy


def test_rows_and_types_match_sqlalchemys(answered):
    lesson_id = db.session.scalar(select(Question.lesson_id).where(Question.key == "demo/basics/where"))
    cases = [
        (_UPDATED_AT, {"key": "demo"}),  # a timestamp
        (lessons._STAMP, {"key": "demo"}),  # the same, as the database's text
        (_SCORES, {"user_id": answered.id}),  # floats (psycopg gives double precision as float already)
        (lessons._STATES, {"lesson_id": lesson_id, "user_id": answered.id}),  # booleans, JSON, timestamps
        (practice._QUESTION_BY_KEY, {"key": "demo/basics/where", "lesson_key": "demo/basics",
                                     "user_id": answered.id}),  # JSON documents
        (accounts._SESSION_USER, {"id": answered.id, "login": accounts.start_login(answered, 60).login_id}),
    ]
    for prepared, params in cases:
        fast, expected = both_ways(prepared, params)
        assert fast and fast == expected
        assert [[type(v) for v in row] for row in fast] == [[type(v) for v in row] for row in expected]
    updated = direct.read_one(_UPDATED_AT, {"key": "demo"})
    assert isinstance(updated.updated_at, datetime)
    assert isinstance(lessons.get_course_stamp("demo"), str)
    standing = direct.read(lessons._STATES, {"lesson_id": lesson_id, "user_id": answered.id})
    assert [(row.attempts, row.last_correct) for row in standing] == [(2, True)]
    question = direct.read_one(practice._QUESTION_BY_KEY, {"key": "demo/basics/where",
                                                             "lesson_key": "demo/basics", "user_id": answered.id})
    assert isinstance(question.answer, dict) and isinstance(question.hints_html, list)


def test_nothing_found_is_an_empty_list(app):
    assert direct.read(lessons._STAMP, {"key": "no-such-course"}) == []
    assert direct.read_one(accounts._SESSION_USER, {"id": 12345, "login": "no-such-login"}) is None


def test_database_errors_stay_sqlalchemys(app):
    broken = direct.Prepared(select(Course.id).where(Course.key == bindparam("key")))
    direct.read(broken, {"key": "demo"})  # compiled and kept; now break its SQL as a failing database would
    key = (broken.statement, db.engine.dialect.name, None)
    form = stores.store("statements").get(key)
    stores.store("statements").put(key, replace(form, sql=form.sql.replace("course", "no_such_table", 1)))
    with pytest.raises(DBAPIError):
        direct.read(broken, {"key": "demo"})
    assert direct.read(lessons._STAMP, {"key": "demo"}) == []  # the connection is still good


def test_in_lists_are_refused_up_front(app):
    listed = direct.Prepared(select(Course.id).where(Course.key.in_(bindparam("keys", expanding=True))))
    with pytest.raises(ValueError, match="expanding"):
        direct.read(listed, {"keys": ["demo"]})


def test_a_lesson_page_holds_no_connection_afterwards_and_opens_no_orm_session(served):
    app, client = served
    client.get("/courses/demo/basics")  # the course's content is read and kept
    seen: list[str] = []
    direct.statement_hooks.append(seen.append)
    try:
        assert client.get("/courses/demo/basics").status_code == 200
    finally:
        direct.statement_hooks.remove(seen.append)
    assert len(seen) == 4  # the session's user, the course's stamp, the learner's standing, the review due count
    with app.app_context():
        assert db.engine.pool.checkedout() == 0


def test_an_answer_is_stored_whole_or_not_at_all(answered):
    question = db.session.scalar(select(Question).where(Question.key == "demo/basics/where"))
    before = db.session.scalar(select(LearnerQuestion.attempts).where(LearnerQuestion.user_id == answered.id))
    values = {"user_id": answered.id, "question_id": question.id, "version": question.version, "response": {},
              "score": 1.0, "correct": True, "matched": [], "feedback_html": [], "hints_used": 0, "seconds": None,
              "submission_key": "k3", "created_at": practice.utcnow()}
    with pytest.raises(RuntimeError), direct.transaction() as stored:
        stored.execute(practice._INSERT_ATTEMPT, values).scalar_one()
        raise RuntimeError("the summaries failed")
    with pytest.raises(IntegrityError), direct.transaction() as stored:
        stored.execute(practice._INSERT_ATTEMPT, {**values, "submission_key": "k1"})  # sent twice
    db.session.rollback()  # read afresh
    assert db.session.scalar(select(Attempt.id).where(Attempt.submission_key == "k3")) is None
    assert db.session.scalar(select(LearnerQuestion.attempts).where(LearnerQuestion.user_id == answered.id)) == before
    with direct.transaction() as stored:  # the connection is still good
        assert stored.execute(practice._INSERT_ATTEMPT, values).scalar_one() > 0
    db.session.rollback()
    assert db.session.scalar(select(Attempt.id).where(Attempt.submission_key == "k3")) is not None


def test_an_answer_opens_no_orm_session_and_holds_no_connection_after(served):
    app, client = served
    opened, seen = [], []

    def began(*_args):
        opened.append(True)

    event.listen(db.session, "after_begin", began)
    direct.statement_hooks.append(seen.append)
    try:
        response = client.post("/courses/demo/basics/where", data={"action": "answer", "choice": "b",
                                                                 "submission_key": "k1"})
        assert response.status_code == 200 and "Correct." in response.get_data(as_text=True)
        assert seen and not opened
        client.get("/classes")  # a page that does use the ORM session: the listener does see it
        assert opened
    finally:
        direct.statement_hooks.remove(seen.append)
        event.remove(db.session, "after_begin", began)
    with app.app_context():
        assert db.engine.pool.checkedout() == 0
        assert db.session.scalar(select(LearnerQuestion.attempts)) == 1


def test_on_sqlite_each_thread_keeps_one_connection_that_sees_every_commit(served):
    app, client = served
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL connections go back to the pool after each request (tested above)")
    with app.app_context():
        stamp = lessons.get_course_stamp("demo")
        kept = direct._held()[0]
    assert client.get("/courses/demo/basics").status_code == 200
    with app.app_context():
        assert direct._held()[0] is kept and not kept.dbapi_connection.in_transaction
        course = db.session.scalar(select(Course).where(Course.key == "demo"))
        course.updated_at = practice.utcnow()
        db.session.commit()  # on the ORM session's own connection
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.key == "demo"))
        assert lessons.get_course_stamp("demo") != stamp  # no snapshot was held over from before
        user = accounts.get_user_by_email("learner@example.org")
        values = {"user_id": user.id, "question_id": course.lessons[0].questions[0].id, "version": 1, "response": {},
                  "score": 1.0, "correct": True, "matched": [], "feedback_html": [], "hints_used": 0,
                  "seconds": None, "submission_key": "k9", "created_at": practice.utcnow()}
        with pytest.raises(RuntimeError), direct.transaction() as stored:
            stored.execute(practice._INSERT_ATTEMPT, values)
            assert kept.dbapi_connection.in_transaction
            raise RuntimeError("a view failed mid-way")
        assert not kept.dbapi_connection.in_transaction
    others = []
    worker = threading.Thread(target=lambda: others.append(_held_in(app)))
    worker.start()
    worker.join()
    assert others and others[0] is not kept  # each thread its own
    with app.app_context():
        direct.forget()
        assert direct._held()[0] is not kept  # closed and forgotten: a new one is taken


def _held_in(app):
    with app.app_context():
        return direct._held()[0]


def test_on_sqlite_writers_queue_on_a_lock_beside_the_database(served):
    """Threads (and, with the lock per process too, gunicorn's workers) take turns to write: the second
    waits on the lock until the first has committed, instead of polling SQLite's."""
    app, _client = served
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL queues writers itself, row by row")
    holding, release, entered = threading.Event(), threading.Event(), threading.Event()

    def first():
        with app.app_context(), direct.transaction():
            holding.set()
            release.wait(10)

    def second():
        holding.wait(10)
        with app.app_context(), direct.transaction():
            entered.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert holding.wait(10)
    assert not entered.wait(0.3)  # queued behind the first writer
    release.set()
    assert entered.wait(10)
    for thread in threads:
        thread.join(10)
    with app.app_context():
        assert os.path.exists(db.engine.url.database + ".writers")
