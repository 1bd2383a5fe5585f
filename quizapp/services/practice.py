"""Lessons and their questions as a learner sees them, and answering: grade, store once, explain.

A QuestionView carries only what may be shown before grading (prompt, choice texts, shuffled
items, hint count); correctness, feedback and the solution travel only in an AnswerResult.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError

from quizapp.content.model import Answer, ChoiceAnswer, OrderAnswer, answer_from_dict
from quizapp.extensions import db
from quizapp.grading import Grade, ResponseError, grade, parse_response
from quizapp.models import Attempt, AttemptPick, Course, Lesson, Question, QuestionVersion

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
    """Load an active lesson with its questions as forms, or None if there is no such lesson."""
    lesson, course = _find_lesson(course_key, lesson_slug)
    if lesson is None:
        return None
    rows = _current_questions(Question.lesson_id == lesson.id)
    status = _status_for_user(user_id, [q.id for q, _ in rows])
    views = tuple(_view(q, v, user_id, status.get(q.id), course_key, lesson_slug) for q, v in rows)
    siblings = db.session.execute(
        select(Lesson.slug, Lesson.title)
        .where(Lesson.course_id == course.id, Lesson.retired.is_(False))
        .order_by(Lesson.position)
    ).all()
    index = [slug for slug, _ in siblings].index(lesson.slug)
    return LessonPage(
        course.key, course.title, lesson.slug, lesson.title, lesson.summary, lesson.minutes,
        lesson.body_html, views,
        tuple(siblings[index - 1]) if index > 0 else None,
        tuple(siblings[index + 1]) if index + 1 < len(siblings) else None,
    )


def get_question_view(
    course_key: str, lesson_slug: str, anchor: str, user_id: int | None, hints: int = 0
) -> QuestionView | None:
    """Load one active question as a form, with the first ``hints`` hints revealed."""
    key = f"{course_key}/{lesson_slug}/{anchor}"
    rows = _current_questions(Question.key == key)
    lesson, _course = _find_lesson(course_key, lesson_slug)
    if not rows or lesson is None:
        return None
    question, version = rows[0]
    status = _status_for_user(user_id, [question.id])
    view = _view(question, version, user_id, status.get(question.id), course_key, lesson_slug)
    shown = max(0, min(hints, len(question.hints_html)))
    return _replace_hints(view, tuple(question.hints_html[:shown]))


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
    question, version = _current_questions(Question.id == question_id)[0]
    answer = answer_from_dict(version.answer)
    previous = _attempt_by_key(user_id, submission_key)
    if previous is not None:
        return _result(question, answer, previous)
    try:
        response = parse_response(answer, form)
    except ResponseError as error:
        return AnswerResult(None, error.message, _echo(form), (), "", "", (), None)
    outcome = grade(answer, response)
    attempt = Attempt(
        user_id=user_id, question_id=question.id, version=question.version, response=response,
        score=outcome.score, correct=outcome.correct, matched=list(outcome.matched),
        feedback_html=list(outcome.feedback_html),
        hints_used=max(0, min(hints_used, len(question.hints_html))),
        seconds=None if seconds is None else max(0, min(seconds, MAX_SECONDS)),
        submission_key=submission_key,
    )
    db.session.add(attempt)
    try:
        db.session.flush()
        db.session.add_all(
            AttemptPick(attempt_id=attempt.id, user_id=user_id, question_id=question.id,
                        version=question.version, option_id=option_id)
            for option_id in outcome.matched
        )
        db.session.commit()
    except IntegrityError:
        # The same form arrived twice at once; the other request stored it, so show that one.
        db.session.rollback()
        attempt = _attempt_by_key(user_id, submission_key)
        if attempt is None:
            raise
    return _result(question, answer, attempt, outcome)


def _result(question: Question, answer: Answer, attempt: Attempt, outcome: Grade | None = None) -> AnswerResult:
    if outcome is None:
        outcome = grade(answer, attempt.response)
    return AnswerResult(
        outcome, None, attempt.response, tuple(attempt.feedback_html), question.solution_html,
        question.quick_check_html, tuple(question.mistakes_html), attempt.id,
    )


def _attempt_by_key(user_id: int, submission_key: str) -> Attempt | None:
    query = select(Attempt).where(Attempt.user_id == user_id, Attempt.submission_key == submission_key)
    return db.session.scalar(query)


def _echo(form: Mapping[str, Sequence[str]]) -> dict:
    """Keep what the learner typed so a form sent back for correction is not emptied."""
    return {
        "choices": [str(v)[:16] for v in form.get("choice", [])][:50],
        "text": str((form.get("text") or [""])[0])[:500],
        "raw": str((form.get("number") or [""])[0])[:64],
    }


def _find_lesson(course_key: str, lesson_slug: str) -> tuple[Lesson | None, Course | None]:
    row = db.session.execute(
        select(Lesson, Course)
        .join(Course, Course.id == Lesson.course_id)
        .where(Lesson.key == f"{course_key}/{lesson_slug}", Lesson.retired.is_(False), Course.retired.is_(False))
    ).first()
    return (row[0], row[1]) if row else (None, None)


def _current_questions(condition) -> list[tuple[Question, QuestionVersion]]:
    query = (
        select(Question, QuestionVersion)
        .join(QuestionVersion, and_(
            QuestionVersion.question_id == Question.id, QuestionVersion.number == Question.version
        ))
        .where(condition, Question.retired.is_(False))
        .order_by(Question.position)
    )
    return list(db.session.execute(query))


def _status_for_user(user_id: int | None, question_ids: list[int]) -> dict[int, tuple[str, int]]:
    """Give (latest status, attempt count) per question for the learner, on current versions."""
    if user_id is None or not question_ids:
        return {}
    query = (
        select(Attempt.question_id, Attempt.correct)
        .join(Question, and_(Question.id == Attempt.question_id, Question.version == Attempt.version))
        .where(Attempt.user_id == user_id, Attempt.question_id.in_(question_ids))
        .order_by(Attempt.id)
    )
    found: dict[int, tuple[str, int]] = {}
    for question_id, correct in db.session.execute(query):
        count = found.get(question_id, ("", 0))[1] + 1
        found[question_id] = ("correct" if correct else "incorrect", count)
    return found


def _view(question: Question, version: QuestionVersion, user_id: int | None,
          status: tuple[str, int] | None, course_key: str, lesson_slug: str) -> QuestionView:
    answer = answer_from_dict(version.answer)
    anchor = question.key.rsplit("/", 1)[-1]
    return QuestionView(
        question.id, anchor, question.title, question.kind, question.prompt_html,
        isinstance(answer, ChoiceAnswer) and answer.multiple,
        _options(answer, question.id, user_id), (), len(question.hints_html),
        status[0] if status else None, status[1] if status else 0,
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
    return QuestionView(**{**view.__dict__, "hints_html": hints})
