"""Instructor reports, aggregated in SQL so their cost does not grow with a loop over attempts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Course, Lesson, Question, User
from quizapp.services.progress import active_questions, question_totals


@dataclass(frozen=True)
class LessonColumn:
    """A lesson as a dashboard column."""

    id: int
    key: str
    title: str
    total: int


@dataclass(frozen=True)
class LearnerRow:
    """One learner's correct count per lesson id, and when they last answered."""

    id: int
    email: str
    correct: dict[int, int]
    last_active: object  # datetime | None

    def correct_in(self, lesson_id: int) -> int:
        """Count this learner's correct questions in a lesson."""
        return self.correct.get(lesson_id, 0)


@dataclass(frozen=True)
class QuestionStat:
    """How a class did on one question's current version."""

    id: int
    key: str
    title: str
    lesson_title: str
    learners: int
    first_correct: int

    @property
    def facility(self) -> float | None:
        """Share of learners right on their first attempt (None before anyone tried)."""
        return self.first_correct / self.learners if self.learners else None


@dataclass(frozen=True)
class Overview:
    """The dashboard's first page: learners by lessons, and question facility."""

    lessons: tuple[LessonColumn, ...]
    learners: tuple[LearnerRow, ...]
    questions: tuple[QuestionStat, ...]
    total_learners: int
    page: int
    per_page: int


def get_overview(page: int = 1, per_page: int = 50) -> Overview:
    """Build the overview for all learners, a page of learners at a time (a fixed number of queries)."""
    lessons = _lesson_columns()
    total = db.session.scalar(select(func.count(User.id)).where(User.role == "learner")) or 0
    users = db.session.execute(
        select(User.id, User.email)
        .where(User.role == "learner")
        .order_by(User.email)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    correct = _correct_by_learner_and_lesson([uid for uid, _ in users])
    last = _last_active([uid for uid, _ in users])
    rows = tuple(LearnerRow(uid, email, correct.get(uid, {}), last.get(uid)) for uid, email in users)
    return Overview(lessons, rows, _question_stats(), total, max(page, 1), per_page)


def _lesson_columns() -> tuple[LessonColumn, ...]:
    totals = question_totals()
    query = (
        select(Lesson.id, Lesson.key, Lesson.title)
        .join(Course, Course.id == Lesson.course_id)
        .where(Lesson.retired.is_(False), Course.retired.is_(False))
        .order_by(Course.position.is_(None), Course.position, Course.key, Lesson.position)
    )
    return tuple(LessonColumn(i, k, t, totals.get(i, 0)) for i, k, t in db.session.execute(query))


def _correct_by_learner_and_lesson(user_ids: list[int]) -> dict[int, dict[int, int]]:
    if not user_ids:
        return {}
    sub = active_questions().subquery()
    query = (
        select(Attempt.user_id, sub.c.lesson_id, func.count(func.distinct(Attempt.question_id)))
        .join(sub, and_(Attempt.question_id == sub.c.id, Attempt.version == sub.c.version))
        .where(Attempt.user_id.in_(user_ids), Attempt.correct.is_(True))
        .group_by(Attempt.user_id, sub.c.lesson_id)
    )
    found: dict[int, dict[int, int]] = {}
    for user_id, lesson_id, count in db.session.execute(query):
        found.setdefault(user_id, {})[lesson_id] = count
    return found


def _last_active(user_ids: list[int]) -> dict[int, object]:
    if not user_ids:
        return {}
    query = (
        select(Attempt.user_id, func.max(Attempt.created_at))
        .where(Attempt.user_id.in_(user_ids))
        .group_by(Attempt.user_id)
    )
    return dict(db.session.execute(query).all())


def _question_stats() -> tuple[QuestionStat, ...]:
    """Facility per question: first attempts on the current version, one per learner."""
    sub = active_questions().subquery()
    first = (
        select(func.min(Attempt.id).label("id"))
        .join(sub, and_(Attempt.question_id == sub.c.id, Attempt.version == sub.c.version))
        .group_by(Attempt.user_id, Attempt.question_id)
        .subquery()
    )
    firsts = (
        select(
            Attempt.question_id.label("question_id"),
            func.count().label("learners"),
            func.sum(case((Attempt.correct.is_(True), 1), else_=0)).label("first_correct"),
        )
        .join(first, first.c.id == Attempt.id)
        .group_by(Attempt.question_id)
        .subquery()
    )
    query = (
        select(Question.id, Question.key, Question.title, Lesson.title, firsts.c.learners, firsts.c.first_correct)
        .join(sub, sub.c.id == Question.id)
        .join(Lesson, Lesson.id == Question.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .outerjoin(firsts, firsts.c.question_id == Question.id)
        .order_by(Course.position.is_(None), Course.position, Course.key, Lesson.position, Question.position)
    )
    return tuple(
        QuestionStat(qid, key, title, lesson, learners or 0, int(correct or 0))
        for qid, key, title, lesson, learners, correct in db.session.execute(query)
    )
