"""A learner's progress: correct / answered / total per lesson, per course, and what to study next.

A question counts as answered or correct only from attempts on its *current* answer-key version:
when an author changes what is correct, earlier attempts stay in the history but no longer count.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Course, Lesson, Question


@dataclass(frozen=True)
class LessonProgress:
    """One lesson's counts for one learner."""

    key: str
    course_key: str
    slug: str
    title: str
    minutes: int | None
    total: int
    answered: int
    correct: int

    @property
    def status(self) -> str:
        """Name the lesson's state for a learner: not started, in progress, or done."""
        if self.total and self.correct == self.total:
            return "done"
        return "in progress" if self.answered else "not started"


@dataclass(frozen=True)
class CourseProgress:
    """One course's lessons and totals for one learner."""

    key: str
    title: str
    summary: str
    lessons: tuple[LessonProgress, ...]

    @property
    def total(self) -> int:
        """Count the course's questions."""
        return sum(lesson.total for lesson in self.lessons)

    @property
    def correct(self) -> int:
        """Count the course's questions answered correctly."""
        return sum(lesson.correct for lesson in self.lessons)


@dataclass(frozen=True)
class NextStep:
    """Where a learner should go next, and why."""

    lesson: LessonProgress
    reason: str


def active_questions():
    """Select the questions a learner can see: neither they nor their lesson or course retired."""
    return (
        select(Question.id, Question.lesson_id, Question.version)
        .join(Lesson, Lesson.id == Question.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .where(Question.retired.is_(False), Lesson.retired.is_(False), Course.retired.is_(False))
    )


def question_totals() -> dict[int, int]:
    """Count active questions per lesson id (one query)."""
    sub = active_questions().subquery()
    rows = db.session.execute(select(sub.c.lesson_id, func.count()).group_by(sub.c.lesson_id))
    return dict(rows.all())


def lesson_counts_for_user(user_id: int | None) -> dict[int, tuple[int, int]]:
    """Give (answered, correct) per lesson id for one learner, counting current versions only."""
    if user_id is None:
        return {}
    sub = active_questions().subquery()
    current = and_(Attempt.question_id == sub.c.id, Attempt.version == sub.c.version)
    query = (
        select(
            sub.c.lesson_id,
            func.count(func.distinct(Attempt.question_id)),
            func.count(func.distinct(case((Attempt.correct.is_(True), Attempt.question_id)))),
        )
        .join(Attempt, current)
        .where(Attempt.user_id == user_id)
        .group_by(sub.c.lesson_id)
    )
    return {lesson_id: (answered, correct) for lesson_id, answered, correct in db.session.execute(query)}


def get_progress_for_user(user_id: int | None, course_key: str | None = None) -> list[CourseProgress]:
    """Build every active course's progress for one learner (three queries, whatever the size)."""
    totals = question_totals()
    counts = lesson_counts_for_user(user_id)
    query = (
        select(Lesson, Course)
        .join(Course, Course.id == Lesson.course_id)
        .where(Lesson.retired.is_(False), Course.retired.is_(False))
        .order_by(Course.position.is_(None), Course.position, Course.key, Lesson.position)
    )
    if course_key is not None:
        query = query.where(Course.key == course_key)
    courses: dict[str, tuple[Course, list[LessonProgress]]] = {}
    for lesson, course in db.session.execute(query):
        answered, correct = counts.get(lesson.id, (0, 0))
        entry = LessonProgress(
            lesson.key, course.key, lesson.slug, lesson.title, lesson.minutes,
            totals.get(lesson.id, 0), answered, correct,
        )
        courses.setdefault(course.key, (course, []))[1].append(entry)
    return [CourseProgress(c.key, c.title, c.summary, tuple(items)) for c, items in courses.values()]


def next_step(courses: list[CourseProgress]) -> NextStep | None:
    """Pick what to study next: first unfinished work in a started lesson, else the next new lesson."""
    lessons = [lesson for course in courses for lesson in course.lessons if lesson.total]
    for lesson in lessons:
        if lesson.status == "in progress":
            left = lesson.total - lesson.correct
            return NextStep(lesson, f"{left} question{'s' if left != 1 else ''} still to get right")
    for lesson in lessons:
        if lesson.status == "not started":
            return NextStep(lesson, "the next lesson you have not started")
    return None
