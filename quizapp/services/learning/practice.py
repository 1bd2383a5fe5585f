"""Questions as authored, and answering: grade and store once, count hints, record a solution asked for.

A QuestionView carries only what may be shown before grading (prompt, choice texts, items, hint count);
what a learner is shown of a question, graded or not, is decided by ``services.learning.presenter``. The lesson
page's data is in ``services.lessons``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, case, insert, select
from sqlalchemy.exc import IntegrityError

from quizapp.content.model import Answer, ChoiceAnswer, OrderAnswer
from quizapp.content.snapshots import answer_from_dict
from quizapp.database import conflict_insert
from quizapp.grading import Grade, ResponseError, grade, parse_response
from quizapp.models import Attempt, Course, Lesson, Question, QuestionHelp, QuestionVersion, utcnow
from quizapp.services.learning import review_cards
from quizapp.services.learning.presenter import GAVE_UP, LastAnswer, QuestionState
from quizapp.services.learning.question_rows import CURRENT_KEY, QUESTION_COLUMNS, learner_states, state_from
from quizapp.services.teaching.summaries.learner import record_answer
from quizapp.speed.direct import Prepared, read, read_one, transaction

MAX_SECONDS = 6 * 3600  # longer than this on one question is a tab left open, not study time


@dataclass(frozen=True)
class Option:
    """A choice or an order item as authored: an id and its HTML."""

    id: str
    html: str


@dataclass(frozen=True)
class QuestionView:
    """A question's form as authored (no hints shown, no status, options in authored order); nothing here
    reveals the answer."""

    id: int
    anchor: str
    title: str
    kind: str
    prompt_html: str
    multiple: bool
    options: tuple[Option, ...]
    hint_count: int
    url: str  # course/lesson/question path parts joined, for links


@dataclass(frozen=True)
class AnswerResult:
    """The outcome of a submission: the stored answer and the learner's standing after it, or why not."""

    grade: Grade | None  # None when the response was malformed (no attempt stored)
    error: str | None
    response: dict
    feedback_html: tuple[str, ...]
    attempt_id: int | None
    standing: tuple[bool, int] | None = None  # (latest correct, attempts) after it, when this request stored it
    review_due: datetime | None = None  # when its review card comes back, if this answer made or rated one


@dataclass(frozen=True)
class GradingKey:
    """What grading a question needs: its answer key and what is shown only after grading (never rendered
    before the reveal rule allows it)."""

    question_id: int
    version: int
    course_id: int
    answer: Answer  # the answer key, read from its stored form (content.snapshots.answer_from_dict)
    hint_count: int
    solution_html: str
    quick_check_html: str
    mistakes_html: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Authored:
    """An active question as its author wrote it, the same for every learner: its form, every hint, the key
    to grade it by, whether its choices keep their order, and its course's reveal rule. Worth keeping while
    its course is unchanged; compared by identity, so a kept one is a cheap key for what is derived from it."""

    view: QuestionView
    hints_html: tuple[str, ...]
    key: GradingKey
    fixed_order: bool = False
    reveal: str = "after-second-try"
    course_title: str = ""
    lesson_title: str = ""


def load_authored(course_key: str, lesson_slug: str, anchor: str) -> Authored | None:
    """Load one active question of an active lesson and course as authored; one query."""
    row = read_one(_QUESTION_BY_KEY, {"key": f"{course_key}/{lesson_slug}/{anchor}",
                                      "lesson_key": f"{course_key}/{lesson_slug}"})
    if row is None:
        return None
    return authored_from(row, course_key, lesson_slug, (row.reveal, row.course_title, row.lesson_title))


def authored_from(row, course_key: str, lesson_slug: str, place: tuple[str, str, str]) -> Authored:
    """Make a question as authored from a row of ``QUESTION_COLUMNS``; ``place``: its course's reveal rule,
    the course's title and the lesson's."""
    return Authored(question_view(row, course_key, lesson_slug), tuple(row.hints_html), _grading_key(row),
                    bool(row.fixed_order), *place)


def get_state(user_id: int | None, question_id: int) -> QuestionState:
    """Read a learner's record and help on one question (one query); a visitor has none."""
    if user_id is None:
        return QuestionState()
    row = read_one(_STATE_ONE, {"user_id": user_id, "question_id": question_id})
    return QuestionState() if row is None else state_from(row)


def state_after(state: QuestionState, result: AnswerResult, *, in_round: bool = False) -> QuestionState:
    """Give the state a stored answer leaves: its standing, and it as the latest answer. In a review round
    (``in_round``) the tries counted are the round's (the reveal rule counts those), not the lesson's."""
    if result.grade is None or result.standing is None:
        return state
    correct, attempts = (result.grade.correct, state.attempts + 1) if in_round else result.standing
    last = LastAnswer(result.response, result.grade.correct, result.feedback_html, result.attempt_id)
    first = state.first_correct if state.attempts else result.grade.correct
    return replace(state, attempts=attempts, last_correct=correct, last=last, first_correct=first,
                   ever_correct=state.ever_correct or result.grade.correct, last_attempt_id=result.attempt_id)


def submit_answer(
    user_id: int,
    question: int | GradingKey,
    form: Mapping[str, Sequence[str]],
    *,
    submission_key: str,
    hints_used: int = 0,
    seconds: int | None = None,
    review: review_cards.Round | None = None,
) -> AnswerResult:
    """Grade a response and store it once; a malformed response is explained and costs no attempt.

    ``question`` is an active question's id, or the GradingKey of ``load_authored`` (no re-read).
    ``hints_used`` is the server's count (``get_state``), never the form's. ``review``: the review round
    the answer is given in (``services.review``); without it the answer is lesson practice.
    """
    key = question if isinstance(question, GradingKey) else _grading_key(
        read(_QUESTION_BY_ID, {"id": question}).one()
    )
    try:
        response = parse_response(key.answer, form)
    except ResponseError as error:
        return AnswerResult(None, error.message, echo_form(form), (), None)
    outcome = grade(key.answer, response)
    return _store(user_id, key, response, outcome, submission_key, hints_used, seconds, review)


def ask_solution(user_id: int, authored: Authored, state: QuestionState, *, submission_key: str,
                 review: review_cards.Round | None = None) -> QuestionState:
    """Show the solution to a learner who asks: before a right answer it counts as a miss (a stored attempt
    with nothing picked), for progress and review alike. Asking again changes nothing."""
    if state.asked:
        return state
    key = authored.key
    missed = not state.last_correct
    now = utcnow()
    with transaction() as stored:
        stored.execute(_help(stored.dialect.name)[1], {"user_id": user_id, "question_id": key.question_id, "now": now})
    state = replace(state, asked=True)
    if not missed:
        return state
    outcome = Grade(score=0.0, correct=False, feedback_html=(), matched=())
    result = _store(user_id, key, {GAVE_UP: True}, outcome, submission_key, state.hints, None, review)
    return state_after(state, result)


def take_hint(user_id: int, authored: Authored, state: QuestionState) -> QuestionState:
    """Reveal the learner's next hint on a question, counted here; give their state with it shown."""
    if not authored.hints_html:
        return replace(state, hints=0)
    with transaction() as stored:
        params = {"user_id": user_id, "question_id": authored.view.id, "hints": 1, "cap": len(authored.hints_html)}
        row = stored.execute(_help(stored.dialect.name)[0], params).one()
    return replace(state, hints=row.hints)


def _store(user_id: int, key: GradingKey, response: dict, outcome: Grade, submission_key: str, hints_used: int,
           seconds: int | None, review: review_cards.Round | None = None) -> AnswerResult:
    values = {
        "user_id": user_id, "question_id": key.question_id, "version": key.version, "response": response,
        "score": outcome.score, "correct": outcome.correct, "matched": list(outcome.matched),
        "feedback_html": list(outcome.feedback_html),
        "hints_used": max(0, min(hints_used, key.hint_count)),
        "seconds": None if seconds is None else max(0, min(seconds, MAX_SECONDS)),
        "submission_key": submission_key, "created_at": utcnow(),
    }
    try:
        # One transaction on the DBAPI cursor (quizapp.speed.direct), one commit: the ORM's unit of work, and even
        # SQLAlchemy's per-statement work, would cost more than the grading itself. The dashboards'
        # summaries go in the same transaction, so a refused duplicate never counts twice. A form sent
        # twice (a double click, a resend after a lost reply) is refused by the unique (user,
        # question, submission_key) index at this first insert, so no query looks for it beforehand.
        with transaction() as stored:
            attempt_id = stored.execute(_INSERT_ATTEMPT, values).scalar_one()
            summary = record_answer(attempt_id, values, key.course_id, stored)
            review_due = review_cards.record(stored, attempt_id, values, summary.attempts, review)  # spaced review
    except IntegrityError:
        # This form was stored already (by an earlier request, or by one racing this one): show that one.
        row = read_one(_ATTEMPT_BY_KEY, {"user_id": user_id, "question_id": key.question_id,
                                         "submission_key": submission_key})
        if row is None:
            raise
        again = _regrade(key.answer, row.response)
        return AnswerResult(again, None, row.response, tuple(row.feedback_html), row.id)
    return AnswerResult(outcome, None, response, tuple(outcome.feedback_html), attempt_id,
                        standing=(summary.correct, summary.attempts), review_due=review_due)


def _regrade(answer: Answer, response: dict) -> Grade:
    if response.get(GAVE_UP):
        return Grade(score=0.0, correct=False, feedback_html=(), matched=())
    return grade(answer, response)


def echo_form(form: Mapping[str, Sequence[str]]) -> dict:
    """Keep what the learner typed so a form sent back for correction is not emptied."""
    return {
        "choices": [str(v)[:16] for v in form.get("choice", [])][:50],
        "text": str((form.get("text") or [""])[0])[:500],
        "raw": str((form.get("number") or [""])[0])[:64],
    }


def question_view(row, course_key: str, lesson_slug: str) -> QuestionView:
    """Make a question's form from its row (id, key, title, kind, prompt_html, hints_html, answer): options in
    the authored order (``presenter.learner_order`` gives one learner's)."""
    answer = answer_from_dict(row.answer)
    anchor = row.key.rsplit("/", 1)[-1]
    if isinstance(answer, ChoiceAnswer):
        options = tuple(Option(c.id, c.html) for c in answer.choices)
    elif isinstance(answer, OrderAnswer):
        options = tuple(Option(i.id, i.html) for i in answer.items)
    else:
        options = ()
    return QuestionView(row.id, anchor, row.title, row.kind, row.prompt_html,
                        isinstance(answer, ChoiceAnswer) and answer.multiple, options, len(row.hints_html),
                        f"{course_key}/{lesson_slug}/{anchor}")


def _grading_key(row) -> GradingKey:
    return GradingKey(row.id, row.version, row.course_id, answer_from_dict(row.answer), len(row.hints_html),
                      row.solution_html, row.quick_check_html, tuple(row.mistakes_html))


# --- statements, built once ------------------------------------------------------------------

_QUESTION_BY_KEY = Prepared(
    select(*QUESTION_COLUMNS, Course.reveal, Course.title.label("course_title"), Lesson.title.label("lesson_title"))
    .join(QuestionVersion, CURRENT_KEY)
    .join(Lesson, Lesson.id == Question.lesson_id)
    .join(Course, Course.id == Lesson.course_id)
    .where(Question.key == bindparam("key"), Question.retired.is_(False), Lesson.key == bindparam("lesson_key"),
           Lesson.retired.is_(False), Course.retired.is_(False))
)
_QUESTION_BY_ID = Prepared(
    select(*QUESTION_COLUMNS).join(QuestionVersion, CURRENT_KEY).join(Lesson, Lesson.id == Question.lesson_id)
    .where(Question.id == bindparam("id"), Question.retired.is_(False))
)
_STATE_ONE = Prepared(learner_states().where(Question.id == bindparam("question_id")))
_ATTEMPT_BY_KEY = Prepared(select(Attempt.id, Attempt.response, Attempt.feedback_html).where(
    Attempt.user_id == bindparam("user_id"), Attempt.question_id == bindparam("question_id"),
    Attempt.submission_key == bindparam("submission_key"),
))
_INSERT_ATTEMPT = insert(Attempt.__table__).returning(Attempt.__table__.c.id)


@cache
def _help(dialect: str):
    """The question_help upserts for one database kind: one more hint (up to ``:cap``), the solution asked for."""
    table = QuestionHelp.__table__
    insert_for = conflict_insert(dialect)
    where = [table.c.user_id, table.c.question_id]
    hint = insert_for(table).values(user_id=bindparam("user_id"), question_id=bindparam("question_id"),
                                    hints=bindparam("hints")).on_conflict_do_update(
        index_elements=where,
        set_={"hints": case((table.c.hints < bindparam("cap"), table.c.hints + 1), else_=table.c.hints)},
    ).returning(table.c.hints)
    solution = insert_for(table).values(
        user_id=bindparam("user_id"), question_id=bindparam("question_id"), hints=0, solution_at=bindparam("now")
    ).on_conflict_do_update(index_elements=where, set_={"solution_at": bindparam("now")})
    return hint, solution
