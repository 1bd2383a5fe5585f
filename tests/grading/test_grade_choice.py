"""Single-choice and select-all grading, through the same form fields the views send."""

import pytest

from quizapp.content.model import Choice, ChoiceAnswer
from quizapp.grading import Grade, ResponseError, grade, grade_form, parse_response

SINGLE = ChoiceAnswer(
    choices=(
        Choice("a", "In the browser", correct=False, feedback_html="<p>Calling is not running.</p>"),
        Choice("b", "On the server", correct=True),
        Choice("c", "Whichever imported it first", correct=False),
    )
)
SELECT_ALL = ChoiceAnswer(
    choices=(
        Choice("a", "fetch", correct=True, feedback_html="<p>Note: fetch is cached.</p>"),
        Choice("b", "useState", correct=False, feedback_html="<p>Hooks are client-only.</p>"),
        Choice("c", "cookies()", correct=True),
        Choice("d", "window", correct=False, feedback_html="<p>No window on the server.</p>"),
        Choice("e", "headers()", correct=True),
    )
)
PARTIAL = ChoiceAnswer(choices=SELECT_ALL.choices, partial_credit=True)


@pytest.mark.parametrize(
    ("picks", "expected"),
    [
        (["b"], Grade(1.0, True, (), ("b",))),
        (["a"], Grade(0.0, False, ("<p>Calling is not running.</p>",), ("a",))),
        (["c"], Grade(0.0, False, (), ("c",))),
    ],
)
def test_single_choice(picks, expected):
    assert grade_form(SINGLE, {"choice": picks}) == ({"choices": picks}, expected)


@pytest.mark.parametrize(
    ("answer", "picks", "score", "correct", "missed"),
    [
        (SELECT_ALL, ["a", "c", "e"], 1.0, True, ()),
        (SELECT_ALL, ["e", "a", "c"], 1.0, True, ()),
        (SELECT_ALL, ["a", "c"], 0.0, False, ("e",)),
        (SELECT_ALL, ["a", "b", "c", "d", "e"], 0.0, False, ()),
        (PARTIAL, ["a", "c", "e"], 1.0, True, ()),
        (PARTIAL, ["a", "c"], 2 / 3, False, ("e",)),
        (PARTIAL, ["a", "c", "e", "b"], 2 / 3, False, ()),
        (PARTIAL, ["a", "b"], 0.0, False, ("c", "e")),
        (PARTIAL, ["b", "d"], 0.0, False, ("a", "c", "e")),
        (PARTIAL, ["a", "b", "c", "d", "e"], 1 / 3, False, ()),
    ],
)
def test_select_all_scores(answer, picks, score, correct, missed):
    result = grade(answer, parse_response(answer, {"choice": picks}))
    assert result.score == pytest.approx(score)
    assert (result.correct, result.missed) == (correct, missed)


def test_select_all_feedback_names_every_picked_choice_in_authored_order():
    result = grade(SELECT_ALL, {"choices": ["a", "b", "c", "d"]})
    assert result.feedback_html == (
        "<p>Note: fetch is cached.</p>",
        "<p>Hooks are client-only.</p>",
        "<p>No window on the server.</p>",
    )
    assert result.matched == ("a", "b", "c", "d")


def test_parse_sorts_picks():
    assert parse_response(SELECT_ALL, {"choice": ["e", "a"]}) == {"choices": ["a", "e"]}


TAMPERED = "That choice is not part of this question; reload the page and try again."
UNREADABLE = "That answer could not be read; reload the page and try again."


@pytest.mark.parametrize(
    ("answer", "form", "message"),
    [
        (SINGLE, {}, "Pick one choice."),
        (SINGLE, {"choice": []}, "Pick one choice."),
        (SELECT_ALL, {}, "Pick at least one choice."),
        (SINGLE, {"choice": ["a", "b"]}, "Pick only one choice."),
        (SINGLE, {"choice": ["z"]}, TAMPERED),
        (SINGLE, {"choice": [""]}, TAMPERED),
        (SELECT_ALL, {"choice": ["a", "a"]}, "Pick each choice only once."),
        (SINGLE, {"choice": ["b", "b"]}, "Pick each choice only once."),
        (SINGLE, {"choice": [1]}, UNREADABLE),
        (SINGLE, {"choice": ["b\x00"]}, UNREADABLE),
    ],
)
def test_malformed_choice_raises_response_error(answer, form, message):
    with pytest.raises(ResponseError) as caught:
        parse_response(answer, form)
    assert caught.value.message == message
