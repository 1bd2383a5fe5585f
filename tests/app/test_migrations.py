"""Migrations: an empty database upgrades to head, and a database of the previous release keeps its data."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from fsrs import Card, Rating, Scheduler
from support import PG_URL, load_courses, make_user, pg_schema_url

from quizapp import MIGRATIONS, create_app
from quizapp.content import answer_from_dict, answer_key_hash
from quizapp.database import close_all
from quizapp.extensions import db
from quizapp.services.learning import practice
from quizapp.services.learning.progress import get_progress_for_user
from quizapp.services.teaching.summaries import class_summaries

FIRST_RELEASE = "c8f5d21b0813"  # the initial schema, as shipped before classes existed
BEFORE_SUMMARIES = "2a5d501b5250"  # the last release without learner_question / learner_option
BEFORE_DROPPING_PICKS = "7b3e9c41d2a6"  # the last release with attempt_pick
SCOPED_KEYS_DOWN = "a17e5c0b9d42"  # the last revision whose answer keys were unique per learner only


@pytest.fixture
def empty_database(tmp_path):
    """An empty database of the kind under test (SQLite file, or a fresh PostgreSQL schema)."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    schema = f"qa_mig_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield pg_schema_url(PG_URL, schema)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def build(url):
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "t"})


def upgrade_and_seed(revision: str, batch) -> None:
    """Upgrade to ``revision``, then run a batch of (statement, parameters) in one transaction."""
    upgrade(directory=MIGRATIONS, revision=revision)
    with db.engine.begin() as conn:
        for statement, rows in batch:
            conn.execute(sa.text(statement), rows)


def test_empty_database_upgrades_to_head_and_matches_the_models(empty_database):
    app = build(empty_database)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            drift = compare_metadata(context, db.metadata)
        assert not drift, f"models and migrations differ; run `quizapp db migrate`: {drift}"
        db.engine.dispose()


def test_previous_release_upgrades_with_data_intact(empty_database):
    app = build(empty_database)
    with app.app_context():
        upgrade_and_seed(FIRST_RELEASE, SEED)
        upgrade_and_seed(BEFORE_SUMMARIES, PICKS)
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT email FROM user_account")).scalar_one() == "old@example.org"
            assert conn.execute(sa.text("SELECT count(*) FROM attempt")).scalar_one() == 4
            assert conn.execute(sa.text("SELECT count(*) FROM classroom")).scalar_one() == 1
            summaries = conn.execute(sa.text(
                "SELECT question_id, version, attempts, first_attempt_id, first_score, first_correct, first_hints, "
                "last_attempt_id, last_correct, best_score, ever_correct, ever_other "
                "FROM learner_question WHERE user_id = 1 ORDER BY question_id, version")).all()
            options = conn.execute(sa.text("SELECT user_id, question_id, version, option_id FROM learner_option")).all()
            days = conn.execute(sa.text("SELECT user_id, course_id, day, attempts, correct FROM learner_day")).all()
        # Question 1, version 1: wrong with a pick (hint 1), right, wrong with no pick ("other"), then version 2.
        assert [tuple(row) for row in summaries] == [
            (1, 1, 3, 1, 0.0, False, 1, 3, False, 1.0, True, True),
            (1, 2, 1, 4, 1.0, True, 0, 4, True, 1.0, True, False),
        ]
        assert [tuple(row) for row in options] == [(1, 1, 1, "a")]  # picked twice, one learner
        assert [(u, c, str(d), n, r) for u, c, d, n, r in days] == [(1, 1, "2026-01-01", 4, 2)]
        courses = get_progress_for_user(1)
        assert [(c.key, c.correct, c.total) for c in courses] == [("old", 1, 1)]
        # The class counters: version 2 is current, so it is the one counted (t = first score on it = 1).
        backfilled = class_rows()
        assert backfilled["class_learner"] == [(1, 1, 1, 1, 1, 1.0)]
        assert backfilled["class_question"] == [
            (1, 1, 1, 1, False, 1, 0, 3, 1, 1, 0.0, 0.0, 0.0, 0.0, 0.0),
            (1, 1, 1, 2, True, 1, 1, 1, 1, 0, 1.0, 1.0, 1.0, 1.0, 1.0),
        ]
        assert backfilled["class_option"] == [(1, 1, 1, 1, "a", 1)]
        assert backfilled["class_day"] == [(1, 1, "2026-01-01", 4, 2)]
        assert backfilled["class_course"] == [(1, 1)]
        assert class_summaries.is_fresh(1, 1)
        # The current answer key is fingerprinted as a reload of the same file would now fingerprint it
        # (feedback and HTML left out); the older version keeps its own.
        with db.engine.connect() as conn:
            hashes = conn.execute(sa.text("SELECT number, key_hash FROM question_version ORDER BY number")).all()
        reloaded = answer_key_hash(answer_from_dict(json.loads(CURRENT_KEY)))
        assert [tuple(row) for row in hashes] == [(1, "k"), (2, reloaded)]
        class_summaries.rebuild(1, 1)  # what the app builds from the same rows
        assert class_rows() == backfilled
        # attempt_pick repeated attempt.matched and is gone; going back a release rebuilds it from matched.
        assert "attempt_pick" not in sa.inspect(db.engine).get_table_names()
        close_all()  # no connection may hold a lock on the tables the downgrade alters (PostgreSQL)
        downgrade(directory=MIGRATIONS, revision=BEFORE_DROPPING_PICKS)
        with db.engine.connect() as conn:
            picks = conn.execute(sa.text("SELECT attempt_id, user_id, question_id, version, option_id "
                                         "FROM attempt_pick")).all()
        assert [tuple(row) for row in picks] == [(1, 1, 1, 1, "a")]
        upgrade(directory=MIGRATIONS)
        assert "attempt_pick" not in sa.inspect(db.engine).get_table_names()
        close_all()


def class_rows() -> dict[str, list[tuple]]:
    """Every class counter row, in key order (timestamps left out; days as text)."""
    found = {}
    for table in ("class_learner", "class_question", "class_option", "class_day", "class_course"):
        columns = [c.name for c in db.metadata.tables[table].columns if c.name not in ("last_active", "built_at")]
        rows = db.session.execute(sa.text(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(columns)}"))
        found[table] = [tuple(str(v) if table == "class_day" and i == 2 else v for i, v in enumerate(row))
                        for row in rows]
    db.session.rollback()
    return found


NOW = "2026-01-01 10:00:00+00:00"
CURRENT_KEY = ('{"kind": "choice", "partial_credit": false, "choices": [{"id": "a", "text": "A", "correct": true, '
               '"feedback": "Why", "html": "<p>A</p>", "feedback_html": "<p>Why</p>"}]}')
SEED = [
    ("INSERT INTO user_account (id, email, password_hash, role, created_at) "
     "VALUES (1, 'old@example.org', 'x', 'learner', :now)", {"now": NOW}),
    ("INSERT INTO course (id, key, title, summary, position, intro_html, source, source_hash, retired, updated_at) "
     "VALUES (1, 'old', 'Old course', '', 1, '', '', 'h', false, :now)", {"now": NOW}),
    ("INSERT INTO lesson (id, course_id, key, slug, title, summary, tags, minutes, position, body_html, source, "
     "source_hash, filename, retired, updated_at) VALUES (1, 1, 'old/one', 'one', 'One', '', '[]', NULL, 0, '', '', "
     "'h', '01-one.md', false, :now)", {"now": NOW}),
    ("INSERT INTO question (id, lesson_id, key, title, position, kind, version, prompt_html, hints_html, "
     "solution_html, quick_check_html, mistakes_html, retired) VALUES (1, 1, 'old/one/q', 'Q', 0, 'choice', 1, "
     "'', '[]', '', '', '[]', false)", {}),
    ("INSERT INTO question_version (id, question_id, number, kind, answer, key_hash, created_at) VALUES "
     "(1, 1, 1, 'choice', :answer, 'k', :now)",
     {"now": NOW, "answer": '{"kind": "choice", "partial_credit": false, "choices": []}'}),
    ("INSERT INTO attempt (id, user_id, question_id, version, response, score, correct, matched, feedback_html, "
     "hints_used, seconds, submission_key, created_at) VALUES "
     "(1, 1, 1, 1, '{}', 0, false, '[]', '[]', 0, NULL, 'a', :now), "
     "(2, 1, 1, 1, '{}', 1, true, '[]', '[]', 0, NULL, 'b', :now)", {"now": NOW}),
]
# Added between the release that made attempt_pick and the one that made the summaries.
PICKS = [
    ("UPDATE attempt SET hints_used = 1, matched = '[\"a\"]' WHERE id = 1", {}),
    ("INSERT INTO question_version (id, question_id, number, kind, answer, key_hash, created_at) VALUES "
     "(2, 1, 2, 'choice', :answer, 'k2', :now)",
     {"now": NOW, "answer": CURRENT_KEY}),
    ("UPDATE question SET version = 2 WHERE id = 1", {}),
    ("INSERT INTO attempt (id, user_id, question_id, version, response, score, correct, matched, feedback_html, "
     "hints_used, seconds, submission_key, created_at) VALUES "
     "(3, 1, 1, 1, '{}', 0, false, '[]', '[]', 0, NULL, 'c', :now), "
     "(4, 1, 1, 2, '{}', 1, true, '[]', '[]', 0, NULL, 'd', :now)", {"now": NOW}),
    ("INSERT INTO attempt_pick (id, attempt_id, user_id, question_id, version, option_id) VALUES "
     "(1, 1, 1, 1, 1, 'a'), (2, 1, 1, 1, 1, 'a')", {}),
    ("INSERT INTO classroom (id, name, join_code, instructor_id, archived, created_at) VALUES "
     "(1, 'Old class', 'OLD1', 1, false, :now)", {"now": NOW}),
    ("INSERT INTO enrollment (id, classroom_id, user_id, joined_at) VALUES (1, 1, 1, :now)", {"now": NOW}),
]


def test_a_database_behind_this_release_is_reported_and_not_served(empty_database):
    app = build(empty_database)
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=FIRST_RELEASE)
        health = app.test_client().get("/healthz")
        assert health.status_code == 503 and health.get_json()["database"] == "behind"
        assert "quizapp db upgrade" in health.get_json()["fix"]
        refused = app.test_cli_runner().invoke(args=["serve"])
        assert refused.exit_code != 0 and "quizapp db upgrade" in refused.output
        upgrade(directory=MIGRATIONS)
        assert app.test_client().get("/healthz").status_code == 200
        close_all()


def test_keys_reused_across_questions_survive_a_downgrade(empty_database):
    """The answer key is unique per learner and question (fd8f0c865e78); going back makes reused keys distinct."""
    app = build(empty_database)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        load_courses()
        user = make_user()
        for anchor, form in (("where", {"choice": ["a"]}), ("method", {"text": ["post"]})):
            authored = practice.load_authored("demo", "basics", anchor)
            practice.submit_answer(user.id, authored.key, form, submission_key="reused")
        db.session.commit()
        close_all()
        downgrade(directory=MIGRATIONS, revision=SCOPED_KEYS_DOWN)
        with db.engine.connect() as conn:
            keys = conn.execute(sa.text("SELECT id, submission_key FROM attempt ORDER BY id")).all()
        assert [tuple(row) for row in keys] == [(1, "reused"), (2, "reused~2")]
        close_all()
        upgrade(directory=MIGRATIONS)
        close_all()


BEFORE_REVIEW = "5b410ff9d413"  # the last revision without review cards


def test_the_review_migration_replays_stored_first_answers_into_cards(empty_database):
    app = build(empty_database)
    with app.app_context():
        upgrade_and_seed(BEFORE_REVIEW, REVIEW_SEED)
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            cards = conn.execute(sa.text("SELECT user_id, question_id, version, state, step, stability, due, reviews "
                                         "FROM review_card ORDER BY user_id, question_id")).all()
            logs = conn.execute(sa.text("SELECT user_id, attempt_id, rating, first FROM review_log "
                                        "ORDER BY attempt_id")).all()
        # Learner 1: wrong first (Again: due in a minute), right later (practice). Learner 2: right first with
        # no hint (Good, no learning steps: due in days). Learner 3: right after a hint (Hard: minutes).
        at = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
        expected = {}
        for user, rating, steps in ((1, Rating.Again, None), (2, Rating.Good, ()), (3, Rating.Hard, None)):
            scheduler = Scheduler(enable_fuzzing=False) if steps is None else Scheduler(learning_steps=(),
                                                                                        enable_fuzzing=False)
            expected[user] = scheduler.review_card(Card(card_id=0, due=at), rating, at)[0]
        assert [(u, q, v, s, st, r) for u, q, v, s, st, _stab, _due, r in cards] == [
            (user, 1, 1, int(card.state), card.step, 1) for user, card in expected.items()]
        for row in cards:
            due = row.due if isinstance(row.due, datetime) else datetime.fromisoformat(row.due)
            due = due.replace(tzinfo=UTC) if due.tzinfo is None else due
            assert due == expected[row.user_id].due
        assert [tuple(row) for row in logs] == [(1, 1, 1, True), (2, 3, 3, True), (3, 4, 2, True)]
        close_all()
        downgrade(directory=MIGRATIONS, revision=BEFORE_REVIEW)
        assert "review_card" not in sa.inspect(db.engine).get_table_names()
        close_all()


_ATTEMPT = ("INSERT INTO attempt (id, user_id, question_id, version, response, score, correct, matched, "
            "feedback_html, hints_used, seconds, submission_key, created_at) VALUES "
            "(:id, :user, 1, 1, '{}', :score, :correct, '[]', '[]', :hints, NULL, :key, :at)")
_SUMMARY = ("INSERT INTO learner_question (user_id, question_id, version, attempts, first_attempt_id, first_score, "
            "first_correct, first_hints, first_at, last_attempt_id, last_correct, last_at, best_score, ever_correct, "
            "ever_other) VALUES (:user, 1, 1, :n, :first, :score, :correct, :hints, :at, :last, :last_correct, :at, "
            ":best, :ever, false)")
REVIEW_SEED = SEED[:5] + [
    ("INSERT INTO user_account (id, email, password_hash, role, created_at) VALUES "
     "(2, 'two@example.org', 'x', 'learner', :now), (3, 'three@example.org', 'x', 'learner', :now)", {"now": NOW}),
    (_ATTEMPT, [{"id": 1, "user": 1, "score": 0, "correct": False, "hints": 0, "key": "a", "at": NOW},
                {"id": 2, "user": 1, "score": 1, "correct": True, "hints": 0, "key": "b", "at": NOW},
                {"id": 3, "user": 2, "score": 1, "correct": True, "hints": 0, "key": "c", "at": NOW},
                {"id": 4, "user": 3, "score": 1, "correct": True, "hints": 1, "key": "d", "at": NOW}]),
    (_SUMMARY, [{"user": 1, "n": 2, "first": 1, "score": 0, "correct": False, "hints": 0, "at": NOW, "last": 2,
                 "last_correct": True, "best": 1, "ever": True},
                {"user": 2, "n": 1, "first": 3, "score": 1, "correct": True, "hints": 0, "at": NOW, "last": 3,
                 "last_correct": True, "best": 1, "ever": True},
                {"user": 3, "n": 1, "first": 4, "score": 1, "correct": True, "hints": 1, "at": NOW, "last": 4,
                 "last_correct": True, "best": 1, "ever": True}]),
]
