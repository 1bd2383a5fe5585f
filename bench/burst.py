"""A classroom burst: many pupils sign in from one school address within a minute, then each answers a few
questions, against `quizapp serve` with its defaults (4 workers, the throttles on, the real scrypt hash).

    .venv/bin/python bench/burst.py                       # SQLite, 300 pupils over 60 s, 5 answers each
    .venv/bin/python bench/burst.py --db postgresql       # the same on PostgreSQL (a fresh database)
    .venv/bin/python bench/burst.py --pupils 30 --seconds 10 --think 0.5

Reports p50/p95/p99 of the sign-in POST and of the answer POST, answers lost (a POST that did not get its
page, or an attempt missing from the database afterwards), and how many requests were throttled (429).
Targets (issue 15): p99 sign-in < 2 s, p99 answer < 150 ms, nothing lost, nobody throttled.

Every pupil has their own account (same password, so one hash is computed at set-up; each sign-in still
verifies it with scrypt), their own cookies, and arrives at an even pace over ``--seconds``; all requests
come from 127.0.0.1, as a class behind one NAT address would. Between answers a pupil thinks ``--think``
seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from flask_migrate import upgrade
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from servers import Browser, Server  # noqa: E402

from quizapp import MIGRATIONS, create_app  # noqa: E402
from quizapp.content import parse_tree  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import Attempt, User  # noqa: E402
from quizapp.services.authoring.content_sync import sync_tree  # noqa: E402

PASSWORD = "burst pupil passphrase"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
COURSE = "/courses/nextjs-server-logic"
LESSON = f"{COURSE}/server-logic-in-nextjs"
QUESTIONS = [f"{LESSON}/two-tools-difference", f"{LESSON}/where-action-body-runs", f"{LESSON}/action-call-network",
             f"{LESSON}/true-for-both", f"{COURSE}/route-handlers/unsupported-method"]
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def prepare(database_url: str, pupils: int, hash_method: str) -> None:
    """Migrate, load the shipped course, and create the pupils' accounts (one hash, shared)."""
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench-secret-key"})
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        sync_tree(parse_tree(ROOT / "content"))
        hashed = generate_password_hash(PASSWORD, method=hash_method or app.config["PASSWORD_HASH_METHOD"])
        db.session.add_all(User(email=f"pupil{n}@school.example", password_hash=hashed) for n in range(pupils))
        db.session.commit()
        db.engine.dispose()


def stored_attempts(database_url: str) -> int:
    """Count the attempts in the database after the run."""
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench-secret-key"})
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Attempt))
        db.engine.dispose()
    return count


class Tally:
    """What the pupils saw, gathered from every thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sign_ins: list[float] = []
        self.answers: list[float] = []
        self.statuses: dict[int, int] = {}
        self.lost = 0
        self.failed_sign_ins = 0

    def seen(self, status: int) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1


def pupil(base: str, number: int, start: float, think: float, tally: Tally) -> None:
    """Arrive at ``start``, sign in through the form, open the lesson, answer each question once."""
    time.sleep(max(0.0, start - time.monotonic()))
    browser = Browser(base)
    status, page = browser.get("/login")
    tally.seen(status)
    fields = {"email": f"pupil{number}@school.example", "password": PASSWORD,
              "csrf_token": CSRF.search(page).group(1)}
    began = time.perf_counter()
    status, _ = browser.post("/login", fields)
    took = time.perf_counter() - began
    tally.seen(status)
    with tally.lock:
        tally.sign_ins.append(took)
        if status != 302:
            tally.failed_sign_ins += 1
            tally.lost += len(QUESTIONS)
    if status != 302:
        return
    status, page = browser.get(LESSON)
    tally.seen(status)
    token = CSRF.search(page).group(1)
    for index, path in enumerate(QUESTIONS):
        time.sleep(think)
        form = {"csrf_token": token, "action": "answer", "choice": "a", "hints_used": "0",
                "submission_key": f"burst-{number}-{index}", "shown_at": str(int(time.time()) - 20)}
        began = time.perf_counter()
        status, _ = browser.post(path, form)
        took = time.perf_counter() - began
        tally.seen(status)
        with tally.lock:
            tally.answers.append(took)
            tally.lost += status != 200


def percentile(values: list[float], share: float) -> float:
    """Give the value below which ``share`` of the values lie (nearest rank), in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] * 1000


def run(database_url: str, work: Path, args: argparse.Namespace) -> dict:
    """Prepare the database, serve it, send the class, and give the figures."""
    pupils, seconds, think, workers = args.pupils, args.seconds, args.think, args.workers
    prepare(database_url, pupils, args.hash_method)
    os.environ["QUIZAPP_RATELIMIT_STORAGE_URI"] = f"sqlite:///{work / 'throttle.sqlite3'}"  # the default kind
    tally = Tally()
    with Server("app", workers, database_url) as server, ThreadPoolExecutor(max_workers=min(pupils, 200)) as pool:
        started = time.monotonic() + 1
        cpu = server.cpu_seconds()
        for number in range(pupils):
            pool.submit(pupil, server.base, number, started + seconds * number / pupils, think, tally)
        pool.shutdown(wait=True)
        cpu = server.cpu_seconds() - cpu
        wall = time.monotonic() - started
    stored = stored_attempts(database_url)
    expected = (pupils - tally.failed_sign_ins) * len(QUESTIONS)
    return {
        "pupils": pupils, "seconds": seconds, "wall_s": round(wall, 1), "server_cpu_s": round(cpu, 1),
        "sign_in_p50_ms": round(percentile(tally.sign_ins, 0.50), 1),
        "sign_in_p95_ms": round(percentile(tally.sign_ins, 0.95), 1),
        "sign_in_p99_ms": round(percentile(tally.sign_ins, 0.99), 1),
        "answer_p50_ms": round(percentile(tally.answers, 0.50), 1),
        "answer_p95_ms": round(percentile(tally.answers, 0.95), 1),
        "answer_p99_ms": round(percentile(tally.answers, 0.99), 1),
        "answers_lost": tally.lost + max(0, expected - stored), "answers_stored": stored,
        "throttled": tally.statuses.get(429, 0), "statuses": dict(sorted(tally.statuses.items())),
    }


def postgres_database() -> tuple[str, str]:
    """Create a fresh PostgreSQL database for the run; give its URL and name."""
    name = f"quizapp_burst_{os.getpid()}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", name


def drop_postgres(name: str) -> None:
    """Drop the run's PostgreSQL database."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pupils", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=60.0, help="the pupils arrive evenly over this time")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between a pupil's answers")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (quizapp serve's default: 4)")
    parser.add_argument("--hash-method", default="", help="diagnosis only: store the pupils' passwords with "
                        "this werkzeug method (e.g. pbkdf2:sha256:1000) to see the burst without the KDF's cost")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        name = ""
        if args.db == "postgresql":
            url, name = postgres_database()
        else:
            url = f"sqlite:///{work / 'burst.sqlite3'}"
        try:
            figures = run(url, work, args)
        finally:
            if name:
                drop_postgres(name)
    kind = args.db + (f" with {args.hash_method}" if args.hash_method else "")
    print(f"burst on {kind}: " + ", ".join(f"{key} {value}" for key, value in figures.items()))
    ok = (figures["sign_in_p99_ms"] < 2000 and figures["answer_p99_ms"] < 150 and not figures["answers_lost"]
          and not figures["throttled"])
    print("targets (p99 sign-in < 2 s, p99 answer < 150 ms, nothing lost, nobody throttled):",
          "MET" if ok else "MISSED")


if __name__ == "__main__":
    main()
