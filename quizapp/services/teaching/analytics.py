"""Item analysis for a class on a course: facility, discrimination, option counts, named mistakes, charts data.

Every statistic counts the class's learners and attempts on each question's *current* answer key.
Facility is the share of learners right on their first attempt. Discrimination is Moodle's: the
Pearson correlation, across learners who tried the item, between their first-attempt score on it
and the rest of their score (sum of their first-attempt scores on the course's other questions).
SQL returns the sums; Python only turns a handful of numbers into a coefficient.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from sqlalchemy import and_, select

from quizapp.content.model import ChoiceAnswer, NumberAnswer, TextAnswer
from quizapp.content.parsing.parser import question_line
from quizapp.content.snapshots import answer_from_dict
from quizapp.extensions import db
from quizapp.models import ClassOption, ClassQuestion, Lesson, Question, QuestionVersion
from quizapp.services.teaching.page_cache import cached
from quizapp.services.teaching.reports import CourseRef, course_questions
from quizapp.services.teaching.summaries.class_summaries import ensure_fresh

FLAG_NOBODY = "nobody correct"
FLAG_POPULAR_WRONG = "a wrong answer is more popular than the right one"
FLAG_NEGATIVE = "negative discrimination"
OTHER = "other"  # the catch-all for unanticipated wrong answers: not one answer, so never flagged


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
class SourceLine:
    """Where a question is written: its lesson and the line of its heading, for a link into the editor."""

    course_key: str
    lesson_slug: str
    line: int


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
    source: SourceLine | None = None  # set for flagged questions: where an author fixes them

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
    """Analyse every question of a course for a class (one query when unchanged since the last view, else four)."""
    return cached(("items", class_id, course), class_id, lambda: _item_analysis(class_id, course))


def _item_analysis(class_id: int, course: CourseRef) -> ItemAnalysis:
    ensure_fresh(class_id, course.id)
    cq = course_questions(course.id).subquery()
    picks = _pick_counts(class_id, course.id, cq)
    items = _with_sources(tuple(_item(row, picks) for row in _questions(class_id, course.id, cq)))
    mistakes = sorted(
        (Mistake(i.id, i.title, o.id, o.text, o.feedback_html, o.learners)
         for i in items for o in i.options if not o.correct and o.feedback_html and o.learners),
        key=lambda m: -m.learners,
    )
    return ItemAnalysis(course, items, tuple(mistakes))


def _questions(class_id: int, course_id: int, cq) -> list:
    """The course's active questions in order, each with its answer key and the class's counters on it."""
    counters = ClassQuestion
    query = (
        select(Question.id, Question.key, Question.title, Question.kind, Lesson.title, QuestionVersion.answer,
               *(getattr(counters, name) for name in SUMS))
        .join(cq, cq.c.id == Question.id)
        .join(Lesson, Lesson.id == Question.lesson_id)
        .join(QuestionVersion, and_(
            QuestionVersion.question_id == Question.id, QuestionVersion.number == Question.version
        ))
        .outerjoin(counters, and_(counters.classroom_id == class_id, counters.course_id == course_id,
                                  counters.question_id == Question.id, counters.version == Question.version))
        .order_by(Lesson.position, Question.position)
    )
    return db.session.execute(query).all()


SUMS = ("learners", "first_correct", "attempts", "ever_correct", "ever_other", "sum_x", "sum_xx", "sum_t",
        "sum_tt", "sum_xt")


def _pick_counts(class_id: int, course_id: int, cq) -> dict[tuple[int, str], int]:
    """Per (question, option id): members who ever picked it or whose answer matched it (on its current key)."""
    co = ClassOption
    query = (
        select(co.question_id, co.option_id, co.learners)
        .join(cq, and_(co.question_id == cq.c.id, co.version == cq.c.version))
        .where(co.classroom_id == class_id, co.course_id == course_id)
    )
    return {(qid, option): n for qid, option, n in db.session.execute(query)}


def _item(row, picks: dict) -> ItemStat:
    qid, key, title, kind, lesson_title, answer_data, *sums = row
    n, first_correct, attempts, ever, other, sx, sxx, st, stt, sxt = (v or 0 for v in sums)
    learners, attempts, ever, other = int(n), int(attempts), int(ever), int(other)
    # y, the rest score, is t - x: its sums follow from those of x and t.
    r = pearson(float(n), sx, st - sx, sxt - sxx, sxx, stt - 2 * sxt + sxx)
    options = _options(answer_from_dict(answer_data), qid, picks, ever, other)
    flags = []
    if learners and not ever:
        flags.append(FLAG_NOBODY)
    if any(not o.correct and o.id != OTHER and o.learners > ever for o in options):
        flags.append(FLAG_POPULAR_WRONG)
    if r is not None and r < 0:
        flags.append(FLAG_NEGATIVE)
    return ItemStat(qid, key, title, lesson_title, kind, attempts, learners, int(first_correct), ever, r,
                    options, tuple(flags))


def _with_sources(items: tuple[ItemStat, ...]) -> tuple[ItemStat, ...]:
    """Find the source line of each flagged question in its lesson's stored text (one query, flagged lessons only)."""
    lesson_keys = {item.key.rsplit("/", 1)[0] for item in items if item.flags}
    if not lesson_keys:
        return items
    rows = db.session.execute(select(Lesson.key, Lesson.source).where(Lesson.key.in_(sorted(lesson_keys)),
                                                                     Lesson.retired.is_(False)))
    sources = dict(rows.all())
    return tuple(_sourced(item, sources) if item.flags else item for item in items)


def _sourced(item: ItemStat, sources: dict[str, str]) -> ItemStat:
    lesson_key, question_id = item.key.rsplit("/", 1)
    text = sources.get(lesson_key)
    line = question_line(text, question_id) if text is not None else None
    if line is None:
        return item
    course_key, lesson_slug = lesson_key.split("/", 1)
    return replace(item, source=SourceLine(course_key, lesson_slug, line))


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
