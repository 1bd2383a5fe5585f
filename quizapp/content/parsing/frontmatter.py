"""Front matter: the YAML between two '---' lines at the top of a course or lesson file.

Unknown keys and wrong types are errors at the key's own line, because they are nearly always
typos that would otherwise be silently ignored.
"""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field

import yaml

from ..model import REVEAL_RULES, Problem

# key -> expected type; "words" means a list of strings; "reveal" one of REVEAL_RULES.
COURSE_KEYS: dict[str, str] = {"title": "text", "summary": "text", "order": "integer", "reveal": "reveal"}
LESSON_KEYS: dict[str, str] = {"title": "text", "summary": "text", "tags": "words", "minutes": "integer"}

_EXAMPLE = "---\ntitle: Your title here\n---"
MAX_SHOWN = 60  # characters of a value a message repeats
_YAML_ERRORS = (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError)


@dataclass
class FrontMatter:
    """The checked keys of a file's front matter and where the Markdown after it starts."""

    values: dict[str, object] = field(default_factory=dict)
    body_start: int = 0  # 0-based index of the first line after the closing '---'
    problems: list[Problem] = field(default_factory=list)


def read_front_matter(texts: list[str], path: str, known: dict[str, str]) -> FrontMatter:
    """Split off and check the front matter, collecting every problem with its line."""
    if not _opens(texts):
        message = (
            "missing front matter: the file must start with a '---' line; "
            f"add these 3 lines at the top:\n{_EXAMPLE}"
        )
        return FrontMatter(problems=[Problem(path, 1, message)])
    end = _closing_index(texts)
    if end is None:
        message = "front matter opened on line 1 never closes; add a line '---' after the last key"
        return FrontMatter(body_start=len(texts), problems=[Problem(path, 1, message)])
    result = FrontMatter(body_start=end + 1)
    chunk = "\n".join(texts[1:end])
    try:
        node, data = _load(chunk)
    except _YAML_ERRORS as err:
        result.problems.append(_yaml_problem(err, chunk, path))
        return result
    if data is None:
        data = {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        message = "front matter must be 'key: value' lines, e.g.\ntitle: Your title here"
        result.problems.append(Problem(path, 2, message))
        return result
    lines = _key_lines(node, path, result.problems)
    result.values, key_problems = _check_keys(data, lines, path, known)
    result.problems.extend(key_problems)
    return result


def body_start(texts: list[str]) -> int:
    """Give the index of the first line after the front matter, as ``read_front_matter`` would, without YAML."""
    if not _opens(texts):
        return 0
    end = _closing_index(texts)
    return len(texts) if end is None else end + 1


def _opens(texts: list[str]) -> bool:
    return bool(texts) and texts[0].rstrip() == "---"


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases: a few lines of '*name' can stand for gigabytes (review M6), and no key needs one."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "aliases ('*name') are not allowed in front matter; write the value out", mark
            )
        return super().compose_node(parent, index)


def _load(chunk: str) -> tuple[yaml.Node | None, object]:
    """Compose the YAML once and build the values from that node (what ``yaml.safe_load`` does inside)."""
    loader = _NoAliasLoader(chunk)
    try:
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def _closing_index(texts: list[str]) -> int | None:
    for index in range(1, len(texts)):
        if texts[index].rstrip() in ("---", "..."):
            return index
    return None


def _yaml_problem(err: Exception, chunk: str, path: str) -> Problem:
    mark = getattr(err, "problem_mark", None)
    if mark is not None:
        line = mark.line + 2
    elif isinstance(getattr(err, "position", None), int):
        line = chunk[: err.position].count("\n") + 2  # type: ignore[attr-defined]
    else:
        line = 2
    detail = getattr(err, "problem", None) or (str(err).strip().splitlines() or [type(err).__name__])[0]
    return Problem(
        path,
        line,
        f"front matter is not valid YAML: {detail}; check the indentation and put values that "
        "contain ':' or start with a quote, '[', '{', '&', '*' or '!' in double quotes",
    )


def _key_lines(node: yaml.MappingNode, path: str, problems: list[Problem]) -> dict[str, int]:
    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key, line = str(key_node.value), key_node.start_mark.line + 2
        if key in lines:
            message = f"key '{key}' appears twice (first on line {lines[key]}); keep one of them"
            problems.append(Problem(path, line, message))
        else:
            lines[key] = line
    return lines


def _check_keys(
    data: dict, lines: dict[str, int], path: str, known: dict[str, str]
) -> tuple[dict[str, object], list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, object] = {}
    for key, value in data.items():
        line = lines.get(str(key), 2)
        if str(key) not in known:
            problems.append(Problem(path, line, _unknown_key_message(str(key), known)))
            continue
        message = _type_problem(str(key), value, known[str(key)])
        if message:
            problems.append(Problem(path, line, message))
        else:
            values[str(key)] = tuple(value) if isinstance(value, list) else value
    if "title" not in data:
        problems.append(Problem(path, 1, "front matter has no title; add a line 'title: Your title here'"))
    return values, problems


def _unknown_key_message(key: str, known: dict[str, str]) -> str:
    message = f"unknown key '{key}'; known keys: {', '.join(sorted(known))}"
    close = difflib.get_close_matches(key, list(known), n=1)
    return message + (f" (did you mean '{close[0]}'?)" if close else "")


def _type_problem(key: str, value: object, expected: str) -> str | None:
    if expected == "text":
        if isinstance(value, str) and value.strip():
            return None
        if value is None or value == "":
            return f"'{key}' is empty; write the text after '{key}:'"
        return (
            f"'{key}' must be text, but it is {_describe(value)}; put it in double quotes: "
            f"{key}: \"{_short(value)}\""
        )
    if expected == "reveal":
        if value in REVEAL_RULES:
            return None
        return f"'{key}' must be one of {', '.join(REVEAL_RULES)} (it is {_describe(value)})"
    if expected == "integer":
        if isinstance(value, int) and not isinstance(value, bool) and (key != "minutes" or value >= 0):
            return None
        kind = "a whole number of 0 or more" if key == "minutes" else "a whole number"
        return f"'{key}' must be {kind}, e.g. {key}: 10 (it is {_describe(value)})"
    if isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value):
        return None
    return f"'{key}' must be a list of words, e.g. {key}: [react, hooks] (it is {_describe(value)})"


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({_short(value)})"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"a date ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{_short(value)}'"


def _short(value: object) -> str:
    """Show a value in a message, cut to a line: a list or mapping is never written out in full."""
    if isinstance(value, (list, dict)):
        return "..."
    try:
        text = str(value)
    except ValueError:  # an integer of more digits than Python will write out
        return "a very long number"
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."
