"""Helpers the tests share: paths, the test password, and doors into the app (accounts, login, content)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, select

from quizapp.content import parse_tree
from quizapp.extensions import db
from quizapp.models import Course
from quizapp.models.school import CourseMember
from quizapp.services.accounts import accounts
from quizapp.services.authoring.content_sync import sync_tree
from quizapp.speed import direct

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PASSWORD = "correct horse battery"
PG_URL = os.environ.get("QUIZAPP_TEST_DATABASE_URL", "")


def make_user(email: str = "learner@example.org", role: str = "learner"):
    """Create an account with the shared test password."""
    return accounts.create_user(email, PASSWORD, role=role)


def grant_courses(email: str, role: str = "editor") -> None:
    """Make an author an editor (or owner) of every course loaded so far, as an admin would."""
    user = accounts.get_user_by_email(email)
    for course in db.session.scalars(select(Course)):
        if db.session.get(CourseMember, (course.id, user.id)) is None:
            db.session.add(CourseMember(course_id=course.id, user_id=user.id, role=role))
    db.session.commit()


def make_author(email: str = "author@example.org", role: str = "author"):
    """Create an author who may edit every course loaded so far."""
    user = make_user(email, role=role)
    grant_courses(email)
    return user


def login(client, email: str, password: str = PASSWORD):
    """Log a test client in through the real form, with the form's CSRF token (checked when CSRF is on)."""
    token = csrf_token_in(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       follow_redirects=False)


def csrf_token_in(html: str) -> str:
    """Read the CSRF token a page put in its forms ("" if it put none)."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]*)"', html)
    return found.group(1) if found else ""


def load_courses(path: Path = DATA / "courses"):
    """Parse and load a content tree, failing loudly on any problem."""
    tree = parse_tree(path)
    assert not [p for p in tree.problems if p.severity == "error"], [str(p) for p in tree.problems]
    return sync_tree(tree)


def pg_schema_url(base: str, schema: str) -> str:
    """Point every connection at one schema, so the suite never touches other tables in the database."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}"


@contextmanager
def count_statements() -> Iterator[list[str]]:
    """Collect every SQL statement the app's engine sends inside the block (query-count tests)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    direct.statement_hooks.append(seen.append)  # statements that skip the engine (quizapp.speed.direct)
    try:
        yield seen
    finally:
        direct.statement_hooks.remove(seen.append)
        event.remove(db.engine, "before_cursor_execute", record)


def free_port() -> int:
    """Give a TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served_by_gunicorn(database_url: str, log: Path, *, workers: int = 2, **settings: str) -> Iterator[str]:
    """Run `quizapp serve` (gunicorn, the production server) on a test database; yield its base URL.

    ``settings`` become QUIZAPP_* variables (e.g. RATELIMIT_ENABLED="0"). Stopped, and waited for, on exit.
    """
    port = free_port()
    env = {**os.environ, "QUIZAPP_DATABASE_URL": database_url, "QUIZAPP_SECRET_KEY": "served-test",
           "QUIZAPP_RATELIMIT_STORAGE_URI": f"sqlite:///{log.parent / 'throttle.sqlite3'}",
           **{f"QUIZAPP_{name}": value for name, value in settings.items()}}
    script = Path(sys.executable).with_name("quizapp")
    with log.open("wb") as sink:
        process = subprocess.Popen([str(script), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
                                   env=env, stdout=subprocess.DEVNULL, stderr=sink)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)


def _wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text())
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)  # polling a starting server: no clock of the test's own is read
    raise RuntimeError("gunicorn did not start in 30 s")
