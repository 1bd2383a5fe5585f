"""The learner's door as JSON: courses, lessons, answers, hints, the solution and progress.

The same services and the same presenter as the pages (quizapp.views.learning.learn): a question is shown through
``presenter.present``, graded by ``practice.submit_answer``, and nothing the reveal rule holds back is sent.

The hot bodies (a lesson, an answer, a hint, the solution) are built as plain dicts in exactly their
schema's shape and sent as JSON without a marshmallow pass (``sent``), which costs more than the rest
of an answer; the schemas still document them, and the contract tests hold every body to its schema.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid

from flask import Response, current_app, request
from flask_smorest import Blueprint, abort
from marshmallow import ValidationError

from quizapp.api import rounds
from quizapp.api.auth import authenticate, count, current_token, scoped
from quizapp.api.errors import ProblemSchema, problem_response
from quizapp.api.lookup import authored_question, json_text, lesson_parts
from quizapp.api.schemas import (
    AnswerSchema,
    CourseDetailSchema,
    CourseSchema,
    LessonSchema,
    MeSchema,
    OutcomeSchema,
    ProgressSchema,
    QuestionSchema,
)
from quizapp.grading import ResponseError, parse_response
from quizapp.services.learning import catalog, lessons, practice, progress
from quizapp.services.learning.presenter import Presented, QuestionState, present

bp = Blueprint("api_learn", __name__, url_prefix="/api/v1", description="A learner's courses, lessons and answers.")
bp.before_request(authenticate)
QUESTION = "/courses/<course>/lessons/<lesson>/questions/<question>"
NOTHING = QuestionState()
ANSWER = AnswerSchema()  # loaded by hand, not by @bp.arguments: webargs' pass cost a tenth of an answer
ANSWER_BODY = {"required": True, "content": {"application/json": {"schema": "Answer"}}}
IDEMPOTENCY_VALUE = re.compile(r"[\x21-\x7e]{1,60}\Z")
IDEMPOTENCY_KEY = {"in": "header", "name": "Idempotency-Key", "required": False,
                   "description": "store the answer once per key (1-60 visible ASCII characters); the same key with "
                                  "another body is a 409",
                   "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,60}$"}}
FORM_FIELD = {"choices": "choice", "text": "text", "number": "number", "order": "order"}


@bp.route("/me", methods=["GET"])
@bp.response(200, MeSchema)
def me():
    """Show the token's account, its role and the token's scopes."""
    token = current_token()
    return {"id": token.user_id, "email": token.email, "role": token.role, "scopes": sorted(token.scopes),
            "token_id": token.token_id}


@bp.route("/courses", methods=["GET"])
@scoped("learn")
@bp.response(200, CourseSchema(many=True))
def courses():
    """List the courses with the learner's totals."""
    return [_course(c) for c in progress.get_progress_for_user(current_token().user_id)]


@bp.route("/courses/<course>", methods=["GET"])
@scoped("learn")
@bp.response(200, CourseDetailSchema)
@bp.alt_response(404, schema=ProblemSchema, content_type="application/problem+json")
def course(course: str):
    """Show a course's introduction and its lessons with the learner's status."""
    info = catalog.get_course_info(course)
    if info is None:
        abort(404, detail=f"There is no course '{course}'.")
    found = progress.get_progress_for_user(current_token().user_id, course)
    rows = found[0].lessons if found else ()
    return {"key": info.key, "title": info.title, "summary": info.summary, "intro_html": info.intro_html,
            "total": sum(x.total for x in rows), "correct": sum(x.correct for x in rows),
            "lessons": [_lesson_status(x) for x in rows]}


@bp.route("/progress", methods=["GET"])
@scoped("learn")
@bp.response(200, ProgressSchema)
def my_progress():
    """Show every course's lessons with the learner's counts."""
    found = progress.get_progress_for_user(current_token().user_id)
    return {"courses": [{**_course(c), "lessons": [_lesson_status(x) for x in c.lessons]} for c in found]}


@bp.route("/courses/<course>/lessons/<lesson>", methods=["GET"])
@scoped("learn")
@bp.response(200, LessonSchema)
@bp.alt_response(404, schema=ProblemSchema, content_type="application/problem+json")
def lesson(course: str, lesson: str):
    """Show a rendered lesson and its questions as this learner sees them (no answer revealed early)."""
    parts = lesson_parts(course, lesson)
    if parts is None:
        abort(404, detail=f"There is no lesson '{lesson}' in a course '{course}'.")
    head, content = parts
    user_id = current_token().user_id
    states = lessons.get_states(head.id, user_id)
    shown = [present(q, states.get(q.view.id, NOTHING), user_id=user_id) for q in content.questions]
    questions = ",".join(json_text(("question", p), lambda p=p: question_payload(p)) for p in shown)
    body = json_text(("body", head.id, head.stamp), lambda: content.body_html)
    place = json.dumps({"course": course, "key": head.slug, "title": head.title, "minutes": head.minutes,
                        "previous": _neighbour(head.previous), "next": _neighbour(head.next)},
                       separators=(",", ":"))
    return current_app.response_class(f'{place[:-1]},"body_html":{body},"questions":[{questions}]}}',
                                      mimetype="application/json")


@bp.route(QUESTION + "/answers", methods=["POST"])
@scoped("learn")
@bp.response(200, OutcomeSchema)
@bp.doc(parameters=[IDEMPOTENCY_KEY, rounds.ROUND_PARAMETER], requestBody=ANSWER_BODY,
        responses={str(code): problem_response(code) for code in (404, 409, 422, 429)})
def answer(course: str, lesson: str, question: str):
    """Grade an answer and store it (once per Idempotency-Key); give the verdict and the question now. On a
    due review card (or with ?round=) it is the card's review, rated as on the Review page."""
    token = current_token()
    count("API_ANSWER_RATE_LIMIT", token)
    idempotency_key = _idempotency_key()
    body = _answer_body()
    authored = authored_or_404(course, lesson, question)
    found = rounds.current(token.user_id, authored.view.id)
    state = practice.get_state(token.user_id, authored.view.id) if found is None else found.state
    form = _form(body)
    key = _submission_key(authored.view.id, idempotency_key)
    result = practice.submit_answer(token.user_id, authored.key, form, submission_key=key, hints_used=state.hints,
                                    review=None if found is None else found.round)
    if result.error:
        field = next(iter(body))
        abort(422, detail=result.error, errors={field: [result.error]})
    replayed = result.standing is None
    if replayed and result.response != _parsed(authored, form):
        abort(409, detail="This Idempotency-Key was used for a different answer; use a new key for a new answer.")
    shown = present(authored, practice.state_after(state, result, in_round=found is not None), user_id=token.user_id)
    return sent({"correct": result.grade.correct, "score": result.grade.score, "replayed": replayed,
                 "feedback_html": list(result.feedback_html), "question": question_payload(shown),
                 "review": rounds.outcome(found, result, token.user_id)})


@bp.route(QUESTION + "/hints", methods=["POST"])
@scoped("learn")
@bp.response(200, QuestionSchema)
@bp.alt_response(404, schema=ProblemSchema, content_type="application/problem+json")
@bp.doc(parameters=[rounds.ROUND_PARAMETER], responses={"422": problem_response(422)})
def hint(course: str, lesson: str, question: str):
    """Reveal and record the learner's next hint (the server counts them; in a review round, for the round);
    give the question now."""
    user_id = current_token().user_id
    authored = authored_or_404(course, lesson, question)
    found = rounds.current(user_id, authored.view.id)
    if found is not None:
        state = rounds.take_hint(user_id, authored, found)
    else:
        state = practice.take_hint(user_id, authored, practice.get_state(user_id, authored.view.id))
    return sent(question_payload(present(authored, state, user_id=user_id)))


@bp.route(QUESTION + "/solution", methods=["POST"])
@scoped("learn")
@bp.response(200, QuestionSchema)
@bp.alt_response(404, schema=ProblemSchema, content_type="application/problem+json")
@bp.doc(parameters=[rounds.ROUND_PARAMETER], responses={"422": problem_response(422)})
def solution(course: str, lesson: str, question: str):
    """Show the solution, as the page's button does (before a right answer it counts as a miss; in a review
    round it rates the card Again)."""
    user_id = current_token().user_id
    authored = authored_or_404(course, lesson, question)
    found = rounds.current(user_id, authored.view.id)
    key = f"api-solution:{uuid.uuid4().hex}"
    if found is not None:
        state = rounds.ask_solution(user_id, authored, found, key)
    else:
        state = practice.ask_solution(user_id, authored, practice.get_state(user_id, authored.view.id),
                                      submission_key=key)
    return sent(question_payload(present(authored, state, user_id=user_id)))


def question_payload(shown: Presented) -> dict:
    """Give a presented question as the API's body: the presenter's fields, options named by kind."""
    options = [{"id": o.id, "html": o.html, "picked": o.picked, "mark": o.mark} for o in shown.options]
    verdict = shown.verdict
    return {
        "key": shown.anchor, "kind": shown.kind, "title": shown.title, "prompt_html": shown.prompt_html,
        "multiple": shown.multiple, **({"items": options} if shown.kind == "order" else
                                       {"choices": options} if options else {}),
        "hints_html": list(shown.hints_html), "hint_count": shown.hint_count, "more_hints": shown.more_hints,
        "status": shown.status, "typed": shown.typed,
        "verdict": None if verdict is None else {"correct": verdict.correct, "score": verdict.score,
                                                 "gave_up": verdict.gave_up, "missed": verdict.missed,
                                                 "feedback_html": list(verdict.feedback_html)},
        "revealed": shown.revealed, "solution_html": shown.solution_html, "quick_check_html": shown.quick_check_html,
        "mistakes_html": list(shown.mistakes_html), "try_again": shown.try_again,
        "can_ask_solution": shown.can_ask_solution, "done": shown.done,
    }


def _answer_body() -> dict:
    """Load the answer's JSON through its schema (400 not JSON, 422 naming the invalid fields)."""
    try:
        return ANSWER.load(request.get_json())
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"body": error.messages}
        abort(422, errors={("body" if k == "_schema" else k): v for k, v in messages.items()})


def _idempotency_key() -> str | None:
    """Read the optional Idempotency-Key header (422 if it is not 1-60 visible ASCII characters)."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_VALUE.match(key):
        message = "Use 1 to 60 visible ASCII characters, e.g. a UUID."
        abort(422, detail=f"Idempotency-Key: {message}", errors={"Idempotency-Key": [message]})
    return key


def _submission_key(question_id: int, idempotency_key: str | None) -> str:
    """Give the stored answer's key: one per question and Idempotency-Key (a fresh one without the header)."""
    if not idempotency_key:
        return uuid.uuid4().hex
    return "api:" + hashlib.sha256(f"{question_id}:{idempotency_key}".encode()).hexdigest()[:40]


def sent(payload: dict) -> Response:
    """Send a body built in its schema's shape as JSON, without a marshmallow pass."""
    return current_app.response_class(json.dumps(payload, separators=(",", ":")), mimetype="application/json")


def authored_or_404(course: str, lesson: str, question: str) -> practice.Authored:
    """Give an active question as authored; 404 if there is none at these keys."""
    authored = authored_question(course, lesson, question)
    if authored is None:
        abort(404, detail=f"There is no question '{question}' in lesson '{lesson}' of course '{course}'.")
    return authored


def _form(body: dict) -> dict[str, list[str]]:
    """Turn a JSON answer into the form the graders read (an order is sent as 'id1,id2,...')."""
    name, value = next(iter(body.items()))
    if name == "order":
        value = [",".join(value)]
    return {FORM_FIELD[name]: value if isinstance(value, list) else [value]}


def _parsed(authored: practice.Authored, form: dict) -> dict | None:
    try:
        return parse_response(authored.key.answer, form)
    except ResponseError:
        return None


def _course(found: progress.CourseProgress) -> dict:
    return {"key": found.key, "title": found.title, "summary": found.summary, "total": found.total,
            "correct": found.correct}


def _lesson_status(found: progress.LessonProgress) -> dict:
    return {"key": found.slug, "title": found.title, "minutes": found.minutes, "total": found.total,
            "answered": found.answered, "correct": found.correct, "status": found.status}


def _neighbour(pair: tuple[str, str] | None) -> dict | None:
    return None if pair is None else {"key": pair[0], "title": pair[1]}
