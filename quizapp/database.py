"""Bind the database to the app, make SQLite safe for several writers, and tell whether the schema is current.

The learner's hottest statements skip SQLAlchemy's per-statement work altogether: ``quizapp.speed.direct``.
"""

from __future__ import annotations

import os
from functools import partial

from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from quizapp.extensions import db
from quizapp.speed import direct


def init_app(app: Flask) -> None:
    """Attach Flask-SQLAlchemy and, on SQLite, set the pragmas every connection needs."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("postgresql"):
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    app.teardown_appcontext(direct.release)
    if url.startswith("sqlite"):
        with app.app_context():
            listener = partial(_sqlite_pragmas, timeout_ms=int(float(app.config["SQLITE_BUSY_TIMEOUT"]) * 1000))
            event.listen(db.engine, "connect", listener)


def _sqlite_pragmas(dbapi_connection, _record, *, timeout_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while one writer writes; the busy timeout makes writers queue, not fail.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def migrations_head(directory: str) -> str:
    """Read the newest migration revision this release ships (once, at start-up)."""
    config = AlembicConfig()
    config.set_main_option("script_location", directory)
    return ScriptDirectory.from_config(config).get_current_head() or ""


def schema_state(head: str) -> str:
    """Say whether the database answers and is at this release's schema: 'ok', 'behind' or 'unreachable'."""
    try:
        current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        current = None
        try:
            db.session.rollback()
            db.session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            db.session.rollback()
            return "unreachable"
    db.session.rollback()
    return "ok" if current == head else "behind"


def disk_state(minimum_free: int) -> str:
    """Say whether a SQLite file's disk can take writes: 'ok', or 'full' under ``minimum_free`` bytes free.

    A full disk fails every write while reads still work, so the schema check alone would report 'ok'.
    PostgreSQL (or a database in memory) is another host's disk: 'ok'.
    """
    path = db.engine.url.database if db.engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        return "ok"
    try:
        stats = os.statvfs(os.path.dirname(os.path.abspath(path)))
    except (OSError, AttributeError):  # no statvfs (Windows) or the folder is gone: the schema check says so
        return "ok"
    return "ok" if stats.f_bavail * stats.f_frsize >= minimum_free else "full"


def conflict_insert(dialect: str):
    """The INSERT construct of a database kind that takes ON CONFLICT clauses (PostgreSQL's or SQLite's)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def close_all() -> None:
    """Give back every connection this context holds (the ORM session's and the direct one), close this
    thread's kept one and the pool's: before the database file is replaced, or when an app is done with it."""
    direct.forget()
    db.session.remove()
    db.engine.dispose()
