"""Turn a question's answer block into an answer key: choices, text, number or order."""

from __future__ import annotations

import hashlib
import re
import string
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from ..model import (
    Answer,
    Choice,
    ChoiceAnswer,
    NumberAnswer,
    NumberRange,
    OrderAnswer,
    OrderItem,
    Problem,
    TextAnswer,
    TextPattern,
    WrongAnswer,
)
from .blocks import BULLET_RE, CHOICE_RE, KEYED_RE, ORDERED_RE, Block, line_kind
from .text import Line
from .values import NUMBER_FORMS, ValueProblem, parse_number, parse_text

T = TypeVar("T")


@dataclass
class Item:
    """One list item or Answer:/Wrong: line with the indented lines under it."""

    head: Line
    text: str
    feedback: str = ""
    problems: list[Problem] = field(default_factory=list)


def build_answer(block: Block, path: str) -> tuple[Answer | None, list[Problem]]:
    """Build the answer key for a block found by ``find_block``; None when it has errors."""
    items = _items(block.lines, path)
    problems = [problem for item in items for problem in item.problems]
    if block.mode == "choice":
        answer, more = _choices(items, path)
    elif block.mode == "ordered":
        answer, more = _order(items, path)
    else:
        answer, more = _keyed(items, path)
    problems += more
    return (None if any(p.severity == "error" for p in problems) else answer), problems


def _items(lines: list[Line], path: str) -> list[Item]:
    items: list[Item] = []
    pending: list[Line] = []
    for line in reversed(lines):
        pending.append(line)
        if line_kind(line) not in ("blank", "indented"):
            items.append(_item(pending[-1], list(reversed(pending[:-1])), path))
            pending = []
    return list(reversed(items))


def _item(head: Line, rest: list[Line], path: str) -> Item:
    """Split an item's indented lines into continuation text and '>' feedback."""
    text_lines: list[str] = []
    feedback: list[str] = []
    blank_before = False
    for line in rest:
        if line.blank:
            blank_before = True
            continue
        stripped = line.text.lstrip()
        if stripped.startswith(">") and not line.code:
            feedback += [""] if feedback and blank_before else []
            feedback.append(stripped[1:].removeprefix(" "))
        elif feedback:
            feedback.append(stripped)  # a lazy continuation of the quote, as in Markdown
        else:
            text_lines += [""] if text_lines and blank_before else []
            text_lines.append(line.text)
        blank_before = False
    first = _head_text(head.text)
    text = "\n".join([first, textwrap.dedent("\n".join(text_lines))] if text_lines else [first]).strip()
    return Item(head=head, text=text, feedback="\n".join(feedback).strip())


def _head_text(text: str) -> str:
    for pattern in (CHOICE_RE, BULLET_RE, ORDERED_RE):
        if match := pattern.match(text):
            return (match["text"] or "").strip()
    if match := KEYED_RE.match(text):
        return match["value"].strip()
    return text.strip()


def _choices(items: list[Item], path: str) -> tuple[Answer | None, list[Problem]]:
    problems: list[Problem] = []
    choices: list[Choice] = []
    for index, item in enumerate(items):
        match = CHOICE_RE.match(item.head.text)
        if not match:
            message = (
                "list item has no [ ] or [x]; start every choice with '- [ ] ' (wrong) or '- [x] ' (right)"
            )
            problems.append(Problem(path, item.head.number, message))
            continue
        if not item.text:
            problems.append(
                Problem(path, item.head.number, "choice has no text; write it after the [ ] or [x]")
            )
        choice_id = string.ascii_lowercase[index] if index < 26 else f"c{index + 1}"
        choices.append(Choice(choice_id, item.text, match["mark"] != " ", item.feedback, line=item.head.number))
    if problems:
        return None, problems
    return ChoiceAnswer(choices=tuple(choices)), _check_choices(choices, items[0].head.number, path)


def _check_choices(choices: list[Choice], line: int, path: str) -> list[Problem]:
    correct = sum(choice.correct for choice in choices)
    if len(choices) < 2:
        message = "a choice question needs at least 2 choices; add a wrong choice '- [ ] ...' with feedback"
    elif correct == 0:
        message = "no choice is marked correct; mark the right choice (or choices) with [x]"
    elif correct == len(choices):
        message = "every choice is marked correct; a question needs at least one wrong choice, marked [ ]"
    else:
        return []
    return [Problem(path, line, message)]


def _order(items: list[Item], path: str) -> tuple[Answer | None, list[Problem]]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for item in items:
        if re.match(r"\[[ xX]\]", item.text):
            message = "choices use bullets, not numbers: write '- [x] ...' and '- [ ] ...'"
            problems.append(Problem(path, item.head.number, message))
        if item.feedback:
            message = "order items take no feedback quote; explain the order in '#### Solution' instead"
            problems.append(Problem(path, item.head.number, message))
        if not item.text:
            problems.append(
                Problem(path, item.head.number, "order item has no text; write it after the number")
            )
        elif item.text in seen:
            message = f"order item appears twice (first on line {seen[item.text]}); every item must differ"
            problems.append(Problem(path, item.head.number, message))
        seen.setdefault(item.text, item.head.number)
    if len(items) < 2:
        message = (
            "an order question needs at least 2 items, listed '1. first', '2. second' in the correct order"
        )
        problems.append(Problem(path, items[0].head.number, message))
    if problems:
        return None, problems
    order = tuple(OrderItem(_order_id(item.text), item.text, line=item.head.number) for item in items)
    return OrderAnswer(items=order), []


def _order_id(text: str) -> str:
    """Hash the text so that the id never reveals an item's correct position."""
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def _keyed(items: list[Item], path: str) -> tuple[Answer | None, list[Problem]]:
    problems: list[Problem] = []
    accepted = [item for item in items if line_kind(item.head) == "answer"]
    wrong = [item for item in items if line_kind(item.head) == "wrong"]
    for item in items:
        problems += _keyed_item_problems(item, path)
    if not accepted:
        message = "Wrong: lines need at least one 'Answer: ...' line with the right answer"
        return None, problems + [Problem(path, items[0].head.number, message)]
    numbers = [_try(parse_number, item, path, problems) for item in accepted]
    if all(isinstance(number, NumberRange) for number in numbers):
        wrongs = _wrongs(wrong, path, problems, number=True)
        return NumberAnswer(accepted=tuple(numbers), wrong=wrongs), problems  # type: ignore[arg-type]
    patterns = [_pattern(item, path, problems) for item in accepted]
    wrongs = _wrongs(wrong, path, problems, number=False)
    return TextAnswer(accepted=tuple(p for p in patterns if p), wrong=wrongs), problems


def _keyed_item_problems(item: Item, path: str) -> list[Problem]:
    tag = "Answer" if line_kind(item.head) == "answer" else "Wrong"
    problems: list[Problem] = []
    if not item.text or "\n" in item.text:
        what = "is empty" if not item.text else "has indented text under it that is not a '>' quote"
        problems.append(
            Problem(
                path, item.head.number, f"{tag}: line {what}; write the value on the line, e.g. '{tag}: 42'"
            )
        )
    if tag == "Answer" and item.feedback:
        message = (
            "feedback quote under an Answer: line; only choices and Wrong: lines take feedback — "
            "move it into '#### Solution'"
        )
        problems.append(Problem(path, item.head.number + 1, message))
    if tag == "Wrong" and not item.feedback:
        message = "Wrong: line has no feedback; add an indented quote under it: '  > what this mistake means'"
        problems.append(Problem(path, item.head.number, message))
    return problems


def _try(parse: Callable[[str], T], item: Item, path: str, problems: list[Problem]) -> T | ValueProblem:
    """Run a value parser, turning a ValueProblem into a Problem at the item's line."""
    try:
        return parse(item.text)
    except ValueProblem as err:
        problems.append(Problem(path, item.head.number, str(err)))
        return err


def _pattern(item: Item, path: str, problems: list[Problem]) -> TextPattern | None:
    result = _try(parse_text, item, path, problems)
    if isinstance(result, ValueProblem):
        return None
    pattern, warnings = result
    problems += [Problem(path, item.head.number, w, severity="warning") for w in warnings]
    return pattern


def _wrongs(
    items: list[Item], path: str, problems: list[Problem], *, number: bool
) -> tuple[WrongAnswer, ...]:
    wrongs: list[WrongAnswer] = []
    for index, item in enumerate(items, start=1):
        if number:
            match = _try(parse_number, item, path, problems)
            if match is None:
                message = (
                    f"Wrong: '{item.text}' is not a number, but this question's answers are numbers; "
                    f"write {NUMBER_FORMS}"
                )
                problems.append(Problem(path, item.head.number, message))
        else:
            match = _pattern(item, path, problems)
        if isinstance(match, (NumberRange, TextPattern)):
            wrongs.append(WrongAnswer(f"w{index}", match, item.feedback, line=item.head.number))
    return tuple(wrongs)
