"""Single-choice and select-all-that-apply questions."""

from __future__ import annotations

from quizapp.content.model import ChoiceAnswer

from .base import Form, Grade, ResponseError, field_values


def parse(answer: ChoiceAnswer, form: Form) -> dict:
    """Read the picked choice ids, refusing unknown, repeated or too many picks."""
    picked = field_values(form, "choice")
    if not picked:
        raise ResponseError("Pick at least one choice." if answer.multiple else "Pick one choice.")
    known = {c.id for c in answer.choices}
    if not set(picked) <= known:
        raise ResponseError("That choice is not part of this question; reload the page and try again.")
    if len(set(picked)) != len(picked):
        raise ResponseError("Pick each choice only once.")
    if len(picked) > 1 and not answer.multiple:
        raise ResponseError("Pick only one choice.")
    return {"choices": sorted(picked)}


def grade(answer: ChoiceAnswer, response: dict) -> Grade:
    """Give full credit for the exact correct set, and optional partial credit on select-all."""
    picked = set(response["choices"])
    correct_ids = {c.id for c in answer.choices if c.correct}
    correct = picked == correct_ids
    missed = tuple(c.id for c in answer.choices if c.correct and c.id not in picked)
    return Grade(
        score=1.0 if correct else _partial_score(answer, picked, correct_ids),
        correct=correct,
        feedback_html=tuple(c.feedback_html for c in answer.choices if c.id in picked and c.feedback_html),
        matched=tuple(c.id for c in answer.choices if c.id in picked),
        missed=missed if answer.multiple else (),
    )


def _partial_score(answer: ChoiceAnswer, picked: set[str], correct_ids: set[str]) -> float:
    """Credit right picks minus wrong picks, so picking everything earns nothing."""
    if not (answer.multiple and answer.partial_credit):
        return 0.0
    right = len(picked & correct_ids)
    wrong = len(picked - correct_ids)
    return max(0.0, (right - wrong) / len(correct_ids))
