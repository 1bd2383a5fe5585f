"""The instructor's view of spaced review for a class and course: who has cards due, what is fading, and
whether the schedule's predictions hold for this class.

Fixed query count, whatever the class's size: the class's review counters brought up to date
(``fading.ensure_members``: one query unless members joined or left), one page of members
(one) and their cards' totals and mean recall now (one grouped query over that page's cards only), the
questions' fading counts from the counters (one), recovery and calibration from the members' review
outcome counters (one), plus the item analysis the dashboard already keeps (its own fixed count).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Float, and_, case, func, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from quizapp.extensions import db
from quizapp.models import ClassFading, Enrollment, Lesson, Question, ReviewCard, ReviewOutcome, User
from quizapp.services.learning.review_schedule import SCHEDULER
from quizapp.services.teaching import analytics
from quizapp.services.teaching.reports import CourseRef, member_names
from quizapp.services.teaching.summaries import fading as fading_summaries

DECAY = -SCHEDULER.parameters[20]
FACTOR = 0.9 ** (1 / DECAY) - 1
PAGE = 100  # learners per page
BINS = fading_summaries.BINS  # predicted recall bins (calibration)


@dataclass(frozen=True)
class LearnerReview:
    """One member's cards in the course."""

    user_id: int
    email: str  # User.shown_email: empty for a pupil without an address
    cards: int
    due: int  # due or overdue now
    recall: float | None  # mean predicted recall now (None without cards)
    name: str = ""  # User.shown_name
    username: str | None = None

    @property
    def due_share(self) -> float | None:
        """Share of the learner's cards due or overdue."""
        return self.due / self.cards if self.cards else None


@dataclass(frozen=True)
class Fading:
    """One question: how many members have a card on it, how many are predicted below 0.8, its top mistake."""

    question_id: int
    title: str
    lesson_title: str
    cards: int
    fading: int
    mistake: str  # the most common named mistake's feedback (Markdown source), "" if none

    @property
    def share(self) -> float | None:
        """Share of the members with a card whose recall is predicted below 0.8."""
        return self.fading / self.cards if self.cards else None


@dataclass(frozen=True)
class Calibration:
    """A bin of predicted recall at review time against the share of those reviews answered right."""

    low: float
    high: float
    reviews: int
    right: int

    @property
    def observed(self) -> float | None:
        """Share right."""
        return self.right / self.reviews if self.reviews else None


@dataclass(frozen=True)
class ClassReview:
    """Everything the class's review page shows."""

    learners: tuple[LearnerReview, ...]  # one page of members, by name (all of them for an export)
    members: int  # in the class
    page: int  # the page shown, from 0
    fading: tuple[Fading, ...]  # most fading first
    missed: int  # (learner, question) pairs missed at the first answer and reviewed since
    recovered: int  # of those, right at their first review
    calibration: tuple[Calibration, ...]


def get_class_review(class_id: int, course: CourseRef, now: datetime, page: int | None = 0) -> ClassReview:
    """Build the class's review page for a course at ``now``: one ``page`` of learners (None: all of them)."""
    fading_summaries.ensure_members(class_id)
    analysis = analytics.get_item_analysis(class_id, course)
    mistakes = {item.id: _top_mistake(item) for item in analysis.items}
    missed, recovered, calibration = _outcomes(class_id, course.id)
    members = _members(class_id, page)
    total = members[0].total if members else 0
    fading = _fading(class_id, course.id, now, mistakes)
    return ClassReview(_learners(members, course.id, now), total, page or 0, fading, missed, recovered,
                       calibration)


def _members(class_id: int, page: int | None) -> list:
    """The class's members by name (one page of them, or all), each row with the class's member count."""
    query = (select(User.id, *member_names(), func.count().over().label("total"))
             .join(Enrollment, Enrollment.user_id == User.id)
             .where(Enrollment.classroom_id == class_id).order_by(User.shown_name, User.id))
    if page is not None:
        query = query.limit(PAGE).offset(page * PAGE)
    return db.session.execute(query).all()


def _learners(members: list, course_id: int, now: datetime) -> tuple[LearnerReview, ...]:
    cards = (select(ReviewCard.user_id, func.count().label("cards"),
                    func.sum(case((ReviewCard.due <= now, 1), else_=0)).label("due"),
                    func.sum(_recall_now(now)).label("recall"))
             .join(Question, Question.id == ReviewCard.question_id).join(Lesson, Lesson.id == Question.lesson_id)
             .where(ReviewCard.user_id.in_([row.id for row in members]), Lesson.course_id == course_id,
                    Question.retired.is_(False), Lesson.retired.is_(False), ReviewCard.suspended.is_not(true()),
                    ReviewCard.version == Question.version)
             .group_by(ReviewCard.user_id))
    totals = {row.user_id: row for row in db.session.execute(cards)}
    out = []
    for user_id, name, email, username, _total in members:
        row = totals.get(user_id)
        if row is None:
            out.append(LearnerReview(user_id, email, 0, 0, None, name, username))
        else:
            out.append(LearnerReview(user_id, email, row.cards, int(row.due or 0), float(row.recall) / row.cards,
                                     name, username))
    return tuple(out)


def _recall_now(now: datetime):
    """FSRS retrievability in SQL, as ``fsrs.Scheduler.get_card_retrievability`` computes it (whole days)."""
    elapsed = func.floor(days_between(now, ReviewCard.last_review))
    elapsed = case((elapsed > 0, elapsed), else_=0)
    return func.coalesce(func.power(1 + FACTOR * elapsed / ReviewCard.stability, DECAY), 0.0)


class days_between(FunctionElement):  # noqa: N801 - reads as the SQL function it compiles to
    """Days from a timestamp column to a later time, fractional, on SQLite and PostgreSQL."""

    type = Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(julianday({later}) - julianday({earlier}))"


@compiles(days_between)
def _days_default(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(EXTRACT(EPOCH FROM (CAST({later} AS TIMESTAMP WITH TIME ZONE) - {earlier})) / 86400.0)"


def _fading(class_id: int, course_id: int, now: datetime, mistakes: dict[int, str]) -> tuple[Fading, ...]:
    """Per question of the course (its current key), the members' cards and those fading now, from the counters."""
    counted = (select(ClassFading.question_id, ClassFading.version, func.sum(ClassFading.cards).label("cards"),
                      func.sum(case((ClassFading.fading_at <= now, ClassFading.cards), else_=0)).label("fading"))
               .where(ClassFading.classroom_id == class_id)
               .group_by(ClassFading.question_id, ClassFading.version).subquery())  # summed before any join
    rows = db.session.execute(
        select(Question.id, Question.title, Lesson.title.label("lesson_title"), counted.c.cards, counted.c.fading)
        .join(counted, and_(counted.c.question_id == Question.id, counted.c.version == Question.version))
        .join(Lesson, Lesson.id == Question.lesson_id)
        .where(Lesson.course_id == course_id, Question.retired.is_(False), Lesson.retired.is_(False),
               counted.c.cards > 0)).all()
    found = [Fading(r.id, r.title, r.lesson_title, int(r.cards), int(r.fading or 0), mistakes.get(r.id, ""))
             for r in rows]
    return tuple(sorted(found, key=lambda f: (-(f.share or 0), f.title)))


def _outcomes(class_id: int, course_id: int) -> tuple[int, int, tuple[Calibration, ...]]:
    """Recovery (missed at first and reviewed since, right at the first review) and the calibration table,
    summed from the members' review outcome counters in the course (a few rows per member)."""
    query = (select(ReviewOutcome.bin, func.sum(ReviewOutcome.reviews).label("reviews"),
                    func.sum(ReviewOutcome.recalled).label("recalled"), func.sum(ReviewOutcome.missed).label("missed"),
                    func.sum(ReviewOutcome.recovered).label("recovered"))
             .join(Enrollment, Enrollment.user_id == ReviewOutcome.user_id)
             .where(Enrollment.classroom_id == class_id, ReviewOutcome.course_id == course_id)
             .group_by(ReviewOutcome.bin))
    rows = db.session.execute(query).all()
    counts = {row.bin: (int(row.reviews), int(row.recalled)) for row in rows}
    calibration = tuple(Calibration(low, high, *counts.get(index, (0, 0))) for index, (low, high) in enumerate(BINS))
    return int(sum(row.missed for row in rows)), int(sum(row.recovered for row in rows)), calibration


def _top_mistake(item: analytics.ItemStat) -> str:
    named = Counter({o.feedback: o.learners for o in item.options if not o.correct and o.feedback and o.learners})
    return named.most_common(1)[0][0] if named else ""


