"""CSV exports as generators: rows come from the database in batches and leave as text, never all in memory.

Column names are a public contract documented in docs/exports.md; add columns at the end, never rename.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime

from sqlalchemy import and_, case, func, select, true

from quizapp.extensions import db
from quizapp.models import Attempt, LearnerQuestion, Lesson, Question, User
from quizapp.services.teaching import assignments
from quizapp.services.teaching.analytics import get_item_analysis
from quizapp.services.teaching.reports import (
    CourseRef,
    behind_condition,
    class_average,
    class_members,
    course_questions,
    learner_stats,
    lesson_columns,
)

BATCH = 500
OVERVIEW_COLUMNS = (
    "class_id", "learner_id", "email", "course", "lesson", "lesson_title", "lesson_correct", "lesson_answered",
    "lesson_total", "course_correct", "course_total", "last_active", "behind", "lesson_due", "lesson_late",
    "name", "username",
)
ITEM_COLUMNS = (
    "course", "question_key", "question_title", "lesson_title", "kind", "attempts", "learners",
    "first_correct", "facility", "discrimination", "ever_correct", "flags",
)
OPTION_COLUMNS = ("course", "question_key", "option_id", "option_text", "correct", "learners", "feedback")
ATTEMPT_COLUMNS = (
    "attempt_id", "learner_id", "email", "course", "lesson", "question_key", "version", "current_version",
    "created_at", "correct", "score", "response", "matched", "hints_used", "seconds", "name", "username",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """Write one value as CSV text; text that a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date | int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value == value else ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """Turn rows into CSV text, yielding a batch of lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([cell(value) for value in row])
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def overview_rows(class_id: int, course: CourseRef, now: datetime | None = None) -> Iterator[tuple]:
    """Yield one row per learner and lesson of the course, learners by name (streamed from the database)."""
    lessons = {lesson.id: lesson.total for lesson in lesson_columns(course.id)}
    total = sum(lessons.values())
    stats = learner_stats(class_id, course.id)
    _size, average = class_average(stats)
    now = now or datetime.now(UTC)
    due = assignments.due_by_lesson(class_id, course.id)
    late = frozenset(assignments.late_user_ids(class_id, course.id, now))
    behind = behind_condition(stats, total, average, now, late)
    cq = course_questions(course.id).subquery()
    lq = LearnerQuestion  # one row per learner, question and version: counts need no DISTINCT
    per = (
        select(
            lq.user_id, cq.c.lesson_id,
            func.count(case((lq.ever_correct.is_(True), 1))).label("correct"),
            func.count().label("answered"),
        )
        .join(cq, and_(lq.question_id == cq.c.id, lq.version == cq.c.version))
        .where(lq.user_id.in_(class_members(class_id)))
        .group_by(lq.user_id, cq.c.lesson_id)
        .subquery()
    )
    query = (
        select(
            stats.c.user_id, stats.c.email, Lesson.id, Lesson.slug, Lesson.title, func.coalesce(per.c.correct, 0),
            func.coalesce(per.c.answered, 0), stats.c.correct, stats.c.last_active, behind, stats.c.name,
            stats.c.username,
        )
        .select_from(stats)
        .join(Lesson, true())
        .outerjoin(per, and_(per.c.user_id == stats.c.user_id, per.c.lesson_id == Lesson.id))
        .where(Lesson.course_id == course.id, Lesson.retired.is_(False))
        .order_by(stats.c.name, stats.c.user_id, Lesson.position)
        .execution_options(yield_per=BATCH)
    )
    for (uid, email, lid, slug, title, correct, answered, course_correct, last, is_behind, name,
         username) in db.session.execute(query):
        lesson_due = due.get(lid)
        lesson_late = lesson_due is not None and lesson_due < now and correct < lessons.get(lid, 0)
        yield (class_id, uid, email, course.key, slug, title, correct, answered, lessons.get(lid, 0),
               course_correct, total, last, bool(is_behind), lesson_due, lesson_late, name, username)


def item_rows(class_id: int, course: CourseRef) -> Iterator[tuple]:
    """Yield one row per question of the course with its statistics and flags."""
    for item in get_item_analysis(class_id, course).items:
        yield (course.key, item.key, item.title, item.lesson_title, item.kind, item.attempts, item.learners,
               item.first_correct, item.facility, item.discrimination, item.ever_correct, "; ".join(item.flags))


def option_rows(class_id: int, course: CourseRef) -> Iterator[tuple]:
    """Yield one row per option (choice, accepted or anticipated answer) of every question of the course."""
    for item in get_item_analysis(class_id, course).items:
        for option in item.options:
            yield (course.key, item.key, option.id, option.text, option.correct, option.learners, option.feedback)


def attempt_rows(class_id: int, course: CourseRef, after_id: int = 0, limit: int | None = None) -> Iterator[tuple]:
    """Yield every attempt of the class's learners on the course's questions, oldest first, in batches
    (``after_id`` and ``limit``: only that many stored after that attempt, a page of the API's cursor)."""
    query = (
        select(Attempt, User.shown_email, Lesson.slug, Question.key, Question.version, User.shown_name, User.username)
        .join(User, User.id == Attempt.user_id)
        .join(Question, Question.id == Attempt.question_id)
        .join(Lesson, Lesson.id == Question.lesson_id)
        .where(Lesson.course_id == course.id, Attempt.user_id.in_(class_members(class_id)), Attempt.id > after_id)
        .order_by(Attempt.created_at, Attempt.id)
        .limit(limit)
        .execution_options(yield_per=BATCH)
    )
    for attempt, email, slug, key, version, name, username in db.session.execute(query):
        yield (attempt.id, attempt.user_id, email, course.key, slug, key, attempt.version,
               attempt.version == version, attempt.created_at, attempt.correct, attempt.score,
               json.dumps(attempt.response, sort_keys=True), " ".join(attempt.matched or ()),
               attempt.hints_used, attempt.seconds, name, username)
