"""A learner's progress: correct / answered / total per lesson, per course, and what to study next.

A question counts as answered or correct only from attempts on its *current* answer-key version:
when an author changes what is correct, earlier attempts stay in the history but no longer count.
The counts come from the learner's summary rows (learner_question), so a page costs the same after a
thousand attempts as after ten.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, case, func, select

from quizapp.models import Course, LearnerQuestion, Lesson, Question
from quizapp.speed.direct import Prepared, read


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


def get_progress_for_user(user_id: int | None, course_key: str | None = None) -> list[CourseProgress]:
    """Build every active course's progress for one learner (one query, whatever the size)."""
    statement = _PROGRESS if course_key is None else _COURSE_PROGRESS
    rows = read(statement, {"user_id": user_id or 0, "course_key": course_key})
    courses: dict[str, tuple[tuple[str, str, str], list[LessonProgress]]] = {}
    for row in rows:
        entry = LessonProgress(row.key, row.course_key, row.slug, row.title, row.minutes, row.total or 0,
                               row.answered or 0, row.correct or 0)
        course = (row.course_key, row.course_title, row.course_summary)
        courses.setdefault(row.course_key, (course, []))[1].append(entry)
    return [CourseProgress(key, title, summary, tuple(items)) for (key, title, summary), items in courses.values()]


def _progress_statement():
    """Active lessons in course order, each with its question total and the learner's counts (built once)."""
    totals = active_questions().subquery()
    totals = select(totals.c.lesson_id, func.count().label("total")).group_by(totals.c.lesson_id).subquery()
    # The learner's summary row per question and answer key (kept at every answer): answered on the current
    # key, and ever right on it. As many rows as questions they tried, however many attempts they made.
    mine = active_questions().subquery()
    counts = (
        select(
            mine.c.lesson_id,
            func.count().label("answered"),
            func.count(case((LearnerQuestion.ever_correct.is_(True), 1))).label("correct"),
        )
        .join(LearnerQuestion, and_(LearnerQuestion.question_id == mine.c.id,
                                    LearnerQuestion.version == mine.c.version))
        .where(LearnerQuestion.user_id == bindparam("user_id"))
        .group_by(mine.c.lesson_id)
        .subquery()
    )
    return (
        select(Lesson.key, Lesson.slug, Lesson.title, Lesson.minutes, Course.key.label("course_key"),
               Course.title.label("course_title"), Course.summary.label("course_summary"),
               totals.c.total, counts.c.answered, counts.c.correct)
        .join(Course, Course.id == Lesson.course_id)
        .outerjoin(totals, totals.c.lesson_id == Lesson.id)
        .outerjoin(counts, counts.c.lesson_id == Lesson.id)
        .where(Lesson.retired.is_(False), Course.retired.is_(False))
        .order_by(Course.position.is_(None), Course.position, Course.key, Lesson.position)
    )


_PROGRESS = Prepared(_progress_statement())
_COURSE_PROGRESS = Prepared(_progress_statement().where(Course.key == bindparam("course_key")))


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
