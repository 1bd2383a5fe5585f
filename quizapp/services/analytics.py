"""Item analysis for a class on a course: facility, discrimination, option counts, named mistakes, charts data.

Every statistic counts the class's learners and attempts on each question's *current* answer key.
Facility is the share of learners right on their first attempt. Discrimination is Moodle's: the
Pearson correlation, across learners who tried the item, between their first-attempt score on it
and the rest of their score (sum of their first-attempt scores on the course's other questions).
SQL returns the sums; Python only turns a handful of numbers into a coefficient.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Date, and_, case, exists, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from quizapp.content.model import ChoiceAnswer, NumberAnswer, TextAnswer, answer_from_dict
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptPick, Lesson, Question, QuestionVersion
from quizapp.services.reports import CourseRef, class_members, course_questions, learner_stats

ACTIVITY_DAYS = 30
DECILES = tuple(f"{i * 10}–{i * 10 + 9}%" for i in range(9)) + ("90–100%",)
FLAG_NOBODY = "nobody correct"
FLAG_POPULAR_WRONG = "a wrong answer is more popular than the right one"
FLAG_NEGATIVE = "negative discrimination"
OTHER = "other"  # the catch-all for unanticipated wrong answers: not one answer, so never flagged


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


@dataclass(frozen=True)
class OptionStat:
    """A choice, an accepted answer or an anticipated wrong answer, with how many learners gave it."""

    id: str
    text: str  # the author's source text (Markdown), for CSV and chart labels
    html: str
    correct: bool
    feedback: str  # Markdown source of the feedback naming the mistake
    feedback_html: str
    learners: int


@dataclass(frozen=True)
class ItemStat:
    """How a class did on one question."""

    id: int
    key: str
    title: str
    lesson_title: str
    kind: str
    attempts: int
    learners: int
    first_correct: int
    ever_correct: int
    discrimination: float | None
    options: tuple[OptionStat, ...]
    flags: tuple[str, ...]

    @property
    def facility(self) -> float | None:
        """Share of learners right on their first attempt (None before anyone tried)."""
        return self.first_correct / self.learners if self.learners else None


@dataclass(frozen=True)
class Mistake:
    """A named mistake (a wrong option with feedback) and how many learners made it."""

    question_id: int
    question_title: str
    option_id: str
    option_text: str
    feedback_html: str
    learners: int


@dataclass(frozen=True)
class ItemAnalysis:
    """Every question of a course for one class, and its most common mistakes."""

    course: CourseRef
    items: tuple[ItemStat, ...]
    mistakes: tuple[Mistake, ...]


def pearson(n: float, sx: float, sy: float, sxy: float, sxx: float, syy: float) -> float | None:
    """Turn sums into a correlation coefficient; None when either side does not vary."""
    spread = (n * sxx - sx * sx) * (n * syy - sy * sy)
    if n < 2 or spread <= 1e-12:
        return None
    return (n * sxy - sx * sy) / math.sqrt(spread)


def get_item_analysis(class_id: int, course: CourseRef) -> ItemAnalysis:
    """Analyse every question of a course for a class (four queries, whatever the class size)."""
    cq = course_questions(course.id).subquery()
    members = class_members(class_id)
    sums = _first_attempt_sums(cq, members)
    totals = _totals(cq, members)
    picks = _pick_counts(cq, members)
    items = tuple(_item(row, sums, totals, picks) for row in _questions(cq))
    mistakes = sorted(
        (Mistake(i.id, i.title, o.id, o.text, o.feedback_html, o.learners)
         for i in items for o in i.options if not o.correct and o.feedback_html and o.learners),
        key=lambda m: -m.learners,
    )
    return ItemAnalysis(course, items, tuple(mistakes))


def _questions(cq) -> list:
    query = (
        select(Question.id, Question.key, Question.title, Question.kind, Lesson.title, QuestionVersion.answer)
        .join(cq, cq.c.id == Question.id)
        .join(Lesson, Lesson.id == Question.lesson_id)
        .join(QuestionVersion, and_(
            QuestionVersion.question_id == Question.id, QuestionVersion.number == Question.version
        ))
        .order_by(Lesson.position, Question.position)
    )
    return db.session.execute(query).all()


def _first_attempt_sums(cq, members) -> dict[int, tuple]:
    """Per question: n, first-correct count, and the sums Pearson needs (x item score, y rest score)."""
    firsts = (
        select(func.min(Attempt.id).label("id"))
        .join(cq, and_(Attempt.question_id == cq.c.id, Attempt.version == cq.c.version))
        .where(Attempt.user_id.in_(members))
        .group_by(Attempt.user_id, Attempt.question_id)
        .subquery()
    )
    fa = (
        select(Attempt.user_id, Attempt.question_id, Attempt.score.label("x"), Attempt.correct)
        .join(firsts, firsts.c.id == Attempt.id)
        .subquery()
    )
    per_user = select(fa.c.user_id, func.sum(fa.c.x).label("t")).group_by(fa.c.user_id).subquery()
    x, y = fa.c.x, per_user.c.t - fa.c.x
    query = (
        select(
            fa.c.question_id, func.count(), func.sum(case((fa.c.correct.is_(True), 1), else_=0)),
            func.sum(x), func.sum(y), func.sum(x * y), func.sum(x * x), func.sum(y * y),
        )
        .join(per_user, per_user.c.user_id == fa.c.user_id)
        .group_by(fa.c.question_id)
    )
    return {row[0]: tuple(row[1:]) for row in db.session.execute(query)}


def _totals(cq, members) -> dict[int, tuple[int, int, int, int]]:
    """Per question: attempts, learners, learners ever right, learners with an unanticipated wrong answer."""
    unanticipated = and_(Attempt.correct.is_(False), ~exists().where(AttemptPick.attempt_id == Attempt.id))
    query = (
        select(
            Attempt.question_id, func.count(), func.count(func.distinct(Attempt.user_id)),
            func.count(func.distinct(case((Attempt.correct.is_(True), Attempt.user_id)))),
            func.count(func.distinct(case((unanticipated, Attempt.user_id)))),
        )
        .join(cq, and_(Attempt.question_id == cq.c.id, Attempt.version == cq.c.version))
        .where(Attempt.user_id.in_(members))
        .group_by(Attempt.question_id)
    )
    return {row[0]: tuple(row[1:]) for row in db.session.execute(query)}


def _pick_counts(cq, members) -> dict[tuple[int, str], int]:
    """Per (question, option id): distinct learners who picked it or whose answer matched it."""
    query = (
        select(AttemptPick.question_id, AttemptPick.option_id, func.count(func.distinct(AttemptPick.user_id)))
        .join(cq, and_(AttemptPick.question_id == cq.c.id, AttemptPick.version == cq.c.version))
        .where(AttemptPick.user_id.in_(members))
        .group_by(AttemptPick.question_id, AttemptPick.option_id)
    )
    return {(qid, option): n for qid, option, n in db.session.execute(query)}


def _item(row, sums: dict, totals: dict, picks: dict) -> ItemStat:
    qid, key, title, kind, lesson_title, answer_data = row
    n, first_correct, sx, sy, sxy, sxx, syy = sums.get(qid, (0, 0, 0, 0, 0, 0, 0))
    attempts, learners, ever, other = totals.get(qid, (0, 0, 0, 0))
    r = pearson(*(float(v or 0) for v in (n, sx, sy, sxy, sxx, syy)))
    options = _options(answer_from_dict(answer_data), qid, picks, ever, other)
    flags = []
    if learners and not ever:
        flags.append(FLAG_NOBODY)
    if any(not o.correct and o.id != OTHER and o.learners > ever for o in options):
        flags.append(FLAG_POPULAR_WRONG)
    if r is not None and r < 0:
        flags.append(FLAG_NEGATIVE)
    return ItemStat(qid, key, title, lesson_title, kind, attempts, learners, int(first_correct or 0), ever, r,
                    options, tuple(flags))


def _options(answer, qid: int, picks: dict, ever: int, other: int) -> tuple[OptionStat, ...]:
    if isinstance(answer, ChoiceAnswer):
        return tuple(OptionStat(c.id, c.text, c.html, c.correct, c.feedback, c.feedback_html,
                                picks.get((qid, c.id), 0))
                     for c in answer.choices)
    if isinstance(answer, TextAnswer | NumberAnswer):
        accepted = ", ".join(p.raw for p in answer.accepted)
        found = [OptionStat("accepted", accepted, "", True, "", "", ever)]
        found += [OptionStat(w.id, w.match.raw, "", False, w.feedback, w.feedback_html,
                              picks.get((qid, w.id), 0))
                  for w in answer.wrong]
        return (*found, OptionStat(OTHER, "any other answer", "", False, "", "", other))
    return (OptionStat("correct", "the right order", "", True, "", "", ever),
            OptionStat(OTHER, "any other order", "", False, "", "", other))


def get_activity(class_id: int, course_id: int, now: datetime | None = None) -> list[tuple[date, int, int]]:
    """Give (day, attempts, correct attempts) for each of the last ACTIVITY_DAYS days (one query)."""
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    start = today - timedelta(days=ACTIVITY_DAYS - 1)
    cq = course_questions(course_id).subquery()
    day = day_of(Attempt.created_at)
    query = (
        select(day, func.count(), func.sum(case((Attempt.correct.is_(True), 1), else_=0)))
        .join(cq, cq.c.id == Attempt.question_id)
        .where(Attempt.user_id.in_(class_members(class_id)),
               Attempt.created_at >= datetime.combine(start, datetime.min.time(), UTC))
        .group_by(day)
    )
    found = {d: (int(n), int(c or 0)) for d, n, c in db.session.execute(query)}
    days = [start + timedelta(days=i) for i in range(ACTIVITY_DAYS)]
    return [(d, *found.get(d, (0, 0))) for d in days]


def get_score_distribution(class_id: int, course_id: int, total: int) -> list[tuple[str, int]]:
    """Count learners per decile of the course answered correctly, labelled as in DECILES (one query)."""
    stats = learner_stats(class_id, course_id)
    rows = db.session.execute(select(stats.c.correct, func.count()).group_by(stats.c.correct)).all()
    buckets = [0] * 10
    for correct, count in rows:  # one row per distinct correct count, never per learner
        buckets[min(9, correct * 10 // total) if total else 0] += count
    return list(zip(DECILES, buckets, strict=True))
