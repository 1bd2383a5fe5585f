"""Bind the database to the app, make SQLite safe for several writers, and tell whether the schema is current.

Also the two doors the learner's hot paths use instead of the ORM session's ``execute``:

- ``execute``: a prebuilt Core statement on the session's connection, inside its transaction (writes, and
  reads that must see them);
- ``read``: a prebuilt SELECT (a ``Prepared``) on the DBAPI cursor of a pooled connection the request
  holds apart from the session, outside any write transaction. It is compiled once per database kind and
  converts parameters and results with the statement's own column types, exactly as SQLAlchemy would.
  A page that only reads (a lesson, as a learner or a visitor) never opens an ORM session.
  Statements run this way skip SQLAlchemy's engine events; ``statement_hooks`` sees each one instead.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import Flask, g
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.sql import Select

from quizapp.extensions import db


def init_app(app: Flask) -> None:
    """Attach Flask-SQLAlchemy and, on SQLite, set the pragmas every connection needs."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("postgresql"):
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    app.teardown_appcontext(_release_reader)
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


def execute(statement, params=None):
    """Run a prebuilt Core statement on the session's connection, inside the session's transaction.

    The learner's hot paths use this door: it skips the ORM's per-statement work (about half the cost of
    a small query through ``Session.execute``); results are plain rows.
    """
    return db.session.connection().execute(statement, params)


# Called with each SQL string ``read`` sends (the engine's events do not see those): tests count statements.
statement_hooks: list[Callable[[str], None]] = []


class Prepared:
    """A SELECT built once at import, compiled once per database kind, to be run by ``read``."""

    def __init__(self, statement: Select) -> None:
        self.statement = statement
        self._forms: dict[str, _Form] = {}

    def form(self, dialect) -> _Form:
        found = self._forms.get(dialect.name)
        if found is None:
            found = self._forms[dialect.name] = _Form.of(self.statement, dialect)
        return found


@dataclass(frozen=True)
class _Form:
    """One statement as one database kind runs it: its SQL, how parameters go in and rows come out."""

    sql: str
    order: tuple[str, ...] | None  # parameter names in order (positional drivers), or None (named ones)
    binds: dict[str, Callable]  # the parameters whose type converts them on the way in
    row: type  # a named tuple: results read as row.column, like SQLAlchemy's rows
    results: tuple[Callable | None, ...]  # per column, how its type converts it on the way out

    @classmethod
    def of(cls, statement: Select, dialect) -> _Form:
        compiled = statement.compile(dialect=dialect)
        if any(bind.expanding for bind in compiled.binds.values()):
            raise ValueError("read() takes no expanding (IN list) parameters")
        binds = {name: bind.type.dialect_impl(dialect).bind_processor(dialect) for name, bind in compiled.binds.items()}
        columns = list(statement.selected_columns)
        results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns)
        order = tuple(compiled.positiontup) if compiled.positiontup is not None else None
        return cls(compiled.string, order, {name: f for name, f in binds.items() if f is not None},
                   namedtuple("Row", [column.key for column in columns], rename=True), results)

    def arguments(self, params: Mapping):
        values = {name: (convert(params[name]) if (convert := self.binds.get(name)) else params[name])
                  for name in (self.order or params)}
        return [values[name] for name in self.order] if self.order is not None else values

    def make(self, raw: tuple):
        if not any(self.results):
            return self.row._make(raw)
        return self.row._make([value if f is None else f(value) for f, value in zip(self.results, raw, strict=True)])


def read(prepared: Prepared, params: Mapping) -> list:
    """Run a prebuilt SELECT on the request's read connection; give its rows (named tuples, typed)."""
    connection, dialect = _reader()
    form = prepared.form(dialect)
    arguments = form.arguments(params)
    for hook in statement_hooks:
        hook(form.sql)
    cursor = connection.cursor()
    try:
        cursor.execute(form.sql, arguments)
        rows = cursor.fetchall()
    except dialect.loaded_dbapi.Error as error:
        raise DBAPIError.instance(form.sql, arguments, error, dialect.loaded_dbapi.Error) from error
    finally:
        cursor.close()
    return [form.make(row) for row in rows]


def read_one(prepared: Prepared, params: Mapping):
    """Give the first row ``read`` finds, or None."""
    rows = read(prepared, params)
    return rows[0] if rows else None


def _reader():
    """The request's read connection (a pooled DBAPI connection), checked out at its first read."""
    held = g.get("_quizapp_reader")
    if held is None:
        engine = db.engine
        held = g._quizapp_reader = (engine.raw_connection(), engine.dialect)
    return held


def _release_reader(_error=None) -> None:
    held = g.pop("_quizapp_reader", None)
    if held is not None:
        held[0].close()  # back to the pool, which ends any transaction the reads began
