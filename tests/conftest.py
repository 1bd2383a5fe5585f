"""Shared fixtures: a migrated real database (SQLite file, or PostgreSQL when asked), an app, users, content."""

from __future__ import annotations

import shutil
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from support import DATA, PASSWORD, PG_URL, ROOT, load_courses, login, make_user, pg_schema_url  # noqa: F401

from quizapp import MIGRATIONS, create_app
from quizapp.database import close_all
from quizapp.extensions import db


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Migrate an empty database to head once per session; yield how tests get a fresh one."""
    if PG_URL:
        schema = f"qa_test_{uuid.uuid4().hex[:8]}"
        engine = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        url = pg_schema_url(PG_URL, schema)
        _migrate(url)
        yield {"kind": "postgresql", "url": url}
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()
    else:
        path = tmp_path_factory.mktemp("db") / "template.sqlite3"
        _migrate(f"sqlite:///{path}")
        yield {"kind": "sqlite", "path": path}


def _migrate(url: str) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test"})
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()


@pytest.fixture
def database_url(database_template, tmp_path):
    """A fresh, migrated database for one test: a copied SQLite file, or an emptied PostgreSQL schema."""
    if database_template["kind"] == "sqlite":
        path = tmp_path / "quizapp.sqlite3"
        shutil.copy(database_template["path"], path)
        yield f"sqlite:///{path}"
    else:
        yield database_template["url"]
        _empty_tables(database_template["url"])


def _empty_tables(url: str) -> None:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        names = [t.name for t in db.metadata.sorted_tables]
        conn.execute(sa.text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build apps on the test database with extra config (e.g. CSRF on)."""
    apps = []

    def build(**overrides):
        config = {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                  # each test counts its own sign-ins and API calls (not the instance folder's shared file)
                  "RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path / 'throttle.sqlite3'}",
                  "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                  "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", **overrides}
        app = create_app(config)
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            close_all()


@pytest.fixture
def app(make_app):
    """The app with CSRF off for brevity (CSRF itself is tested with it on)."""
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def client(app):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner of the app."""
    return app.test_cli_runner()


@pytest.fixture
def learner(app, client):
    """A signed-in learner."""
    user = make_user()
    login(client, user.email)
    return user


@pytest.fixture
def demo_course(app):
    """The small test course with every question kind, loaded."""
    return load_courses()


@pytest.fixture
def real_course(app):
    """The shipped course under content/, loaded."""
    return load_courses(ROOT / "content")
