"""One stalled writer does not stop the site (review M8, L5): a writer waits about SQLITE_BUSY_TIMEOUT, then
gets a clear 503 with Retry-After and nothing half-written; /healthz reports a disk that cannot take writes;
and the content tools import where fcntl does not exist (issue 14, item 4)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import sys
from contextlib import closing, contextmanager

import pytest
from sqlalchemy import event, func, select
from support import DATA, load_courses, login, make_user

from quizapp.database import close_all
from quizapp.extensions import db
from quizapp.models import Attempt, Classroom

WHERE = "/courses/demo/basics/where"


@pytest.fixture
def sqlite_app(make_app):
    """An app on the SQLite test file whose writers wait a tenth of a second (the wait is a setting)."""
    app = make_app(SQLITE_BUSY_TIMEOUT=0.1)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's writer lock")
    with app.app_context():
        load_courses()
        make_user()
        make_user("teacher@example.org", role="instructor")
        yield app


@contextmanager
def database_write_lock(app):
    """Hold SQLite's write lock from another connection, as a stalled process would."""
    other = sqlite3.connect(db.engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@contextmanager
def writers_queue_held(app):
    """Hold the writers' queue lock (quizapp.speed.direct) from another open file, as another worker would."""
    descriptor = os.open(f"{db.engine.url.database}.writers", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        yield
    finally:
        os.close(descriptor)


def attempts() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Attempt))


@pytest.mark.parametrize("holder", [database_write_lock, writers_queue_held])
@pytest.mark.parametrize("fetch", [False, True])
def test_an_answer_behind_a_stalled_writer_gets_a_503_to_retry_and_stores_nothing(sqlite_app, holder, fetch):
    client = sqlite_app.test_client()
    assert login(client, "learner@example.org").status_code == 302
    headers = {"X-Requested-With": "fetch"} if fetch else {}
    with holder(sqlite_app):
        response = client.post(WHERE, data={"action": "answer", "choice": "b", "submission_key": "k1"},
                               headers=headers)
        assert client.get("/courses/demo/basics").status_code == 200  # reads go on
        assert client.get("/healthz").status_code == 200
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "nothing was saved" in response.get_data(as_text=True)
    assert attempts() == 0
    again = client.post(WHERE, data={"action": "answer", "choice": "b", "submission_key": "k1"})
    assert again.status_code == 200 and attempts() == 1  # the same form, sent again, is stored once


def test_an_orm_write_behind_a_stalled_writer_gets_a_503(sqlite_app):
    client = sqlite_app.test_client()
    assert login(client, "teacher@example.org").status_code == 302
    with database_write_lock(sqlite_app):
        response = client.post("/dashboard/classes", data={"name": "Period 1"})
    assert response.status_code == 503 and "Retry-After" in response.headers
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Classroom)) == 0


def test_healthz_reports_a_disk_that_cannot_take_writes(make_app):
    app = make_app(HEALTH_MIN_FREE_BYTES=2**62)  # more than any disk has free: as good as full
    response = app.test_client().get("/healthz")
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert response.status_code == 200  # PostgreSQL's disk is the database server's to watch
        return
    assert response.status_code == 503
    assert response.get_json()["database"] == "full" and "free some space" in response.get_json()["fix"]
    assert make_app(HEALTH_MIN_FREE_BYTES=0).test_client().get("/healthz").status_code == 200


def test_the_content_check_runs_where_fcntl_does_not_exist(tmp_path):
    """Windows has no fcntl: `import quizapp` and `quizapp content check` must still work there."""
    script = ("import sys; sys.modules['fcntl'] = None\n"
              "from quizapp.__main__ import main\n"
              "sys.argv = ['quizapp', 'content', 'check', sys.argv[1]]\n"
              "main()\n")
    env = {**os.environ, "QUIZAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'author.sqlite3'}",
           "QUIZAPP_SECRET_KEY": "x"}
    done = subprocess.run([sys.executable, "-c", script, str(DATA / "courses")], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "1 course, 2 lessons" in done.stdout and "no errors" in done.stdout
    serve = subprocess.run([sys.executable, "-c", script.replace("'content', 'check', sys.argv[1]", "'serve'"),
                            "x"], capture_output=True, text=True, env=env, timeout=60)
    assert serve.returncode != 0 and "WSL" in serve.stderr


def test_a_full_database_answers_503_and_keeps_every_answer_it_confirmed(sqlite_app):
    """Review L5: with the disk full, 757 answers got a 500. SQLite's max_page_count makes the file 'full'."""
    client = sqlite_app.test_client()
    assert login(client, "learner@example.org").status_code == 302
    close_all()  # the next connections are opened with the cap below
    with closing(sqlite3.connect(db.engine.url.database)) as other:
        pages = other.execute("PRAGMA page_count").fetchone()[0]
    cap = event.listens_for(db.engine, "connect")(
        lambda connection, _record: connection.execute(f"PRAGMA max_page_count={pages + 2}"))
    statuses = []
    for n in range(300):
        response = client.post(WHERE, data={"action": "answer", "choice": "b", "submission_key": f"f{n}"})
        statuses.append(response.status_code)
        if response.status_code != 200:
            assert response.status_code == 503 and response.headers["Retry-After"] == "5"
            break
    event.remove(db.engine, "connect", cap)
    close_all()
    assert statuses[-1] == 503, "the capped file never filled up"
    assert attempts() == statuses.count(200)  # every confirmed answer kept; the refused one not half-written
