"""A short cache of whole instructor pages, per worker: reused while nothing behind them changed."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import bindparam, case, func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Course, Enrollment, Lesson, Question, QuestionVersion
from quizapp.models.school import Assignment
from quizapp.speed.stores import store

# --- a short cache of whole pages, per worker process ------------------------------------------
# Recomputing from the class counters costs tens of milliseconds even for 10,000 learners; a repeat
# view (re-opening, sorting, paging) costs one query here as long as nothing the page depends on
# changed: no new attempt or enrollment anywhere, no new answer key, no retirement, and for at most
# CACHE_SECONDS (which also bounds how stale "idle" can get).
# The pages are kept in the inventory's "dashboard_pages" store (quizapp.speed.stores).
CACHE_SECONDS = 60


def _newest(column, order_by):
    return select(column).order_by(order_by.desc()).limit(1).scalar_subquery()


def _retired_sum(model):
    return select(func.coalesce(func.sum(case((model.retired.is_(True), model.id), else_=0)), 0)).scalar_subquery()


_STATE = select(
    _newest(Attempt.id, Attempt.id), _newest(Attempt.created_at, Attempt.id),
    _newest(Enrollment.id, Enrollment.id), _newest(Enrollment.joined_at, Enrollment.id),
    select(func.count()).where(Enrollment.classroom_id == bindparam("class_id")).scalar_subquery(),
    _newest(QuestionVersion.id, QuestionVersion.id), _newest(QuestionVersion.created_at, QuestionVersion.id),
    _retired_sum(Question), _retired_sum(Lesson), _retired_sum(Course),
    # the class's assignments, added or withdrawn (a due time passing shows within CACHE_SECONDS)
    select(func.count()).where(Assignment.classroom_id == bindparam("class_id")).scalar_subquery(),
    select(func.coalesce(func.max(Assignment.id), 0)).where(
        Assignment.classroom_id == bindparam("class_id")).scalar_subquery(),
)


def cached(key: tuple, class_id: int, build: Callable):
    """Give build()'s value, reused while the data behind it is unchanged (one small query to check)."""
    state = (str(db.engine.url), *db.session.execute(_STATE, {"class_id": class_id}).one())
    now = time.monotonic()
    pages = store("dashboard_pages")
    hit = pages.get(key)
    if hit is not None and hit[0] == state and now - hit[1] < CACHE_SECONDS:
        return hit[2]
    value = build()
    pages.put(key, (state, now, value))
    return value
