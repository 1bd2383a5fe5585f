"""Lessons and their questions as a learner sees them, and answering: grade, store once, explain.

A QuestionView carries only what may be shown before grading (prompt, choice texts, shuffled
items, hint count); correctness, feedback and the solution travel only in an AnswerResult.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import and_, bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from quizapp.content.model import Answer, ChoiceAnswer, OrderAnswer, answer_from_dict
from quizapp.extensions import db
from quizapp.grading import Grade, ResponseError, grade, parse_response
from quizapp.models import Attempt, AttemptPick, Course, Lesson, Question, QuestionVersion, utcnow
from quizapp.services.summaries import record_answer

MAX_SECONDS = 6 * 3600  # longer than this on one question is a tab left open, not study time


@dataclass(frozen=True)
class Option:
    """A choice or an order item as shown to the learner: an id and its HTML."""

    id: str
    html: str


@dataclass(frozen=True)
class QuestionView:
    """A question ready to render as a form; nothing here reveals the answer."""

    id: int
    anchor: str
    title: str
    kind: str
    prompt_html: str
    multiple: bool
    options: tuple[Option, ...]
    hints_html: tuple[str, ...]  # only the hints the learner has asked for
    hint_count: int
    status: str | None  # None, 'correct' or 'incorrect' (latest attempt on the current version)
    attempts: int
    url: str  # course/lesson/question path parts joined, for links


@dataclass(frozen=True)
class AnswerResult:
    """The outcome of a submission: the grade and everything shown after grading."""

    grade: Grade | None  # None when the response was malformed (no attempt stored)
    error: str | None
    response: dict
    feedback_html: tuple[str, ...]
    solution_html: str
    quick_check_html: str
    mistakes_html: tuple[str, ...]
    attempt_id: int | None
    standing: tuple[bool, int] | None = None  # (latest correct, attempts) as the summary upsert returned it


@dataclass(frozen=True)
class LessonPage:
    """A lesson with its questions and its neighbours in the course."""

    course_key: str
    course_title: str
    slug: str
    title: str
    summary: str
    minutes: int | None
    body_html: str
    questions: tuple[QuestionView, ...]
    previous: tuple[str, str] | None  # (slug, title)
    next: tuple[str, str] | None


def get_lesson_page(course_key: str, lesson_slug: str, user_id: int | None) -> LessonPage | None:
    """Load an active lesson with its questions as forms, or None if there is no such lesson.

    Two queries whatever the lesson's size: the lesson with its neighbours, then its questions with
    the learner's status. Both statements are built once, at import.
    """
    lesson = db.session.execute(_LESSON, {"key": f"{course_key}/{lesson_slug}"}).first()
    if lesson is None:
        return None
    rows = db.session.execute(_LESSON_QUESTIONS, {"lesson_id": lesson.id, "user_id": user_id or 0}).all()
    views = tuple(_view(row, user_id, course_key, lesson_slug) for row in rows)
    return LessonPage(
        lesson.course_key, lesson.course_title, lesson.slug, lesson.title, lesson.summary, lesson.minutes,
        lesson.body_html, views,
        (lesson.prev_slug, lesson.prev_title) if lesson.prev_slug is not None else None,
        (lesson.next_slug, lesson.next_title) if lesson.next_slug is not None else None,
    )


def get_question_view(
    course_key: str, lesson_slug: str, anchor: str, user_id: int | None, hints: int = 0
) -> QuestionView | None:
    """Load one active question as a form, with the first ``hints`` hints revealed (one query)."""
    key = f"{course_key}/{lesson_slug}/{anchor}"
    row = db.session.execute(_QUESTION_BY_KEY, {"key": key, "lesson_key": f"{course_key}/{lesson_slug}",
                                                "user_id": user_id or 0}).first()
    if row is None:
        return None
    view = _view(row, user_id, course_key, lesson_slug)
    shown = max(0, min(hints, len(row.hints_html)))
    return _replace_hints(view, tuple(row.hints_html[:shown]))


def refresh_status(view: QuestionView, user_id: int, result: AnswerResult) -> QuestionView:
    """Give ``view`` again with the learner's status and attempt count after ``result``.

    An answer this request stored already carries them (the summary upsert returns them): no query.
    """
    if result.standing is not None:
        correct, attempts = result.standing
    else:
        row = db.session.execute(_STATUS_ONE, {"user_id": user_id, "question_id": view.id}).first()
        if row is None:
            return replace(view, status=None, attempts=0)
        correct, attempts = row.correct, row.attempts
    return replace(view, status="correct" if correct else "incorrect", attempts=attempts)


def submit_answer(
    user_id: int,
    question_id: int,
    form: Mapping[str, Sequence[str]],
    *,
    submission_key: str,
    hints_used: int = 0,
    seconds: int | None = None,
) -> AnswerResult:
    """Grade a response and store it once; a malformed response is explained and costs no attempt."""
    question = db.session.execute(_QUESTION_BY_ID, {"id": question_id}).one()
    answer = answer_from_dict(question.answer)
    previous = _attempt_by_key(user_id, submission_key)
    if previous is not None:
        return _result(question, answer, previous)
    try:
        response = parse_response(answer, form)
    except ResponseError as error:
        return AnswerResult(None, error.message, echo_form(form), (), "", "", (), None)
    outcome = grade(answer, response)
    values = {
        "user_id": user_id, "question_id": question.id, "version": question.version, "response": response,
        "score": outcome.score, "correct": outcome.correct, "matched": list(outcome.matched),
        "feedback_html": list(outcome.feedback_html),
        "hints_used": max(0, min(hints_used, len(question.hints_html))),
        "seconds": None if seconds is None else max(0, min(seconds, MAX_SECONDS)),
        "submission_key": submission_key, "created_at": utcnow(),
    }
    try:
        # Core inserts, one commit: the ORM unit of work costs more than the grading itself here. The
        # dashboards' summaries go in the same transaction, so a refused duplicate never counts twice.
        attempt_id = db.session.execute(_INSERT_ATTEMPT, values).scalar_one()
        if outcome.matched:
            picks = [{"attempt_id": attempt_id, "user_id": user_id, "question_id": question.id,
                      "version": question.version, "option_id": option_id} for option_id in outcome.matched]
            db.session.execute(_INSERT_PICK, picks)
        summary = record_answer(attempt_id, values, question.course_id)
        db.session.commit()
    except IntegrityError:
        # The same form arrived twice at once; the other request stored it, so show that one.
        db.session.rollback()
        attempt = _attempt_by_key(user_id, submission_key)
        if attempt is None:
            raise
        return _result(question, answer, attempt, outcome)
    stored = _Stored(attempt_id, values["response"], values["feedback_html"])
    return replace(_result(question, answer, stored, outcome), standing=(summary.correct, summary.attempts))


@dataclass(frozen=True)
class _Stored:
    """The parts of a stored attempt an AnswerResult shows."""

    id: int
    response: dict
    feedback_html: list


def _result(question, answer: Answer, attempt, outcome: Grade | None = None) -> AnswerResult:
    if outcome is None:
        outcome = grade(answer, attempt.response)
    return AnswerResult(
        outcome, None, attempt.response, tuple(attempt.feedback_html), question.solution_html,
        question.quick_check_html, tuple(question.mistakes_html), attempt.id,
    )


def _attempt_by_key(user_id: int, submission_key: str) -> _Stored | None:
    row = db.session.execute(_ATTEMPT_BY_KEY, {"user_id": user_id, "submission_key": submission_key}).first()
    return None if row is None else _Stored(row.id, row.response, row.feedback_html)


def echo_form(form: Mapping[str, Sequence[str]]) -> dict:
    """Keep what the learner typed so a form sent back for correction is not emptied."""
    return {
        "choices": [str(v)[:16] for v in form.get("choice", [])][:50],
        "text": str((form.get("text") or [""])[0])[:500],
        "raw": str((form.get("number") or [""])[0])[:64],
    }


# --- statements, built once ------------------------------------------------------------------


def _status_subquery(question_filter):
    """Per question: the learner's attempts on its current version, and the id of the latest one."""
    return (
        select(Attempt.question_id, func.count().label("attempts"), func.max(Attempt.id).label("last_id"))
        .join(Question, and_(Question.id == Attempt.question_id, Question.version == Attempt.version))
        .where(Attempt.user_id == bindparam("user_id"), question_filter)
        .group_by(Attempt.question_id)
        .subquery()
    )


def _questions_with_status(condition, status_filter, *extra_joins):
    """Active questions with their current answer key and the learner's status, in lesson order."""
    status = _status_subquery(status_filter)
    last = aliased(Attempt)
    query = (
        select(Question.id, Question.key, Question.title, Question.kind, Question.prompt_html, Question.hints_html,
               QuestionVersion.answer, status.c.attempts, last.correct)
        .join(QuestionVersion, and_(
            QuestionVersion.question_id == Question.id, QuestionVersion.number == Question.version
        ))
        .outerjoin(status, status.c.question_id == Question.id)
        .outerjoin(last, last.id == status.c.last_id)
    )
    for target, on in extra_joins:
        query = query.join(target, on)
    return query.where(condition, Question.retired.is_(False)).order_by(Question.position)


def _lesson_statement():
    """The active lesson by key, with its course and its active neighbours by position (window functions)."""
    inner = aliased(Lesson)
    window = {"partition_by": Lesson.course_id, "order_by": Lesson.position}
    ranked = (
        select(
            Lesson.id, Lesson.key, Lesson.slug, Lesson.title, Lesson.summary, Lesson.minutes, Lesson.body_html,
            Lesson.course_id,
            func.lag(Lesson.slug).over(**window).label("prev_slug"),
            func.lag(Lesson.title).over(**window).label("prev_title"),
            func.lead(Lesson.slug).over(**window).label("next_slug"),
            func.lead(Lesson.title).over(**window).label("next_title"),
        )
        .where(Lesson.retired.is_(False),
               Lesson.course_id == select(inner.course_id).where(inner.key == bindparam("key")).scalar_subquery())
        .subquery()
    )
    return (
        select(ranked, Course.key.label("course_key"), Course.title.label("course_title"))
        .join(Course, Course.id == ranked.c.course_id)
        .where(ranked.c.key == bindparam("key"), Course.retired.is_(False))
    )


_LESSON = _lesson_statement()
_LESSON_QUESTIONS = _questions_with_status(
    Question.lesson_id == bindparam("lesson_id"), Question.lesson_id == bindparam("lesson_id")
)
_QUESTION_BY_KEY = _questions_with_status(
    Question.key == bindparam("key"), Question.key == bindparam("key"),
    (Lesson, Lesson.id == Question.lesson_id), (Course, Course.id == Lesson.course_id),
).where(Lesson.key == bindparam("lesson_key"), Lesson.retired.is_(False), Course.retired.is_(False))
_STATUS_ONE = (
    lambda status: select(status.c.attempts, Attempt.correct).join(Attempt, Attempt.id == status.c.last_id)
)(_status_subquery(Attempt.question_id == bindparam("question_id")))
_QUESTION_BY_ID = (
    select(Question.id, Question.version, Question.hints_html, Question.solution_html, Question.quick_check_html,
           Question.mistakes_html, QuestionVersion.answer, Lesson.course_id)
    .join(QuestionVersion, and_(
        QuestionVersion.question_id == Question.id, QuestionVersion.number == Question.version
    ))
    .join(Lesson, Lesson.id == Question.lesson_id)
    .where(Question.id == bindparam("id"), Question.retired.is_(False))
)
_ATTEMPT_BY_KEY = select(Attempt.id, Attempt.response, Attempt.feedback_html).where(
    Attempt.user_id == bindparam("user_id"), Attempt.submission_key == bindparam("submission_key")
)
_INSERT_ATTEMPT = insert(Attempt.__table__).returning(Attempt.__table__.c.id)
_INSERT_PICK = insert(AttemptPick.__table__)


def _view(row, user_id: int | None, course_key: str, lesson_slug: str) -> QuestionView:
    answer = answer_from_dict(row.answer)
    anchor = row.key.rsplit("/", 1)[-1]
    status = None if row.attempts is None else ("correct" if row.correct else "incorrect")
    return QuestionView(
        row.id, anchor, row.title, row.kind, row.prompt_html,
        isinstance(answer, ChoiceAnswer) and answer.multiple,
        _options(answer, row.id, user_id), (), len(row.hints_html),
        status, row.attempts or 0,
        f"{course_key}/{lesson_slug}/{anchor}",
    )


def _options(answer: Answer, question_id: int, user_id: int | None) -> tuple[Option, ...]:
    if isinstance(answer, ChoiceAnswer):
        return tuple(Option(c.id, c.html) for c in answer.choices)
    if isinstance(answer, OrderAnswer):
        return tuple(Option(i.id, i.html) for i in shuffled(answer.items, f"{user_id}:{question_id}"))
    return ()


def shuffled(items: Sequence, seed: str) -> list:
    """Shuffle stably per learner and question, never leaving the items in the right order."""
    out = list(items)
    random.Random(seed).shuffle(out)
    if len(out) > 1 and out == list(items):
        out = out[1:] + out[:1]
    return out


def _replace_hints(view: QuestionView, hints: tuple[str, ...]) -> QuestionView:
    return replace(view, hints_html=hints)
