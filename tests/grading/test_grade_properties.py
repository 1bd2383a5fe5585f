"""Properties over arbitrary forms: parsing never crashes, and grades stay in range and consistent."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.content.model import (
    Choice,
    ChoiceAnswer,
    NumberAnswer,
    NumberRange,
    OrderAnswer,
    OrderItem,
    TextAnswer,
    TextPattern,
    WrongAnswer,
)
from quizapp.grading import ResponseError, grade, parse_response

ITEM_IDS = st.text(alphabet="abcdef0123456789", min_size=1, max_size=6)
PATTERNS = st.sampled_from(
    [
        TextPattern("use server"),
        TextPattern("Straße"),
        TextPattern("/a+b/", regex="a+b"),
        TextPattern("/x.*/i", regex="x.*", ignore_case=True),
        TextPattern("/(ab|cd)?/", regex="(ab|cd)?"),
    ]
)
FINITE = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@st.composite
def choice_answers(draw) -> ChoiceAnswer:
    flags = draw(st.lists(st.booleans(), min_size=1, max_size=6))
    choices = tuple(
        Choice(chr(ord("a") + i), f"choice {i}", correct, feedback_html=f"<p>{i}</p>" if i % 2 else "")
        for i, correct in enumerate(flags)
    )
    return ChoiceAnswer(choices=choices, partial_credit=draw(st.booleans()))


@st.composite
def number_ranges(draw) -> NumberRange:
    low, high = sorted((draw(FINITE), draw(FINITE)))
    return NumberRange(f"{low}..{high}", low, high)


@st.composite
def answers(draw):
    kind = draw(st.sampled_from(["choice", "text", "number", "order"]))
    if kind == "choice":
        return draw(choice_answers())
    if kind == "text":
        wrong = draw(st.lists(PATTERNS, max_size=3))
        return TextAnswer(
            accepted=tuple(draw(st.lists(PATTERNS, min_size=1, max_size=3))),
            wrong=tuple(WrongAnswer(f"w{i}", p, feedback_html="<p>no</p>") for i, p in enumerate(wrong, 1)),
        )
    if kind == "number":
        wrong = draw(st.lists(number_ranges(), max_size=3))
        return NumberAnswer(
            accepted=tuple(draw(st.lists(number_ranges(), min_size=1, max_size=3))),
            wrong=tuple(WrongAnswer(f"w{i}", r) for i, r in enumerate(wrong, 1)),
        )
    ids = draw(st.lists(ITEM_IDS, min_size=1, max_size=5, unique=True))
    return OrderAnswer(items=tuple(OrderItem(i, f"item {i}") for i in ids))


NUMBERISH = st.from_regex(r"[+-]?[0-9 ,._eE]{1,12}", fullmatch=True)
TEXTISH = st.one_of(
    st.sampled_from(["use server", " USE  Server ", "aab", "X!", "xyz", "cd", "STRASSE"]), st.text()
)


def likely_form(answer) -> st.SearchStrategy[dict[str, list[str]]]:
    """Forms shaped like what a real page sends for this answer, so properties reach grading often."""
    if isinstance(answer, ChoiceAnswer):
        ids = [c.id for c in answer.choices]
        return st.fixed_dictionaries(
            {"choice": st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids))}
        )
    if isinstance(answer, TextAnswer):
        return st.fixed_dictionaries({"text": st.lists(TEXTISH, min_size=1, max_size=1)})
    if isinstance(answer, NumberAnswer):
        return st.fixed_dictionaries({"number": st.lists(NUMBERISH, min_size=1, max_size=1)})
    ids = [item.id for item in answer.items]
    positions = st.integers(0, len(ids) + 1).map(str)
    return st.one_of(
        st.permutations(ids).map(lambda order: {"order": [",".join(order)]}),
        st.fixed_dictionaries({f"position-{i}": st.lists(positions, min_size=1, max_size=1) for i in ids}),
    )


@st.composite
def forms(draw, answer) -> dict[str, list[str]]:
    """Any form at all: a likely one with noise added, or arbitrary field names and values."""
    keys = st.one_of(
        st.sampled_from(["choice", "text", "number", "order", "position-a"]), st.text(max_size=12)
    )
    noise = draw(st.dictionaries(keys, st.lists(st.text(max_size=30), max_size=3), max_size=3))
    shape = draw(st.sampled_from(["noise only", "likely", "likely with noise"]))
    if shape == "noise only":
        return noise
    likely = draw(likely_form(answer))
    return likely if shape == "likely" else {**noise, **likely}


@settings(max_examples=400)
@given(st.data())
def test_parse_either_returns_a_response_or_raises_response_error(data):
    answer = data.draw(answers())
    form = data.draw(forms(answer))
    try:
        response = parse_response(answer, form)
    except ResponseError as error:
        assert error.message and isinstance(error.message, str)
        return
    assert json.loads(json.dumps(response)) == response
    result = grade(answer, response)
    assert 0.0 <= result.score <= 1.0
    assert result.correct == (result.score == 1.0)
    assert all(isinstance(s, str) for s in result.feedback_html + result.matched + result.missed)
    assert grade(answer, json.loads(json.dumps(response))) == result


@given(st.data())
def test_any_permutation_parses_from_both_uis_and_only_the_authored_one_is_correct(data):
    answer = data.draw(answers().filter(lambda a: isinstance(a, OrderAnswer)))
    ids = [item.id for item in answer.items]
    order = data.draw(st.permutations(ids))
    dragged = parse_response(answer, {"order": [",".join(order)]})
    selected = parse_response(answer, {f"position-{i}": [str(order.index(i) + 1)] for i in ids})
    assert dragged == selected == {"order": list(order)}
    assert grade(answer, dragged).correct == (list(order) == ids)


@given(FINITE)
def test_a_number_as_python_prints_it_parses_back_to_itself(value):
    answer = NumberAnswer(accepted=(NumberRange(repr(value), value, value),))
    response = parse_response(answer, {"number": [repr(value)]})
    assert response["number"] == value
    assert grade(answer, response).correct
