"""Named counters that expire, shared by every worker: the throttles' memory (quizapp/throttle.py).

``RATELIMIT_STORAGE_URI`` chooses where they live:

- empty (default): a SQLite file in the instance folder, ``instance/throttle.sqlite3``: shared by every
  worker of the host, and it survives worker restarts;
- ``sqlite:////path/to/file.sqlite3``: the same, elsewhere;
- ``redis://host:6379``: shared by every host;
- ``memory://``: this process alone (the fallback while Redis is unreachable; tests).

A counter has a count, the time of its last hit, and an expiry: a fixed window (the expiry is set by the
first hit) or a sliding one (every hit moves it). An expired counter reads as zero.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import NamedTuple, Protocol

import redis

SQLITE_SCHEMA = ("CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY, count INTEGER NOT NULL, "
                 "last REAL NOT NULL, expires REAL NOT NULL)")
SQLITE_ADD = """
INSERT INTO counter (key, count, last, expires) VALUES (:key, 1, :now, :expires)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN counter.expires <= :now THEN 1 ELSE counter.count + 1 END,
    expires = CASE WHEN counter.expires <= :now OR :sliding THEN :expires ELSE counter.expires END,
    last = :now
RETURNING count, last, expires
"""
REDIS_ADD = """
local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
if count == 1 or ARGV[3] == '1' then
    redis.call('HSET', KEYS[1], 'expires', ARGV[1] + ARGV[2])
    redis.call('PEXPIRE', KEYS[1], math.ceil(ARGV[2] * 1000))
end
redis.call('HSET', KEYS[1], 'last', ARGV[1])
return {count, redis.call('HGET', KEYS[1], 'expires')}
"""
PURGE_EVERY = 500  # hits per process between sweeps of expired rows from the SQLite file


class Count(NamedTuple):
    """A counter as read: hits so far, the time of the last one, and when it expires (0 for none yet)."""

    count: int
    last: float
    expires: float


NONE = Count(0, 0.0, 0.0)


class Store(Protocol):
    """Where counters live."""

    def add(self, key: str, now: float, ttl: float, sliding: bool) -> Count:
        """Count one hit and give the counter after it."""

    def read(self, key: str, now: float) -> Count:
        """Give the counter (NONE if it never counted or expired)."""

    def clear(self, key: str) -> None:
        """Forget the counter."""


def open_store(uri: str, instance_path: str) -> Store:
    """Open the store a RATELIMIT_STORAGE_URI names (see the module's notes)."""
    if not uri:
        return SqliteStore(Path(instance_path) / "throttle.sqlite3")
    if uri.startswith("sqlite:///"):
        return SqliteStore(Path(uri.removeprefix("sqlite:///")))
    if uri.startswith(("redis://", "rediss://")):
        return RedisStore(uri)
    if uri == "memory://":
        return MemoryStore()
    raise RuntimeError(f"RATELIMIT_STORAGE_URI must be empty, sqlite:///..., redis://... or memory://, not {uri!r}")


class SqliteStore:
    """Counters in a SQLite file: one connection per process and thread, each hit one statement."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        self._hits = 0
        path.parent.mkdir(parents=True, exist_ok=True)

    def _connection(self) -> sqlite3.Connection:
        known = getattr(self._local, "connection", None)
        if known is not None and self._local.pid == os.getpid():
            return known
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(SQLITE_SCHEMA)
        self._local.connection, self._local.pid = connection, os.getpid()
        return connection

    def add(self, key: str, now: float, ttl: float, sliding: bool) -> Count:
        """Count one hit in one statement (SQLite serialises writers across processes)."""
        connection = self._connection()
        row = connection.execute(SQLITE_ADD, {"key": key, "now": now, "expires": now + ttl,
                                              "sliding": int(sliding)}).fetchone()
        self._hits += 1
        if self._hits % PURGE_EVERY == 0:
            connection.execute("DELETE FROM counter WHERE expires <= ?", (now,))
        return Count(*row)

    def read(self, key: str, now: float) -> Count:
        """Read one counter."""
        row = self._connection().execute("SELECT count, last, expires FROM counter WHERE key = ?",
                                         (key,)).fetchone()
        return Count(*row) if row is not None and row[2] > now else NONE

    def clear(self, key: str) -> None:
        """Delete one counter."""
        self._connection().execute("DELETE FROM counter WHERE key = ?", (key,))


class RedisStore:
    """Counters in Redis hashes that Redis itself expires; each hit one script call."""

    def __init__(self, uri: str):
        self.client = redis.Redis.from_url(uri, socket_connect_timeout=2, socket_timeout=2)
        self.script = self.client.register_script(REDIS_ADD)

    def add(self, key: str, now: float, ttl: float, sliding: bool) -> Count:
        """Count one hit atomically."""
        count, expires = self.script(keys=[key], args=[now, ttl, "1" if sliding else "0"])
        return Count(int(count), now, float(expires))

    def read(self, key: str, now: float) -> Count:
        """Read one counter."""
        count, last, expires = self.client.hmget(key, "count", "last", "expires")
        if count is None or float(expires) <= now:
            return NONE
        return Count(int(count), float(last), float(expires))

    def clear(self, key: str) -> None:
        """Delete one counter."""
        self.client.delete(key)


class MemoryStore:
    """Counters in this process's memory (a fallback, and for tests)."""

    def __init__(self) -> None:
        self._items: dict[str, Count] = {}
        self._lock = threading.Lock()

    def add(self, key: str, now: float, ttl: float, sliding: bool) -> Count:
        """Count one hit."""
        with self._lock:
            old = self._items.get(key, NONE)
            fresh = old.expires <= now
            count = Count(1 if fresh else old.count + 1, now, now + ttl if fresh or sliding else old.expires)
            self._items[key] = count
            return count

    def read(self, key: str, now: float) -> Count:
        """Read one counter."""
        with self._lock:
            count = self._items.get(key, NONE)
        return count if count.expires > now else NONE

    def clear(self, key: str) -> None:
        """Forget one counter."""
        with self._lock:
            self._items.pop(key, None)
