"""Find a question's answer block: the last list, or run of Answer:/Wrong: lines, before its sections.

Everything above the block is the prompt. Lines are classified once, outside code fences, so a
list inside a fenced example never counts as an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..model import Problem
from .text import Line, strip_blank_edges

CHOICE_RE = re.compile(r"[-*+][ \t]+\[(?P<mark>[ xX])\](?:[ \t]*(?P<text>.*))?\Z")
BULLET_RE = re.compile(r"[-*+](?:[ \t]+(?P<text>.*))?\Z")
ORDERED_RE = re.compile(r"\d{1,9}[.)](?:[ \t]+(?P<text>.*))?\Z")
KEYED_RE = re.compile(r"(?P<tag>answer|wrong):(?P<value>.*)\Z", re.IGNORECASE)

ANSWER_FORMS = (
    "a choice list ('- [x] right choice' and '- [ ] wrong choice'), 'Answer: text', "
    "'Answer: /regex/', 'Answer: 42' (or '42 ± 0.5', '40..44'), or a numbered list "
    "('1. first', '2. second') of items in the correct order"
)
_FEEDBACK_KINDS = ("choice", "answer", "wrong")


@dataclass
class Block:
    """A question's prompt lines and answer block, with the block's mode."""

    prompt: list[Line]
    lines: list[Line] = field(default_factory=list)
    mode: str | None = None  # "choice", "ordered", "keyed" (Answer:/Wrong: lines) or None
    problems: list[Problem] = field(default_factory=list)


def line_kind(line: Line) -> str:
    """Classify a line for answer-block purposes."""
    if line.blank:
        return "blank"
    if line.indented:
        return "indented"
    if line.code:
        return "code"
    text = line.text
    if CHOICE_RE.match(text):
        return "choice"
    if BULLET_RE.match(text):
        return "bullet"
    if ORDERED_RE.match(text):
        return "ordered"
    if match := KEYED_RE.match(text):
        return match["tag"].lower()
    return "quote" if text.startswith(">") else "other"


def find_block(lines: list[Line], path: str, heading_line: int) -> Block:
    """Split the lines between a question heading and its sections into prompt and answer block."""
    problems: list[Problem] = []
    lines = _indent_stray_quotes(strip_blank_edges(lines), path, problems)
    kinds = [line_kind(line) for line in lines]
    anchor = _last_top_level(kinds)
    mode = _mode_of(kinds[anchor]) if anchor is not None else None
    if anchor is None or mode is None:
        problems.append(_missing_block(lines, kinds, path, heading_line))
        return Block(prompt=lines, problems=problems)
    start = _block_start(kinds, anchor, mode)
    block = Block(prompt=lines[:start], lines=lines[start:], mode=mode, problems=problems)
    _check_prompt_has_no_second_block(block, kinds[:start], path)
    return block


def _indent_stray_quotes(lines: list[Line], path: str, problems: list[Problem]) -> list[Line]:
    """Report '>' quotes that follow a choice or Answer/Wrong line unindented; treat them as indented."""
    result: list[Line] = []
    in_item = False
    for line in lines:
        kind = line_kind(line)
        if kind == "quote" and in_item:
            problems.append(
                Problem(
                    path,
                    line.number,
                    "feedback quote is not under a choice or Wrong: line; indent it by two spaces "
                    "('  > ...') directly under the choice or Wrong: line it explains",
                )
            )
            line = replace(line, text="  " + line.text)
        elif kind in _FEEDBACK_KINDS:
            in_item = True
        elif kind not in ("blank", "indented", "bullet"):
            in_item = False
        result.append(line)
    return result


def _last_top_level(kinds: list[str]) -> int | None:
    for index in range(len(kinds) - 1, -1, -1):
        if kinds[index] not in ("blank", "indented"):
            return index
    return None


def _mode_of(kind: str) -> str | None:
    if kind in ("choice", "bullet"):
        return "choice"
    if kind == "ordered":
        return "ordered"
    if kind in ("answer", "wrong"):
        return "keyed"
    return None


def _block_start(kinds: list[str], anchor: int, mode: str) -> int:
    """Walk back from the last top-level line over items of the same block and their continuations."""
    start = anchor
    index = anchor - 1
    while index >= 0 and (kinds[index] in ("blank", "indented") or _mode_of(kinds[index]) == mode):
        if _mode_of(kinds[index]) == mode:
            start = index
        index -= 1
    return start


def _missing_block(lines: list[Line], kinds: list[str], path: str, heading_line: int) -> Problem:
    last_item = max((i for i, kind in enumerate(kinds) if kind in _FEEDBACK_KINDS), default=None)
    if last_item is not None:
        after = next(i for i in range(last_item + 1, len(kinds)) if kinds[i] not in ("blank", "indented"))
        return Problem(
            path,
            lines[after].number,
            "text after the answer block; the choices or Answer:/Wrong: lines must come last, right "
            "before the '####' sections or the next question. Move this text into the prompt above "
            "or into a section such as '#### Solution'",
        )
    return Problem(path, heading_line, f"question has no answer block; end the prompt with {ANSWER_FORMS}")


def _check_prompt_has_no_second_block(block: Block, prompt_kinds: list[str], path: str) -> None:
    """A question has exactly one answer block: report choices or Answer/Wrong lines left in the prompt."""
    first = {kind: i for i, kind in reversed(list(enumerate(prompt_kinds)))}
    first_line = block.lines[0].number
    if block.mode == "keyed" and "choice" in first:
        choice_line = block.prompt[first["choice"]].number
        if all(line_kind(line) in ("wrong", "blank", "indented") for line in block.lines):
            message = (
                "Wrong: lines belong to text and number questions; in a choice question, put the "
                "feedback under the wrong choice as an indented quote ('  > why it is wrong')"
            )
        else:
            message = (
                f"two answer blocks: choices (line {choice_line}) and Answer: lines (line {first_line}); "
                "a question has exactly one, so keep either the [ ]/[x] list or the Answer: lines"
            )
        block.problems.append(Problem(path, first_line, message))
    for kind in ("answer", "wrong"):
        if kind in first:
            number = block.prompt[first[kind]].number
            block.problems.append(Problem(path, number, _stray_keyed_message(block.mode, first_line)))
    if block.mode != "keyed" and "choice" in first and block.mode is not None:
        number = block.prompt[first["choice"]].number
        block.problems.append(
            Problem(
                path,
                number,
                f"two answer blocks: a [ ]/[x] list here and another list on line {first_line}; "
                "a question has exactly one, so merge the choices into one list at the end of the prompt",
            )
        )


def _stray_keyed_message(mode: str | None, block_line: int) -> str:
    if mode == "keyed":
        return (
            f"Answer:/Wrong: line separated from the answer block on line {block_line}; keep all "
            "Answer:/Wrong: lines together at the end of the prompt"
        )
    return (
        f"two answer blocks: Answer:/Wrong: lines here and a list on line {block_line}; a question has "
        "exactly one, so keep either the list or the Answer: lines"
    )
