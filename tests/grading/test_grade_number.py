"""Number grading: how learners type numbers, exact values, tolerances, ranges and wrong answers."""

import pytest

from quizapp.content.model import NumberAnswer, NumberRange, WrongAnswer
from quizapp.grading import ResponseError, grade, grade_form, parse_response

EXACT = NumberAnswer(accepted=(NumberRange("1000", 1000.0, 1000.0),))
TOLERANCE = NumberAnswer(
    accepted=(NumberRange("3.14 ± 0.01", 3.13, 3.15),),
    wrong=(
        WrongAnswer("w1", NumberRange("3", 3.0, 3.0), feedback_html="<p>Keep the decimals.</p>"),
        WrongAnswer("w2", NumberRange("0..10", 0.0, 10.0), feedback_html="<p>Close, but no.</p>"),
    ),
)
RANGE = NumberAnswer(accepted=(NumberRange("40..44", 40.0, 44.0), NumberRange("-1", -1.0, -1.0)))
FLOATY = NumberAnswer(accepted=(NumberRange("0.3", 0.3, 0.3),))


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("42", 42.0),
        (" 42 ", 42.0),
        ("+42", 42.0),
        ("-3.5", -3.5),
        ("\u22123.5", -3.5),
        ("3,5", 3.5),
        ("-0,25", -0.25),
        ("3,14159", 3.14159),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e3", 1000.0),
        ("1E-3", 0.001),
        ("1 000", 1000.0),
        ("1_000", 1000.0),
        ("1\u00a0000", 1000.0),
        ("12 345 678", 12345678.0),
        ("1 000,5", 1000.5),
        ("1 000.5", 1000.5),
        ("1,000.5", 1000.5),
        ("1,000,000", 1000000.0),
        ("-1 000", -1000.0),
        ("0", 0.0),
    ],
)
def test_parse_number(typed, value):
    assert parse_response(EXACT, {"number": [typed]}) == {"number": value, "raw": typed.strip()}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a number, like 42 or 3.5."),
        ("   ", "Enter a number, like 42 or 3.5."),
        ("forty-two", "Enter a number, like 42 or 3.5."),
        ("nan", "Enter a number, like 42 or 3.5."),
        ("inf", "Enter a number, like 42 or 3.5."),
        ("-Infinity", "Enter a number, like 42 or 3.5."),
        ("0x10", "Enter a number, like 42 or 3.5."),
        ("1/2", "Enter a number, like 42 or 3.5."),
        ("1.2.3", "Enter a number, like 42 or 3.5."),
        ("1,2,3", "Enter a number, like 42 or 3.5."),
        ("1.000,5", "Enter a number, like 42 or 3.5."),
        ("1 2", "Enter a number, like 42 or 3.5."),
        ("10 00", "Enter a number, like 42 or 3.5."),
        ("1 000_000", "Enter a number, like 42 or 3.5."),
        ("1__000", "Enter a number, like 42 or 3.5."),
        ("+-1", "Enter a number, like 42 or 3.5."),
        ("-", "Enter a number, like 42 or 3.5."),
        (".", "Enter a number, like 42 or 3.5."),
        ("1e", "Enter a number, like 42 or 3.5."),
        ("\u0664\u0662", "Enter a number, like 42 or 3.5."),
        ("42 m", "Enter a number, like 42 or 3.5."),
        ("1,000", "Write 1000 or 1.000, so it is clear which number you mean."),
        ("-12,500", "Write 12500 or 12.500, so it is clear which number you mean."),
        ("1e999", "That number is too large."),
        ("1" * 65, "That number is too long (at most 64 characters)."),
    ],
)
def test_malformed_number(typed, message):
    with pytest.raises(ResponseError) as caught:
        parse_response(EXACT, {"number": [typed]})
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Enter a number, like 42 or 3.5."),
        ({"number": ["1", "2"]}, "Send only one answer."),
    ],
)
def test_missing_or_repeated_number(form, message):
    with pytest.raises(ResponseError) as caught:
        parse_response(EXACT, form)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("answer", "typed", "correct", "feedback", "matched"),
    [
        (EXACT, "1000", True, (), ()),
        (EXACT, "1 000", True, (), ()),
        (EXACT, "1e3", True, (), ()),
        (EXACT, "1000.0000000001", True, (), ()),
        (EXACT, "1000.001", False, (), ()),
        (TOLERANCE, "3.14", True, (), ()),
        (TOLERANCE, "3,13", True, (), ()),
        (TOLERANCE, "3.15", True, (), ()),
        (TOLERANCE, "3.151", False, ("<p>Close, but no.</p>",), ("w2",)),
        (TOLERANCE, "3", False, ("<p>Keep the decimals.</p>",), ("w1",)),
        (TOLERANCE, "11", False, (), ()),
        (RANGE, "40", True, (), ()),
        (RANGE, "44", True, (), ()),
        (RANGE, "42.5", True, (), ()),
        (RANGE, "39.99", False, (), ()),
        (RANGE, "-1", True, (), ()),
        (RANGE, "1", False, (), ()),
    ],
)
def test_number(answer, typed, correct, feedback, matched):
    _, result = grade_form(answer, {"number": [typed]})
    assert (result.correct, result.score) == (correct, 1.0 if correct else 0.0)
    assert (result.feedback_html, result.matched) == (feedback, matched)


def test_float_noise_is_tolerated():
    assert grade(FLOATY, {"number": 0.1 + 0.2, "raw": "0.30000000000000004"}).correct
    assert not grade(FLOATY, {"number": 0.3001, "raw": "0.3001"}).correct
