"""The inventory of per-worker stores: every memory a worker keeps to answer faster, in one table.

Each store is a ``Kept`` (an LRU with a lock, safe for threaded servers) of a fixed size, made for each app
by ``init_app`` and found again by name with ``store(name)``. Nothing here is ever stale by accident: each
store says what invalidates it, and that is always part of the key (a course's stamp, a presented question,
an account's shown name and role) or a check made on every read. Tests clear every store with ``clear_all()``.

Not in the table, on purpose:
- ``direct``'s per-thread SQLite connections (``_THREAD``): connections, not results; ``database.close_all``
  closes them.
- ``functools.cache`` statement builders (services' ``_statements(dialect)``, ``practice._help``): one entry
  per database kind, built from code, never invalid.
- ``lru_cache`` on pure functions of their text: ``teaching.learner_report._inline`` (inline Markdown),
  and the pure core's own (``grading.text._compiled`` regexes, ``content.render``'s per-renderer Markdown
  blocks): never stale, thread-safe, and usable outside an app (``content`` and ``grading`` import no app).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from quizapp.speed.kept import Kept

EXTENSION = "quizapp.speed"


@dataclass(frozen=True)
class Store:
    """One per-worker store: its name, how many entries it keeps, what it keeps, what makes an entry stale."""

    name: str
    size: int
    keeps: str
    invalidated_by: str


INVENTORY = (
    Store("lessons", 256, "a course's lesson heads; each lesson's body rendered once, with markers (views.fragments)",
          "the course's stamp, in the key (moves whenever anything in the course is loaded anew)"),
    Store("authored", 1024, "a question as authored: its form and answer key (views.fragments)",
          "the course's stamp, in the key"),
    Store("questions", 8192, "a question rendered as presented, for the lesson page, the question page and the "
          "in-place fragment (views.fragments)", "the presented question or the learner's state, in the key"),
    Store("progress", 256, "the lesson's progress box for answered/right/total (views.fragments)",
          "its numbers, in the key"),
    Store("layouts", 1024, "the page layout around a lesson or question page, per account (views.layout)",
          "the account's shown name and role, in the key; flashed messages skip it"),
    Store("layout_links", 16, "the layout's links, per mount point (views.layout)", "never: URLs are fixed"),
    Store("api_lessons", 512, "the JSON API's lesson heads, lesson content and questions as authored (api.lookup)",
          "the course's stamp, in the key"),
    Store("api_json", 4096, "the JSON API's bodies as text: a lesson per stamp, a question per presented state "
          "(api.lookup)", "the stamp or presented question, in the key"),
    Store("statements", 512, "a prebuilt statement compiled for a database kind (speed.direct)",
          "never: statements are built at import"),
    Store("dashboard_pages", 64, "a whole instructor page: class overview, item analysis (teaching.page_cache)",
          "one small query of the data behind it on every read, and 60 seconds"),
)


def init_app(app: Flask) -> None:
    """Make every store of the inventory for this app (one per worker process)."""
    app.extensions[EXTENSION] = {spec.name: Kept(spec.size) for spec in INVENTORY}


def store(name: str) -> Kept:
    """Give the current app's store ``name`` (one of the inventory's)."""
    return current_app.extensions[EXTENSION][name]


def clear_all(app: Flask | None = None) -> None:
    """Empty every store of ``app`` (the current app by default): the one way tests start from cold."""
    for kept in (app or current_app).extensions[EXTENSION].values():
        kept.clear()
