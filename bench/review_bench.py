"""Spaced review at scale, in-process (no server), CPU per request as bench/profile_pages.py measures it.

    .venv/bin/python bench/review_bench.py [--cards 10000] [--learners 10000] [--per 100] [--db postgresql]

- a learner with ``--cards`` cards (half of them due): the Review page, the navigation's due count (the
  service call alone), and a review answer against a lesson answer (CPU per request, fastest of 10
  batches, the two interleaved): each card is a question of its own, so first with every review's
  question rendered for the first time in this worker, then with the cards put back and answered again
  in the same order, their renders kept (the lesson answer's render is kept in both);
- the instructor's fading view for a class of ``--learners`` members with ``--per`` cards each: wall
  time per page build (the first page of learners), p50 and p95 of 20 after one warm-up (SQLite, or
  PostgreSQL with ``--db postgresql``, analysed after the bulk write as autovacuum would). Each card has
  the log its answers would have left: its first answer (a quarter of them missed) and 0 to 2 reviews
  since (a fifth of them lapses), about two million rows for 10,000 x 100, counted into the learners'
  review outcomes as the migration would (recovery and calibration read those counters, not the log).
Cards and logs are written with plain INSERT ... SELECT, so building a million takes seconds.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from profile_pages import QUESTION, Pages, fastest  # noqa: E402

from quizapp import MIGRATIONS, create_app  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import ReviewCard, utcnow  # noqa: E402
from quizapp.services.learning import review  # noqa: E402
from quizapp.services.teaching import reports, review_class  # noqa: E402
from quizapp.services.teaching.summaries import fading  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432"


def clone_questions(count: int) -> list[int]:
    """Copy the profiled question ``count`` times in its lesson (same answer key); give the new ids."""
    key = QUESTION.removeprefix("/courses/")
    question, versions_table = db.metadata.tables["question"], db.metadata.tables["question_version"]
    source = db.session.execute(sa.select(question).where(question.c.key == key)).mappings().one()
    version = db.session.execute(sa.select(versions_table).where(versions_table.c.question_id == source["id"])
                                 ).mappings().one()
    top = db.session.execute(sa.text("SELECT max(id) FROM question")).scalar_one()
    top_version = db.session.execute(sa.text("SELECT max(id) FROM question_version")).scalar_one()
    questions = [{**source, "id": top + n, "key": f"{key}-c{n}", "position": 1000 + n} for n in range(1, count + 1)]
    versions = [{**version, "id": top_version + n, "question_id": top + n} for n in range(1, count + 1)]
    db.session.execute(sa.insert(question), questions)
    db.session.execute(sa.insert(versions_table), versions)
    db.session.commit()
    return [q["id"] for q in questions]


def add_cards(where_users: str, question_ids_sql: str, params: dict) -> None:
    """Write a card for each (user, question) chosen, dues spread from an hour ago to 20 days on, and the
    hour each starts fading spread over 1,000 whole hours (half of them past), as answers spread over six
    weeks would leave them: a class's counters then hold up to 1,000 rows per question."""
    now = utcnow()
    dues = {f"d{n}": now + timedelta(hours=-1 if n < 5 else 24 * (n - 4)) for n in range(10)}
    past = {f"r{n}": now - timedelta(days=n * 3) for n in range(10)}
    hour = now.replace(minute=0, second=0, microsecond=0)
    hours = sa.table("bench_hour", sa.column("n", sa.Integer), sa.column("at", sa.DateTime(timezone=True)))
    db.session.execute(sa.text("CREATE TABLE IF NOT EXISTS bench_hour (n INTEGER PRIMARY KEY, "
                               "at TIMESTAMP WITH TIME ZONE)"))
    db.session.execute(sa.delete(hours))
    db.session.execute(sa.insert(hours), [{"n": n, "at": hour + timedelta(hours=n - 499)} for n in range(1000)])
    due_case = "CASE " + " ".join(f"WHEN (u.id + q.id) % 10 = {n} THEN :d{n}" for n in range(9)) + " ELSE :d9 END"
    last_case = "CASE " + " ".join(f"WHEN (u.id * 7 + q.id) % 10 = {n} THEN :r{n}" for n in range(9)) + " ELSE :r9 END"
    db.session.execute(sa.text(
        "INSERT INTO review_card (user_id, question_id, version, state, step, stability, difficulty, due, "
        "last_review, fading_at, reviews, suspended, tries, hints, asked) "
        f"SELECT u.id, q.id, q.version, 2, NULL, 3.0 + (q.id % 20), 5.0, {due_case}, {last_case}, h.at, 2, "
        f"false, 0, 0, false FROM user_account u CROSS JOIN ({question_ids_sql}) q "
        f"JOIN bench_hour h ON h.n = (u.id * 3 + q.id) % 1000 WHERE {where_users}"),
        {**dues, **past, **params})
    db.session.commit()


def add_logs(low: int, per: int) -> None:
    """Write each card's review log (questions numbered from ``low``): its first answer, missed for a
    quarter of the cards, and 0 to 2 reviews since, a fifth of them lapses, at recalls from 0.3 to 0.99.
    The log's attempts are not written (the foreign key is not checked for this bulk write)."""
    now = utcnow()
    dialect = db.engine.dialect.name
    db.session.commit()
    db.session.execute(sa.text("PRAGMA foreign_keys=OFF" if dialect == "sqlite"
                               else "SET session_replication_role = replica"))
    db.session.execute(sa.text(
        "INSERT INTO review_log (user_id, question_id, version, attempt_id, rating, reviewed_at, first, "
        "elapsed_days, recall, card_before, card_after) "
        "SELECT c.user_id, c.question_id, c.version, (c.user_id * :per + c.question_id - :low) * 3 + n.n, "
        "CASE WHEN n.n = 0 THEN (CASE WHEN (c.user_id + c.question_id) % 4 = 0 THEN 1 ELSE 3 END) "
        "WHEN (c.user_id * 3 + c.question_id + n.n) % 5 = 0 THEN 1 ELSE 3 END, :now, n.n = 0, "
        "CASE WHEN n.n = 0 THEN NULL ELSE 2.0 * n.n END, "
        "CASE WHEN n.n = 0 THEN NULL ELSE 0.3 + ((c.user_id + c.question_id * 7 + n.n) % 70) / 100.0 END, "
        "NULL, '{}' FROM review_card c JOIN bench_hour n ON n.n < 3 "
        "WHERE c.question_id >= :low AND n.n <= (c.user_id * 5 + c.question_id) % 3"),
        {"low": low, "per": per, "now": now})
    db.session.commit()
    db.session.execute(sa.text("PRAGMA foreign_keys=ON" if dialect == "sqlite"
                               else "SET session_replication_role = DEFAULT"))


def outcomes_backfill() -> list[str]:
    """The review outcome migration's backfill (statements that count review_log)."""
    path = next(Path(MIGRATIONS, "versions").glob("68d2167587a6_*.py"))
    spec = importlib.util.spec_from_file_location("outcomes_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BACKFILL


def learner_case(n: int, cards: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pages = Pages(Path(tmp))
        with pages.app.app_context():
            ids = clone_questions(cards)
            add_cards("u.email = 'learner@example.org'",
                      "SELECT id, version FROM question WHERE id >= :low", {"low": ids[0]})
            user_id = db.session.execute(sa.text("SELECT id FROM user_account WHERE email = 'learner@example.org'")
                                         ).scalar_one()
            db.session.execute(sa.text(  # each card's first answer, as the answer that made it left it
                "INSERT INTO learner_question (user_id, question_id, version, attempts, first_attempt_id, "
                "first_score, first_correct, first_hints, first_at, last_attempt_id, last_correct, last_at, "
                "best_score, ever_correct, ever_other) SELECT user_id, question_id, version, 1, 0, 1.0, true, 0, "
                ":now, 0, true, :now, 1.0, true, false FROM review_card WHERE user_id = :user"),
                {"user": user_id, "now": utcnow()})
            db.session.commit()
            for class_id in db.session.execute(sa.text("SELECT classroom_id FROM enrollment")).scalars().all():
                fading.ensure_members(class_id)  # the learner's class counts their cards, as once viewed
            due = db.session.execute(sa.select(ReviewCard.question_id, ReviewCard.due).where(
                ReviewCard.user_id == user_id, ReviewCard.due <= utcnow()).order_by(ReviewCard.due)).all()
            db.session.execute(sa.text("CREATE TABLE bench_card AS SELECT * FROM review_card"))  # to restore
            db.session.commit()
        queue = list(due)
        cursor = [iter(queue)]

        def review_answer(fetch: bool = False) -> str:
            qid, when = next(cursor[0])
            token = (review.utc(when) - EPOCH) // timedelta(microseconds=1)
            pages.sent += 1
            body = (f"csrf_token={pages.token}&action=answer&choice=b&submission_key=rv{pages.sent}"
                    f"&round={token}").encode()
            return pages.call(pages.app, "POST", f"/review/{qid}", body, fetch)

        def count() -> None:
            with pages.app.app_context():
                review.count_due(user_id, utcnow())

        assert pages.call(pages.app, "GET", "/review").startswith("200")
        assert review_answer().startswith("200")
        cases = {"review page": lambda: pages.call(pages.app, "GET", "/review"), "due count (service)": count,
                 "lesson answer": pages.answer, "review answer": review_answer,
                 "lesson answer (fetch)": lambda: pages.answer(fetch=True),
                 "review answer (fetch)": lambda: review_answer(fetch=True)}
        calls = max(1, min(n // 10, len(queue) // 12))
        for label in ("each review's question rendered for the first time in this worker",
                      "the same cards again, their renders kept (as after other learners' reviews)"):
            print(label)
            for name, per in fastest(cases, batches=10, calls=calls).items():
                print(f"  {name:22s} {per:7.3f} ms CPU/request (fastest of 10 batches of {calls})")
            restore_cards(pages)
            cursor[0] = iter(queue[1:])


def restore_cards(pages: Pages) -> None:
    """Put the cards back as they were before the timed answers (due again, same state)."""
    with pages.app.app_context():
        db.session.execute(sa.text("DELETE FROM review_card"))
        db.session.execute(sa.text("INSERT INTO review_card SELECT * FROM bench_card"))
        db.session.commit()


def fading_case(url: str, learners: int, per: int) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        from quizapp.content import parse_tree  # noqa: PLC0415
        from quizapp.services.authoring.content_sync import sync_tree  # noqa: PLC0415
        sync_tree(parse_tree(ROOT / "content"))
        low = clone_questions(per)[0]
        db.session.execute(sa.text("INSERT INTO user_account (email, password_hash, role, created_at, session_version) "
                                   "VALUES ('t@example.org', 'x', 'instructor', :now, 1)"), {"now": utcnow()})
        rows = [{"email": f"m{n}@example.org", "now": utcnow()} for n in range(learners)]
        db.session.execute(sa.text("INSERT INTO user_account (email, password_hash, role, created_at, "
                                   "session_version) VALUES (:email, 'x', 'learner', :now, 1)"), rows)
        db.session.execute(sa.text("INSERT INTO classroom (name, join_code, instructor_id, archived, created_at) "
                                   "SELECT 'Big', 'BIGCLASS', id, false, :now FROM user_account "
                                   "WHERE email = 't@example.org'"), {"now": utcnow()})
        class_id = db.session.execute(sa.text("SELECT id FROM classroom")).scalar_one()
        db.session.execute(sa.text("INSERT INTO enrollment (classroom_id, user_id, joined_at) SELECT :c, id, :now "
                                   "FROM user_account WHERE role = 'learner'"), {"c": class_id, "now": utcnow()})
        db.session.commit()
        start = time.perf_counter()
        add_cards("u.role = 'learner'", "SELECT id, version FROM question ORDER BY id DESC LIMIT :per", {"per": per})
        print(f"wrote {learners * per} cards in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        add_logs(low, per)
        logs = db.session.execute(sa.text("SELECT count(*) FROM review_log")).scalar_one()
        print(f"wrote {logs} review log rows in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        for statement in outcomes_backfill():  # the learners' review outcomes, as the migration counts them
            db.session.execute(sa.text(statement))
        db.session.commit()
        print(f"counted the log into review outcomes in {time.perf_counter() - start:.1f} s (once)")
        start = time.perf_counter()
        fading.ensure_members(class_id)  # once: as the migration, or answers, leave them counted
        print(f"counted the class's cards from scratch in {time.perf_counter() - start:.1f} s (once)")
        course = reports.pick_course(reports.list_courses(), None)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))  # as autovacuum would soon after a bulk write
            db.session.commit()
        data = review_class.get_class_review(class_id, course, utcnow())  # warm-up: caches, compiled statements
        print(f"the page: {len(data.fading)} questions, {data.missed} missed at first and reviewed, "
              f"{data.recovered} recovered, {sum(c.reviews for c in data.calibration)} reviews calibrated")
        times = []
        for _ in range(20):
            start = time.perf_counter()
            review_class.get_class_review(class_id, course, utcnow())
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"fading view {learners} x {per} on {url.split(':')[0]}: p50 {statistics.median(times):.0f} ms, "
              f"p95 {times[18]:.0f} ms, max {times[-1]:.0f} ms (20 builds after one warm-up)")
        db.session.remove()
        db.engine.dispose()


EPOCH = review.utc(utcnow().replace(year=1970, month=1, day=1, hour=0, minute=0, second=0, microsecond=0))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--per", type=int, default=100)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--skip", default="")
    parser.add_argument("-n", type=int, default=1000)
    args = parser.parse_args()
    if "learner" not in args.skip:
        learner_case(args.n, args.cards)
    if "fading" not in args.skip:
        if args.db == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                fading_case(f"sqlite:///{tmp}/f.sqlite3", args.learners, args.per)
        else:
            name = f"quizapp_bench_review_{uuid.uuid4().hex[:6]}"
            engine = sa.create_engine(PG.replace("postgresql://", "postgresql+psycopg://") + "/postgres",
                                      isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(sa.text(f"CREATE DATABASE {name}"))
            try:
                fading_case(f"{PG}/{name}", args.learners, args.per)
            finally:
                with engine.connect() as conn:
                    conn.execute(sa.text(f"DROP DATABASE {name}"))


if __name__ == "__main__":
    main()
