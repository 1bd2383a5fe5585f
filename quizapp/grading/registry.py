"""The registry of question kinds: grading dispatches on ``answer.kind`` through ``GRADERS``."""

from __future__ import annotations

from quizapp.content.model import Answer

from . import choice, number, order, text
from .base import Form, Grade, Grader

GRADERS: dict[str, Grader] = {
    "choice": Grader(parse=choice.parse, grade=choice.grade),
    "text": Grader(parse=text.parse, grade=text.grade),
    "number": Grader(parse=number.parse, grade=number.grade),
    "order": Grader(parse=order.parse, grade=order.grade),
}


def grader_for(answer: Answer) -> Grader:
    """Find the grader of an answer's kind; an unknown kind is a programming error, not the learner's."""
    kind = getattr(answer, "kind", None)
    if kind not in GRADERS:
        raise ValueError(f"no grader for answer kind {kind!r}; known: {sorted(GRADERS)}")
    return GRADERS[kind]


def parse_response(answer: Answer, form: Form) -> dict:
    """Turn raw form input into a normalised, JSON-able response, or raise ResponseError."""
    return grader_for(answer).parse(answer, form)


def grade(answer: Answer, response: dict) -> Grade:
    """Grade a normalised response, so a stored response can be regraded later."""
    return grader_for(answer).grade(answer, response)


def grade_form(answer: Answer, form: Form) -> tuple[dict, Grade]:
    """Parse and grade in one step, returning the response to store with its grade."""
    response = parse_response(answer, form)
    return response, grade(answer, response)
