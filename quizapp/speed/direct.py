"""The learner's hottest statements on the DBAPI cursor, without SQLAlchemy's per-statement work.

A statement here is a Core statement built once, at import; it is compiled once per database kind (and,
for an INSERT, per set of columns given), and its parameters and results are converted by its columns'
own types for that database, exactly as SQLAlchemy would convert them. What is skipped is the engine's
execution context around each statement: about two thirds of a small query's cost.

- ``read(Prepared, params)``: a SELECT on the connection the request (or app context) holds apart from
  the ORM session. A page that only reads, such as a lesson page, never opens an ORM session.
- ``transaction()``: INSERTs, UPSERTs and UPDATEs on that same connection, committed once at the end
  of the block, or rolled back if it raises. The answer path stores an answer this way. On SQLite the
  block first queues behind the other writers on an OS lock (``_queue``), instead of SQLite's sleeps.

On PostgreSQL the connection is checked out of the engine's pool at the first statement and given back
(its transaction ended by the pool) when the app context ends. On SQLite each thread keeps one connection
of its own for its whole life, taken from the pool once and detached from it: checking a connection out
and in again cost more than a lesson page's three statements. Between requests it holds no transaction
(a SELECT opens none, and ``release`` rolls back anything left open), so it sees every commit at once;
``forget`` closes it (``database.close_all``). Errors are raised as SQLAlchemy's
(``DBAPIError`` and its subclasses, such as ``IntegrityError``). The engine's events do not see these
statements; ``statement_hooks`` does.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from flask import current_app, g
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.sql import Select

from quizapp.extensions import db
from quizapp.speed.forms import form_of

try:
    import fcntl
except ImportError:  # Windows: authors still check content there; the server (gunicorn) runs where fcntl is
    fcntl = None

# Called with each SQL string sent from here: tests count statements with it.
statement_hooks: list[Callable[[str], None]] = []
# Called when the driver raises on a statement or commit sent from here (the operators' error counter).
error_hooks: list[Callable[[], None]] = []


class _ThreadKept(threading.local):
    """SQLite: this thread's own connection per engine, and its writers' lock files; see the notes."""

    def __init__(self) -> None:
        self.connections: dict = {}  # engine -> (connection, dialect, writers' lock path)
        self.locks: dict[tuple[int, str], int] = {}  # (process id, lock path) -> open file descriptor


_THREAD = _ThreadKept()


class Prepared:
    """A SELECT built once at import, to be run by ``read``."""

    def __init__(self, statement: Select) -> None:
        self.statement = statement


class Rows(list):
    """A statement's rows (named tuples), with the few accessors SQLAlchemy's results offer."""

    def first(self):
        return self[0] if self else None

    def one(self):
        if len(self) != 1:
            raise ValueError(f"expected one row, got {len(self)}")
        return self[0]

    def scalar_one(self):
        return self.one()[0]

    def scalars(self) -> Rows:
        return Rows(row[0] for row in self)

    def all(self) -> list:
        return list(self)


def read(prepared: Prepared, params: Mapping) -> Rows:
    """Run a prebuilt SELECT on the request's own connection; give its rows."""
    return _run(_held(), prepared.statement, params)


def read_one(prepared: Prepared, params: Mapping):
    """Give the first row ``read`` finds, or None."""
    return read(prepared, params).first()


class Transaction:
    """Statements in one transaction on the request's own connection (see ``transaction``)."""

    def __init__(self, held: tuple) -> None:
        self._held = held
        self.dialect = held[1]

    def execute(self, statement, params: Mapping | Sequence[Mapping]) -> Rows:
        """Run a prebuilt statement; a list of parameter sets runs it once per set (no rows come back)."""
        return _run(self._held, statement, params)


@contextmanager
def transaction() -> Iterator[Transaction]:
    """Run the block's statements in one transaction: committed if the block ends, rolled back if it raises.

    On a SQLite file, the block first waits its turn behind the other writers of every process (``_queue``).
    """
    held = _held()
    connection, dialect, writers = held
    with _queue(writers, connection):
        try:
            yield Transaction(held)
        except BaseException:
            connection.rollback()
            raise
        try:
            connection.commit()
        except dialect.loaded_dbapi.Error as error:
            connection.rollback()
            _driver_failed()
            raise DBAPIError.instance("COMMIT", None, error, dialect.loaded_dbapi.Error) from error


@contextmanager
def _queue(path: str | None, connection) -> Iterator[None]:
    """Hold this database's writer lock file (``path``: ``<database>.writers``; None: nothing to hold).

    SQLite makes waiting writers sleep 1, 2, 5, 10 ms and more whatever the moment the lock comes free;
    writers queued on this OS lock (per thread and process: ``flock`` on a file each opens) retry within a
    millisecond. The ORM session's writers rely on SQLite's busy timeout alone. In all, a writer waits at
    most ``SQLITE_BUSY_TIMEOUT`` seconds, then gets ``WritersBusy`` or "database is locked" (a 503 to retry).
    """
    if path is None:
        yield
        return
    key = (os.getpid(), path)
    descriptor = _THREAD.locks.get(key)
    if descriptor is None:
        descriptor = _THREAD.locks[key] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    wait = float(current_app.config["SQLITE_BUSY_TIMEOUT"])
    waited = _lock(descriptor, wait)
    try:
        if waited > 0.01:  # what is left of the wait is SQLite's, so the whole wait stays about `wait`
            _busy_timeout(connection, max(0.01, wait - waited))
        yield
    finally:
        try:
            if waited > 0.01:
                _busy_timeout(connection, wait)
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)


def _busy_timeout(connection, seconds: float) -> None:
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(seconds * 1000)}")
    cursor.close()


class WritersBusy(OperationalError):
    """The database did not take a write within the configured wait; nothing was written."""

    def __init__(self, waited: float) -> None:
        super().__init__("writers' queue", None, Exception(f"database is locked (waited {waited:.1f} s)"))


def _lock(descriptor: int, wait: float) -> float:
    """Take the writers' lock, retrying for at most ``wait`` seconds; give the seconds it took."""
    started = time.monotonic()
    deadline = started + wait
    pause = 0.0001
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return time.monotonic() - started
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise WritersBusy(wait) from None
        time.sleep(pause)
        pause = min(pause * 2, 0.001)


def release(_error=None) -> None:
    """End the context's use of its connection: a kept SQLite one ends any transaction left open, a pooled
    one goes back to the pool (which ends it)."""
    held = g.pop("_quizapp_direct", None)
    if held is None:
        return
    connection, dialect, _writers = held
    if dialect.name != "sqlite":
        connection.close()
    elif connection.dbapi_connection.in_transaction:
        connection.rollback()


def forget() -> None:
    """Close this thread's kept SQLite connections and lock files (before a database file is replaced, or
    when done)."""
    release()
    for connection, _dialect, _writers in _THREAD.connections.values():
        connection.close()
    for descriptor in _THREAD.locks.values():
        os.close(descriptor)
    _THREAD.connections.clear()
    _THREAD.locks.clear()


def _held() -> tuple:
    held = g.get("_quizapp_direct")
    if held is None:
        held = g._quizapp_direct = _checkout(db.engine)
    return held


def _checkout(engine) -> tuple:
    """(connection, dialect, writers' lock file): pooled on PostgreSQL; on SQLite, this thread's own."""
    if engine.dialect.name != "sqlite":
        return engine.raw_connection(), engine.dialect, None
    held = _THREAD.connections.get(engine)
    if held is None:
        connection = engine.raw_connection()
        connection.detach()  # this thread's from now on; the pool neither counts nor closes it
        held = _THREAD.connections[engine] = (connection, engine.dialect, _writers_lock(engine))
    return held


def _writers_lock(engine) -> str | None:
    """The lock file SQLite writers queue on (``_queue``), beside the database file; None for one in memory."""
    path = engine.url.database
    if fcntl is None or not path or path == ":memory:" or path.startswith("file:"):
        return None
    return f"{path}.writers"


def _run(held: tuple, statement, params: Mapping | Sequence[Mapping]) -> Rows:
    connection, dialect, _writers = held
    many = not isinstance(params, Mapping)
    first = params[0] if many else params
    form = form_of(statement, dialect, tuple(first) if statement.is_dml else None)
    for hook in statement_hooks:
        hook(form.sql)
    cursor = connection.cursor()
    try:
        if many:
            arguments = [form.arguments(one) for one in params]
            cursor.executemany(form.sql, arguments)
            return Rows()
        arguments = form.arguments(params)
        cursor.execute(form.sql, arguments)
        return Rows(form.make(row) for row in cursor.fetchall()) if cursor.description else Rows()
    except dialect.loaded_dbapi.Error as error:
        connection.rollback()  # PostgreSQL refuses every later statement of a failed transaction
        _driver_failed()
        raise DBAPIError.instance(form.sql, arguments, error, dialect.loaded_dbapi.Error) from error
    finally:
        cursor.close()


def _driver_failed() -> None:
    """Tell the error hooks that the driver raised."""
    for hook in error_hooks:
        hook()
