"""Bind the database to the app and make SQLite safe for several writers (WAL, busy timeout, foreign keys)."""

from __future__ import annotations

from functools import partial

from flask import Flask
from sqlalchemy import event

from quizapp.extensions import db


def init_app(app: Flask) -> None:
    """Attach Flask-SQLAlchemy and, on SQLite, set the pragmas every connection needs."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("postgresql"):
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    if url.startswith("sqlite"):
        with app.app_context():
            listener = partial(_sqlite_pragmas, timeout_ms=int(app.config["SQLITE_BUSY_TIMEOUT"]) * 1000)
            event.listen(db.engine, "connect", listener)


def _sqlite_pragmas(dbapi_connection, _record, *, timeout_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while one writer writes; the busy timeout makes writers queue, not fail.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
