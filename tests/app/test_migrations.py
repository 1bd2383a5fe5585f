"""Migrations: an empty database upgrades to head, and a database of the previous release keeps its data."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from support import PG_URL, pg_schema_url

from quizapp import MIGRATIONS, create_app
from quizapp.extensions import db
from quizapp.services.progress import get_progress_for_user

FIRST_RELEASE = "c8f5d21b0813"  # the initial schema, as shipped before classes existed


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
        upgrade(directory=MIGRATIONS, revision=FIRST_RELEASE)
        with db.engine.begin() as conn:
            for statement, rows in SEED:
                conn.execute(sa.text(statement), rows)
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT email FROM user_account")).scalar_one() == "old@example.org"
            assert conn.execute(sa.text("SELECT count(*) FROM attempt")).scalar_one() == 2
            assert conn.execute(sa.text("SELECT count(*) FROM classroom")).scalar_one() == 0
        courses = get_progress_for_user(1)
        assert [(c.key, c.correct, c.total) for c in courses] == [("old", 1, 1)]
        db.session.remove()
        db.engine.dispose()


NOW = "2026-01-01 10:00:00+00:00"
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
        db.session.remove()
        db.engine.dispose()
