"""Many learners answer at once through gunicorn with several workers: nothing is lost or stored twice.

Bounded (fixed clients and submissions, timeouts everywhere) and loopback only. Figures are printed.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import NamedTuple

import pytest
from support import PASSWORD, load_courses, login, make_user, served_by_gunicorn

from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.services.teaching import classes

pytestmark = pytest.mark.slow

CLIENTS = 16
SUBMISSIONS_PER_CLIENT = 20
WORKERS = 3
QUESTION = "/courses/demo/basics/where"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Server(NamedTuple):
    """A running server and the class whose learners use it."""

    base: str
    class_id: int


@pytest.fixture
def server(app, database_url, tmp_path):
    """Start `quizapp serve` (gunicorn) on the test database, with a class of learners; yield its address."""
    load_courses()
    teacher = make_user("teacher@example.org", role="instructor")
    period = classes.create_class(teacher.id, "Load test")
    for number in range(CLIENTS):
        classes.join_class(make_user(f"load{number}@example.org").id, period.join_code)
    db.session.remove()
    with served_by_gunicorn(database_url, tmp_path / "gunicorn.log", workers=WORKERS,
                            RATELIMIT_ENABLED="0") as base:
        yield Server(base, period.id)


class Learner:
    """One browser-like client: its own cookies, logs in through the form, answers with CSRF tokens."""

    def __init__(self, base: str, email: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        login_page = self.get("/login")
        self.post("/login", {"csrf_token": TOKEN.search(login_page).group(1), "email": email, "password": PASSWORD})
        self.token = TOKEN.search(self.get(QUESTION)).group(1)

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def answer(self, key: str, choice: str) -> tuple[int, str]:
        return self.post(QUESTION, {"csrf_token": self.token, "action": "answer", "choice": choice,
                                    "submission_key": key})


def test_concurrent_learners_lose_no_answer_and_store_none_twice(server, app, capsys):
    accepted: dict[str, str] = {}
    failures: list[str] = []
    lock = threading.Lock()

    def run(number: int) -> None:
        learner = Learner(server.base, f"load{number}@example.org")
        for index in range(SUBMISSIONS_PER_CLIENT):
            key = f"c{number}-s{index}"
            repeats = 2 if index % 5 == 0 else 1  # every fifth form is sent twice, as a double click does
            for _ in range(repeats):
                status, body = learner.answer(key, "abc"[index % 3])
                with lock:
                    if status == 200 and ("Correct." in body or "Not quite." in body):
                        accepted[key] = f"load{number}@example.org"
                    else:
                        failures.append(f"{key}: HTTP {status}")

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    duration = time.monotonic() - started

    db.session.remove()
    stored = [key for (key,) in db.session.query(Attempt.submission_key)]
    sent = CLIENTS * SUBMISSIONS_PER_CLIENT
    with capsys.disabled():
        print(f"\n[load] {db.engine.dialect.name}: {CLIENTS} clients, {WORKERS} gunicorn workers, "
              f"{sent} submissions (+{sent // 5} double submits) in {duration:.1f} s, "
              f"{len(accepted)} accepted, {len(stored)} stored, {len(failures)} failed, "
              f"{len(set(accepted) - set(stored))} lost")
    assert not failures
    assert len(accepted) == sent
    assert sorted(stored) == sorted(accepted)  # every accepted answer stored, and stored exactly once
    assert exported_attempts(app, server.class_id) == len(stored)


def exported_attempts(app, class_id: int) -> int:
    """Count the rows of the class's raw-attempts CSV, as an instructor downloads it."""
    client = app.test_client()
    login(client, "teacher@example.org")
    response = client.get(f"/dashboard/classes/{class_id}/export/attempts.csv?course=demo")
    assert response.status_code == 200
    lines = response.get_data(as_text=True).strip().splitlines()
    return len(lines) - 1  # minus the header
