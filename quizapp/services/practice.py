"""Questions as a learner sees them, and answering: grade, store once, explain.

A QuestionView carries only what may be shown before grading (prompt, choice texts, shuffled
items, hint count); correctness, feedback and the solution travel only in an AnswerResult. The lesson
page's data is in ``services.lessons``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import and_, bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from quizapp.content.model import Answer, ChoiceAnswer, OrderAnswer, answer_from_dict
from quizapp.direct import Prepared, read, read_one, transaction
from quizapp.grading import Grade, ResponseError, grade, parse_response
from quizapp.models import Attempt, Course, LearnerQuestion, Lesson, Question, QuestionVersion, utcnow
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
class GradingKey:
    """What grading a question needs: its answer key and what is shown only after grading (never rendered
    before it)."""

    question_id: int
    version: int
    course_id: int
    answer: Answer  # the answer key, read from its stored form (content.model.answer_from_dict)
    hint_count: int
    solution_html: str
    quick_check_html: str
    mistakes_html: tuple[str, ...]


@dataclass(frozen=True)
class Authored:
    """An active question as its author wrote it, the same for every learner: its form (no hints shown, no
    status, order items unshuffled), every hint, and the key to grade it by. Worth keeping while its course
    is unchanged."""

    view: QuestionView
    hints_html: tuple[str, ...]
    key: GradingKey


def load_authored(course_key: str, lesson_slug: str, anchor: str) -> Authored | None:
    """Load one active question of an active lesson and course as authored; one query."""
    row = read_one(_QUESTION_BY_KEY, {"key": f"{course_key}/{lesson_slug}/{anchor}",
                                      "lesson_key": f"{course_key}/{lesson_slug}"})
    if row is None:
        return None
    return Authored(question_view(row, course_key, lesson_slug), tuple(row.hints_html), _grading_key(row))


def shown_to(authored: Authored, user_id: int | None, hints: int = 0, result: AnswerResult | None = None
             ) -> QuestionView:
    """Give the question's form as one learner sees it: the first ``hints`` hints revealed, their order items
    shuffled, and their status and attempt count on it.

    The status comes from ``result`` when it is an answer this request stored (the summary upsert gave it
    back); otherwise it is read, one query, for a learner signed in.
    """
    if result is not None and result.standing is not None:
        correct, attempts = result.standing
    elif user_id is not None:
        row = read_one(_STATUS_ONE, {"user_id": user_id, "question_id": authored.view.id})
        correct, attempts = (None, 0) if row is None else (row.last_correct, row.attempts)
    else:
        correct, attempts = None, 0
    view = authored.view
    shown = max(0, min(hints, len(authored.hints_html)))
    return replace(view, hints_html=authored.hints_html[:shown], status=status_name(correct, attempts),
                   attempts=attempts, options=learner_options(view, user_id))


def status_name(correct: bool | None, attempts: int) -> str | None:
    """Name a learner's status on a question: None (not answered), "correct" or "incorrect" (the latest)."""
    return None if attempts == 0 else ("correct" if correct else "incorrect")


def submit_answer(
    user_id: int,
    question: int | GradingKey,
    form: Mapping[str, Sequence[str]],
    *,
    submission_key: str,
    hints_used: int = 0,
    seconds: int | None = None,
) -> AnswerResult:
    """Grade a response and store it once; a malformed response is explained and costs no attempt.

    ``question`` is an active question's id, or the GradingKey of ``load_authored`` (no re-read).
    """
    key = question if isinstance(question, GradingKey) else _grading_key(
        read(_QUESTION_BY_ID, {"id": question}).one()
    )
    answer = key.answer
    try:
        response = parse_response(answer, form)
    except ResponseError as error:
        return AnswerResult(None, error.message, echo_form(form), (), "", "", (), None)
    outcome = grade(answer, response)
    values = {
        "user_id": user_id, "question_id": key.question_id, "version": key.version, "response": response,
        "score": outcome.score, "correct": outcome.correct, "matched": list(outcome.matched),
        "feedback_html": list(outcome.feedback_html),
        "hints_used": max(0, min(hints_used, key.hint_count)),
        "seconds": None if seconds is None else max(0, min(seconds, MAX_SECONDS)),
        "submission_key": submission_key, "created_at": utcnow(),
    }
    try:
        # One transaction on the DBAPI cursor (quizapp.direct), one commit: the ORM's unit of work, and even
        # SQLAlchemy's per-statement work, would cost more than the grading itself. The dashboards'
        # summaries go in the same transaction, so a refused duplicate never counts twice. A form sent
        # twice (a double click, a resend after a lost reply) is refused by the unique (user,
        # question, submission_key) index at this first insert, so no query looks for it beforehand.
        with transaction() as stored:
            attempt_id = stored.execute(_INSERT_ATTEMPT, values).scalar_one()
            summary = record_answer(attempt_id, values, key.course_id, stored)
    except IntegrityError:
        # This form was stored already (by an earlier request, or by one racing this one): show that one.
        attempt = _attempt_by_key(user_id, key.question_id, submission_key)
        if attempt is None:
            raise
        return _result(key, answer, attempt)
    stored = _Stored(attempt_id, values["response"], values["feedback_html"])
    return replace(_result(key, answer, stored, outcome), standing=(summary.correct, summary.attempts))


@dataclass(frozen=True)
class _Stored:
    """The parts of a stored attempt an AnswerResult shows."""

    id: int
    response: dict
    feedback_html: list


def _result(key: GradingKey, answer: Answer, attempt, outcome: Grade | None = None) -> AnswerResult:
    if outcome is None:
        outcome = grade(answer, attempt.response)
    return AnswerResult(
        outcome, None, attempt.response, tuple(attempt.feedback_html), key.solution_html,
        key.quick_check_html, key.mistakes_html, attempt.id,
    )


def _attempt_by_key(user_id: int, question_id: int, submission_key: str) -> _Stored | None:
    row = read_one(_ATTEMPT_BY_KEY, {"user_id": user_id, "question_id": question_id, "submission_key": submission_key})
    return None if row is None else _Stored(row.id, row.response, row.feedback_html)


def echo_form(form: Mapping[str, Sequence[str]]) -> dict:
    """Keep what the learner typed so a form sent back for correction is not emptied."""
    return {
        "choices": [str(v)[:16] for v in form.get("choice", [])][:50],
        "text": str((form.get("text") or [""])[0])[:500],
        "raw": str((form.get("number") or [""])[0])[:64],
    }


def question_view(row, course_key: str, lesson_slug: str) -> QuestionView:
    """Make a question's form from its row (id, key, title, kind, prompt_html, hints_html, answer): no hints
    shown, no status, order items as authored (``learner_options`` shuffles them for one learner)."""
    answer = answer_from_dict(row.answer)
    anchor = row.key.rsplit("/", 1)[-1]
    if isinstance(answer, ChoiceAnswer):
        options = tuple(Option(c.id, c.html) for c in answer.choices)
    elif isinstance(answer, OrderAnswer):
        options = tuple(Option(i.id, i.html) for i in answer.items)
    else:
        options = ()
    return QuestionView(
        row.id, anchor, row.title, row.kind, row.prompt_html, isinstance(answer, ChoiceAnswer) and answer.multiple,
        options, (), len(row.hints_html), None, 0, f"{course_key}/{lesson_slug}/{anchor}",
    )


def learner_options(view: QuestionView, user_id: int | None) -> tuple[Option, ...]:
    """Give the options as one learner sees them: order items shuffled stably for them, choices as authored."""
    return tuple(shuffled(view.options, f"{user_id}:{view.id}")) if view.kind == "order" else view.options


def shuffled(items: Sequence, seed: str) -> list:
    """Shuffle stably per learner and question, never leaving the items in the right order."""
    out = list(items)
    random.Random(seed).shuffle(out)
    if len(out) > 1 and out == list(items):
        out = out[1:] + out[:1]
    return out


def _grading_key(row) -> GradingKey:
    return GradingKey(row.id, row.version, row.course_id, answer_from_dict(row.answer), len(row.hints_html),
                      row.solution_html, row.quick_check_html, tuple(row.mistakes_html))


# --- statements, built once ------------------------------------------------------------------

_COLUMNS = (Question.id, Question.key, Question.title, Question.kind, Question.prompt_html, Question.hints_html,
            Question.version, Question.solution_html, Question.quick_check_html, Question.mistakes_html,
            QuestionVersion.answer, Lesson.course_id)
# Join conditions the learner paths share (services.lessons too): a question's current answer key, and a
# learner's record on that same version (their standing shown beside the question).
CURRENT_KEY = and_(QuestionVersion.question_id == Question.id, QuestionVersion.number == Question.version)
ON_CURRENT_VERSION = and_(LearnerQuestion.question_id == Question.id, LearnerQuestion.version == Question.version)
_QUESTION_BY_KEY = Prepared(
    select(*_COLUMNS)
    .join(QuestionVersion, CURRENT_KEY)
    .join(Lesson, Lesson.id == Question.lesson_id)
    .join(Course, Course.id == Lesson.course_id)
    .where(Question.key == bindparam("key"), Question.retired.is_(False), Lesson.key == bindparam("lesson_key"),
           Lesson.retired.is_(False), Course.retired.is_(False))
)
_QUESTION_BY_ID = Prepared(
    select(*_COLUMNS).join(QuestionVersion, CURRENT_KEY).join(Lesson, Lesson.id == Question.lesson_id)
    .where(Question.id == bindparam("id"), Question.retired.is_(False))
)
_STATUS_ONE = Prepared(
    select(LearnerQuestion.attempts, LearnerQuestion.last_correct)
    .join(Question, ON_CURRENT_VERSION)
    .where(LearnerQuestion.user_id == bindparam("user_id"), Question.id == bindparam("question_id"))
)
_ATTEMPT_BY_KEY = Prepared(select(Attempt.id, Attempt.response, Attempt.feedback_html).where(
    Attempt.user_id == bindparam("user_id"), Attempt.question_id == bindparam("question_id"),
    Attempt.submission_key == bindparam("submission_key"),
))
_INSERT_ATTEMPT = insert(Attempt.__table__).returning(Attempt.__table__.c.id)
