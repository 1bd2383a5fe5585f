"""missing-solution: a question without '#### Solution'."""

from __future__ import annotations

from ..model import Question


def check(question: Question) -> list[tuple[int, str]]:
    """Warn at the heading of a question that explains nothing after an answer."""
    if question.solution_line:  # an empty '#### Solution' has a warning of its own
        return []
    return [(question.line, "question has no '#### Solution'; add one so learners who got it wrong see why")]
