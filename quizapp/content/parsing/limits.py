"""Bounds on what an author's Markdown may ask of the renderer, checked before it is rendered.

Python-Markdown renders lists and quotes inside each other by recursion, at a cost that grows faster than
the depth: a list nested 300 deep raised RecursionError, and 2,000 quotes each one deeper took 30 s
(review L3). The checker and the loader both refuse such a line, at its number, so they always agree.
"""

from __future__ import annotations

import re

from ..model import Problem
from .text import Line

MAX_NESTING = 16  # lists and quotes inside each other; real lessons use three or four
_MARKER = re.compile(r"[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])")
_RULE = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*\Z")  # '- - - -' is a line across, not lists


def check_nesting(lines: list[Line], path: str) -> list[Problem]:
    """Refuse the first line nested deeper than MAX_NESTING (code fences are left alone)."""
    for line in lines:
        if line.code or line.blank or _RULE.match(line.text):
            continue
        depth = nesting(line.text)
        if depth > MAX_NESTING:
            indent = _indent(line.text)
            how = f"indented {indent} spaces, " if indent >= 4 else ""
            message = (
                f"this line is nested more than {MAX_NESTING} levels deep ({how}lists and quotes inside each "
                f"other); at most {MAX_NESTING} are allowed: flatten the structure, or put it in a code fence"
            )
            return [Problem(path, line.number, message)]
    return []


def nesting(text: str) -> int:
    """Count how deep a line sits: every 4 columns of indentation and every list or quote marker."""
    depth = _indent(text) // 4
    position = 0
    while match := _MARKER.match(text, position):
        if match.end() == position:
            break
        depth += 1
        position = match.end()
        if depth > MAX_NESTING:
            break
    return depth


def _indent(text: str) -> int:
    stripped = text.lstrip(" \t")
    return len(text[: len(text) - len(stripped)].expandtabs(4))
