"""Text grading: folded literals, regexes with and without the i flag, anticipated wrong answers."""

import threading

import pytest

from quizapp.content.model import TextAnswer, TextPattern, WrongAnswer
from quizapp.grading import ResponseError, grade, grade_form, parse_response

ANSWER = TextAnswer(
    accepted=(
        TextPattern("use server"),
        TextPattern(r"/'use server'/", regex=r"'use server'"),
        TextPattern("/server actions?/i", regex=r"server actions?", ignore_case=True),
    ),
    wrong=(
        WrongAnswer("w1", TextPattern("use client"), feedback_html="<p>That marks client code.</p>"),
        WrongAnswer("w2", TextPattern("/use .*/", regex=r"use .*"), feedback_html="<p>Which directive?</p>"),
        WrongAnswer("w3", TextPattern("/.*client.*/i", regex=r".*client.*", ignore_case=True)),
    ),
)


@pytest.mark.parametrize(
    ("typed", "correct", "feedback", "matched"),
    [
        ("use server", True, (), ()),
        ("  USE   Server \n", True, (), ()),
        ("use\tserver", True, (), ()),
        ("'use server'", True, (), ()),
        ("  'use server'  ", True, (), ()),
        ("'USE SERVER'", False, (), ()),
        ("Server Action", True, (), ()),
        ("SERVER ACTIONS", True, (), ()),
        ("server actionsss", False, (), ()),
        ("a server action", False, (), ()),
        ("Use Client", False, ("<p>That marks client code.</p>",), ("w1",)),
        ("use something", False, ("<p>Which directive?</p>",), ("w2",)),
        ("the CLIENT", False, (), ("w3",)),
        ("useserver", False, (), ()),
        ("ｕｓｅ server", False, (), ()),
    ],
)
def test_text(typed, correct, feedback, matched):
    response, result = grade_form(ANSWER, {"text": [typed]})
    assert response == {"text": typed.strip()}
    assert (result.correct, result.score) == (correct, 1.0 if correct else 0.0)
    assert (result.feedback_html, result.matched) == (feedback, matched)


def test_casefold_folds_sharp_s():
    answer = TextAnswer(accepted=(TextPattern("Straße"),))
    assert grade(answer, {"text": "STRASSE"}).correct


def test_regex_is_a_full_match_not_a_search():
    answer = TextAnswer(accepted=(TextPattern("/4[0-9]/", regex="4[0-9]"),))
    assert grade(answer, {"text": "42"}).correct
    assert not grade(answer, {"text": "142"}).correct
    assert not grade(answer, {"text": "420"}).correct


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Type an answer first."),
        ({"text": []}, "Type an answer first."),
        ({"text": ["   \n"]}, "Type an answer first."),
        ({"text": ["a", "b"]}, "Send only one answer."),
        ({"text": ["x" * 501]}, "That answer is too long (at most 500 characters)."),
    ],
)
def test_malformed_text(form, message):
    with pytest.raises(ResponseError) as caught:
        parse_response(ANSWER, form)
    assert caught.value.message == message


def test_500_characters_is_not_too_long():
    assert parse_response(ANSWER, {"text": [" " + "x" * 500 + " "]}) == {"text": "x" * 500}


def test_a_bare_string_is_one_value_not_a_list_of_characters():
    assert parse_response(ANSWER, {"text": "use server"}) == {"text": "use server"}


@pytest.mark.parametrize(("regex", "typed"), [(r"(a+)+$", "a" * 40 + "!"), (r"(b|b)+$", "b" * 40 + "!"),
                                              (r"(x+x+)+y", "x" * 499)])
def test_catastrophic_regexes_grade_in_linear_time(regex, typed):
    """Review H3: with Python's backtracking re, 40 'a' + '!' held a worker for over 30 s."""
    answer = TextAnswer(accepted=(TextPattern(f"/{regex}/", regex=regex),),
                        wrong=(WrongAnswer("w", TextPattern(f"/{regex}/i", regex=regex, ignore_case=True)),))
    results: list = []
    worker = threading.Thread(target=lambda: results.append(grade_form(answer, {"text": [typed]})), daemon=True)
    worker.start()
    worker.join(timeout=10)  # a generous bound: RE2 answers in microseconds, backtracking in minutes
    assert results and results[0][1].correct is False and results[0][1].matched == ()


def test_the_learners_text_stays_bounded():
    with pytest.raises(ResponseError, match="at most 500"):
        parse_response(ANSWER, {"text": ["a" * 501]})
