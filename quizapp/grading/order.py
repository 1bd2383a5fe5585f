"""Ordering questions, from the drag UI ('order') or the no-JavaScript selects ('position-<id>')."""

from __future__ import annotations

from quizapp.content.model import OrderAnswer

from .base import Form, Grade, ResponseError, field_values, single_value

POSITION_PREFIX = "position-"


def parse(answer: OrderAnswer, form: Form) -> dict:
    """Read the learner's order of item ids from whichever UI sent it."""
    if "order" in form:
        return {"order": _parse_order_field(answer, form)}
    return {"order": _parse_positions(answer, form)}


def _parse_order_field(answer: OrderAnswer, form: Form) -> list[str]:
    """Read 'id1,id2,...' as sent by the drag UI; it must name every item exactly once."""
    value = single_value(form, "order", missing="Put the items in order first.")
    ids = [part.strip() for part in value.split(",")] if value.strip() else []
    if not ids:
        raise ResponseError("Put the items in order first.")
    if not set(ids) <= {item.id for item in answer.items}:
        raise ResponseError("Those items are not part of this question; reload the page and try again.")
    if len(ids) != len(set(ids)) or len(ids) != len(answer.items):
        raise ResponseError("Use every item exactly once.")
    return ids


def _parse_positions(answer: OrderAnswer, form: Form) -> list[str]:
    """Read one 'position-<id>' select per item; the positions must be 1..n, each used once."""
    n = len(answer.items)
    known = {POSITION_PREFIX + item.id for item in answer.items}
    if any(name.startswith(POSITION_PREFIX) and name not in known for name in form):
        raise ResponseError("Those items are not part of this question; reload the page and try again.")
    allowed = {str(i): i for i in range(1, n + 1)}
    positions: dict[str, int] = {}
    for item in answer.items:
        values = field_values(form, POSITION_PREFIX + item.id)
        if len(values) != 1 or values[0].strip() not in allowed:
            raise ResponseError(f"Choose a position from 1 to {n} for every item.")
        positions[item.id] = allowed[values[0].strip()]
    if sorted(positions.values()) != list(range(1, n + 1)):
        raise ResponseError(f"Give every item a different position, from 1 to {n}.")
    return sorted(positions, key=positions.__getitem__)


def grade(answer: OrderAnswer, response: dict) -> Grade:
    """Give full credit for the authored order, else the share of items in their right place."""
    order = list(response["order"])
    authored = [item.id for item in answer.items]
    correct = order == authored
    in_place = sum(given == expected for given, expected in zip(order, authored, strict=False))
    score = 1.0 if correct else in_place / max(len(authored), 1)
    return Grade(score=score, correct=correct, feedback_html=(), matched=())
