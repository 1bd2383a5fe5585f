"""Order grading from both UIs: the drag list's 'order' field and the per-item position selects."""

import pytest

from quizapp.content.model import OrderAnswer, OrderItem
from quizapp.grading import ResponseError, grade, grade_form, parse_response

ANSWER = OrderAnswer(
    items=(
        OrderItem("f3a1", "Request arrives"),
        OrderItem("9c0e", "Middleware runs"),
        OrderItem("27bd", "Server component renders"),
        OrderItem("d410", "HTML streams to the browser"),
    )
)
AUTHORED = ["f3a1", "9c0e", "27bd", "d410"]


def positions(*ids: str) -> dict[str, list[str]]:
    """Build the no-JavaScript form that puts ``ids`` at positions 1, 2, ..."""
    return {f"position-{item_id}": [str(n)] for n, item_id in enumerate(ids, start=1)}


@pytest.mark.parametrize(
    ("order", "score"),
    [
        (AUTHORED, 1.0),
        (["9c0e", "f3a1", "27bd", "d410"], 0.5),
        (["f3a1", "9c0e", "d410", "27bd"], 0.5),
        (["d410", "27bd", "9c0e", "f3a1"], 0.0),
        (["f3a1", "27bd", "d410", "9c0e"], 0.25),
    ],
)
def test_order_from_either_ui(order, score):
    dragged = grade_form(ANSWER, {"order": [",".join(order)]})
    selected = grade_form(ANSWER, positions(*order))
    assert dragged == selected
    response, result = dragged
    assert response == {"order": order}
    assert (result.score, result.correct) == (score, score == 1.0)
    assert (result.feedback_html, result.matched, result.missed) == ((), (), ())


def test_order_field_tolerates_spaces_and_wins_over_positions():
    form = {"order": [" f3a1 , 9c0e,27bd ,d410"], **positions("d410", "27bd", "9c0e", "f3a1")}
    assert parse_response(ANSWER, form) == {"order": AUTHORED}


def test_position_values_may_carry_spaces():
    form = {f"position-{item_id}": [f" {n} "] for n, item_id in enumerate(AUTHORED, start=1)}
    assert parse_response(ANSWER, form) == {"order": AUTHORED}


def test_a_stored_order_is_regraded_the_same():
    assert grade(ANSWER, {"order": AUTHORED}).correct


BAD_PERMUTATION = "Give every item a different position, from 1 to 4."
OUT_OF_RANGE = "Choose a position from 1 to 4 for every item."
TAMPERED = "Those items are not part of this question; reload the page and try again."


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, OUT_OF_RANGE),
        ({"order": []}, "Put the items in order first."),
        ({"order": [""]}, "Put the items in order first."),
        ({"order": ["f3a1,9c0e", "27bd,d410"]}, "Send only one answer."),
        ({"order": ["f3a1,9c0e,27bd"]}, "Use every item exactly once."),
        ({"order": ["f3a1,f3a1,27bd,d410"]}, "Use every item exactly once."),
        ({"order": ["f3a1,9c0e,27bd,d410,d410"]}, "Use every item exactly once."),
        ({"order": ["f3a1,9c0e,27bd,beef"]}, TAMPERED),
        ({"order": ["f3a1,,9c0e,27bd,d410"]}, TAMPERED),
        ({"order": ["f3a1;9c0e;27bd;d410"]}, TAMPERED),
        (positions("f3a1", "9c0e", "27bd"), OUT_OF_RANGE),
        ({**positions(*AUTHORED), "position-f3a1": ["2"]}, BAD_PERMUTATION),
        ({**positions(*AUTHORED), "position-f3a1": ["5"]}, OUT_OF_RANGE),
        ({**positions(*AUTHORED), "position-f3a1": ["0"]}, OUT_OF_RANGE),
        ({**positions(*AUTHORED), "position-f3a1": ["1.0"]}, OUT_OF_RANGE),
        ({**positions(*AUTHORED), "position-f3a1": ["first"]}, OUT_OF_RANGE),
        ({**positions(*AUTHORED), "position-f3a1": ["1", "1"]}, OUT_OF_RANGE),
        ({**positions(*AUTHORED), "position-f3a1": []}, OUT_OF_RANGE),
        ({**positions(*AUTHORED), "position-beef": ["1"]}, TAMPERED),
    ],
)
def test_malformed_order(form, message):
    with pytest.raises(ResponseError) as caught:
        parse_response(ANSWER, form)
    assert caught.value.message == message
