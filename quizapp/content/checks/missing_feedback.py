"""missing-feedback: a wrong choice without feedback that names the mistake behind it."""

from __future__ import annotations

from ..model import ChoiceAnswer, Question


def check(question: Question) -> list[tuple[int, str]]:
    """Warn at each wrong choice with no indented '>' quote under it."""
    if not isinstance(question.answer, ChoiceAnswer):
        return []
    message = (
        "wrong choice has no feedback; add an indented quote under it ('  > the mistake behind this "
        "choice') so a learner who picks it learns why"
    )
    return [(c.line, message) for c in question.answer.choices if not c.correct and not c.feedback.strip()]
