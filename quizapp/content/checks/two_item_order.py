"""two-item-order: an order question with two items is a coin toss, and half the learners see it solved."""

from __future__ import annotations

from ..model import OrderAnswer, Question


def check(question: Question) -> list[tuple[int, str]]:
    """Warn at the first item of a two-item order question."""
    answer = question.answer
    if not isinstance(answer, OrderAnswer) or len(answer.items) != 2:
        return []
    message = (
        "an order question with 2 items is a coin toss (and half the learners are shown it already in order); "
        "add a third item, or ask it as a choice question"
    )
    return [(answer.items[0].line or question.line, message)]
