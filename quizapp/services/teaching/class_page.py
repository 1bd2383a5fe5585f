"""The class overview page: one page of learners, the activity chart and the score distribution."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Date, case, func, literal, or_, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from quizapp.extensions import db
from quizapp.models import Attempt, ClassDay, Lesson, Question
from quizapp.services.teaching import assignments
from quizapp.services.teaching.page_cache import cached
from quizapp.services.teaching.reports import (
    CourseRef,
    Overview,
    OverviewQuery,
    class_members,
    read_overview,
)
from quizapp.services.teaching.summaries.class_summaries import ensure_fresh

ACTIVITY_DAYS = 30
DECILES = tuple(f"{i * 10}–{i * 10 + 9}%" for i in range(9)) + ("90–100%",)


class day_of(FunctionElement):  # noqa: N801 - reads as the SQL function it compiles to
    """The UTC calendar day of a timestamp on SQLite and PostgreSQL (CAST AS DATE gives a year on SQLite)."""

    type = Date()
    inherit_cache = True


@compiles(day_of, "sqlite")
def _day_of_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(day_of)
def _day_of_default(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC') AS DATE)"


def read_activity(class_id: int, course_id: int, now: datetime | None = None) -> list[tuple[date, int, int]]:
    """Give the activity chart's days from fresh class counters (one query).

    Counts come from class_day (per class, course and day). Attempts on the course's retired questions,
    which the chart leaves out, are subtracted; that part reads attempts through their (question,
    created_at) index and is empty unless a question was retired.
    """
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    start = today - timedelta(days=ACTIVITY_DAYS - 1)
    members = class_members(class_id)
    counted = select(ClassDay.day.label("day"), ClassDay.attempts.label("n"), ClassDay.correct.label("c")).where(
        ClassDay.classroom_id == class_id, ClassDay.course_id == course_id, ClassDay.day >= start
    )
    retired = (
        select(day_of(Attempt.created_at), literal(-1), case((Attempt.correct.is_(True), -1), else_=0))
        .join(Question, Question.id == Attempt.question_id)
        .join(Lesson, Lesson.id == Question.lesson_id)
        .where(Lesson.course_id == course_id, or_(Question.retired.is_(True), Lesson.retired.is_(True)),
               Attempt.user_id.in_(members), Attempt.created_at >= datetime.combine(start, datetime.min.time(), UTC))
    )
    both = union_all(counted, retired).subquery()
    query = select(both.c.day, func.sum(both.c.n), func.sum(both.c.c)).group_by(both.c.day)
    found = {d: (int(n), int(c or 0)) for d, n, c in db.session.execute(query)}
    days = [start + timedelta(days=i) for i in range(ACTIVITY_DAYS)]
    return [(d, *found.get(d, (0, 0))) for d in days]


@dataclass(frozen=True)
class ClassPage:
    """Everything the class overview page shows: one page of learners and both charts."""

    overview: Overview
    activity: list[tuple[date, int, int]]
    buckets: list[tuple[str, int]]


def get_class_page(class_id: int, course: CourseRef, query: OverviewQuery) -> ClassPage:
    """Build the class overview page (one query when unchanged since the last view, else seven)."""

    def build() -> ClassPage:
        ensure_fresh(class_id, course.id)
        late = frozenset(assignments.late_user_ids(class_id, course.id, datetime.now(UTC)))
        overview = read_overview(class_id, course, query, late=late)
        buckets = list(zip(DECILES, overview.deciles, strict=True))  # the same numbers as learner_stats gives
        return ClassPage(overview, read_activity(class_id, course.id), buckets)

    return cached(("class", class_id, course, query), class_id, build)
