"""The kind registry, and the promise that grading stays pure (stdlib and content dataclasses only)."""

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from quizapp.content.model import NumberAnswer, NumberRange
from quizapp.grading import GRADERS, Grade, Grader, ResponseError, grade, grade_form, parse_response

GRADING_DIR = Path(__file__).resolve().parents[2] / "quizapp" / "grading"


def test_every_answer_kind_has_a_grader():
    assert set(GRADERS) == {"choice", "text", "number", "order"}


@dataclass(frozen=True)
class YesNoAnswer:
    """A made-up kind, to show that a new kind is one registry entry."""

    yes: bool
    kind: str = "yesno"


def test_a_new_kind_is_one_registry_entry(monkeypatch):
    def parse(answer: YesNoAnswer, form) -> dict:
        return {"yes": form.get("yes") == ["on"]}

    def grade_yes_no(answer: YesNoAnswer, response: dict) -> Grade:
        correct = response["yes"] == answer.yes
        return Grade(float(correct), correct, (), ())

    monkeypatch.setitem(GRADERS, "yesno", Grader(parse=parse, grade=grade_yes_no))
    assert grade_form(YesNoAnswer(yes=True), {"yes": ["on"]}) == ({"yes": True}, Grade(1.0, True, (), ()))


def test_unknown_kind_is_a_programming_error_not_a_learner_error():
    with pytest.raises(ValueError, match="no grader for answer kind 'essay'") as caught:
        parse_response(YesNoAnswer(yes=True, kind="essay"), {})
    assert not isinstance(caught.value, ResponseError)
    with pytest.raises(ValueError, match="no grader"):
        grade(object(), {})


def test_response_error_carries_a_message_for_the_learner():
    with pytest.raises(ResponseError) as caught:
        parse_response(NumberAnswer(accepted=(NumberRange("1", 1.0, 1.0),)), {"number": ["one"]})
    assert caught.value.message == str(caught.value) == "Enter a number, like 42 or 3.5."
    assert isinstance(caught.value, ValueError)


def _modules() -> list[Path]:
    return sorted(GRADING_DIR.glob("*.py"))


def test_grading_imports_only_stdlib_re2_and_content_model():
    allowed_stdlib = set(sys.stdlib_module_names)
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed_stdlib or name in ("re2", "quizapp.content.model"), (
                    f"{path.name}:{node.lineno} imports {name}"
                )


def test_grading_has_no_imports_inside_functions():
    for path in _modules():
        tree = ast.parse(path.read_text(), str(path))
        top_level = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                assert id(node) in top_level, f"{path.name}:{node.lineno} imports inside a block"
