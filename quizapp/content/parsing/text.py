"""Line-level helpers shared by the parsers: numbered lines, code fences, headings, slugs.

Every structural decision (is this a heading? a list item?) is made on lines that are outside
code fences, so a ``#`` line inside a fence is always code, wherever the fence is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Problem

SLUG_RE = re.compile(r"[a-z0-9-]+\Z")
_FENCE_RE = re.compile(r"(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)\Z")
# Python-Markdown only treats '#' at the start of a line as a heading; so do we.
_HEADING_RE = re.compile(r"(?P<hashes>#{1,6})(?!#)(?P<text>.*)\Z")


@dataclass(frozen=True)
class Line:
    """One source line with its 1-based number; ``code`` is True inside (or on) a code fence."""

    number: int
    text: str
    code: bool = False
    fence_indent: int = 0  # indentation of the fence this line belongs to, when ``code``

    @property
    def blank(self) -> bool:
        """Say whether the line holds only whitespace."""
        return not self.text.strip()

    @property
    def indented(self) -> bool:
        """Say whether the line starts with whitespace (a continuation inside a list item)."""
        return self.text[:1] in (" ", "\t") or (self.code and self.fence_indent > 0)


def normalize_newlines(text: str) -> str:
    """Make line numbers agree with editors: drop a BOM and treat CRLF and CR as LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_lines(text: str) -> list[str]:
    """Split on LF only, so that line numbers match what an editor shows."""
    return text.split("\n")


def mark_fences(texts: list[str], first_number: int, path: str) -> tuple[list[Line], list[Problem]]:
    """Number lines and mark code fences, reporting a fence that never closes at its opening line."""
    lines: list[Line] = []
    problems: list[Problem] = []
    opening: re.Match[str] | None = None
    opened_at = 0
    for offset, text in enumerate(texts):
        number = first_number + offset
        match = _FENCE_RE.match(text)
        if opening is None:
            if match and not _backtick_info_has_backtick(match):
                opening, opened_at = match, number
                lines.append(Line(number, text, True, len(match["indent"])))
            else:
                lines.append(Line(number, text))
            continue
        lines.append(Line(number, text, True, len(opening["indent"])))
        if match and _closes(opening, match):
            if len(match["fence"]) != len(opening["fence"]):
                problems.append(_fence_length_warning(path, number, opening["fence"], match["fence"]))
            opening = None
        elif match and _opens_inside(opening, match):
            # '```ts' inside an open ``` block is legal Markdown but almost always means the fence above
            # lost its closing line: everything after it (headings, '## Practice') would silently be code.
            where = (f" where the code ends: the next fence (line {number}) opens another block, so everything "
                     "in between, headings such as '## Practice' included, is shown as code")
            problems.append(_unclosed(path, opened_at, opening["fence"], where))
            opening, opened_at = match, number
            lines[-1] = Line(number, text, True, len(match["indent"]))
    if opening is not None:
        problems.append(_unclosed(path, opened_at, opening["fence"], " after the code"))
    return lines, problems


def _unclosed(path: str, opened_at: int, fence: str, where: str) -> Problem:
    return Problem(path, opened_at, f"code fence {fence} opened here never closes; add a line {fence}{where}")


def _opens_inside(opening: re.Match[str], match: re.Match[str]) -> bool:
    """Say whether a line inside a fence looks like the opening of another block of the same fence."""
    fence = match["fence"]
    same = fence[0] == opening["fence"][0] and len(fence) >= len(opening["fence"])
    info = match["info"].strip()
    return same and bool(info) and bool(re.fullmatch(r"[\w+#.-]+", info.split()[0]))


def _backtick_info_has_backtick(match: re.Match[str]) -> bool:
    return match["fence"][0] == "`" and "`" in match["info"]


def _closes(opening: re.Match[str], match: re.Match[str]) -> bool:
    fence = match["fence"]
    same_kind = fence[0] == opening["fence"][0] and len(fence) >= len(opening["fence"])
    return same_kind and not match["info"].strip()


def _fence_length_warning(path: str, number: int, opened: str, closed: str) -> Problem:
    return Problem(
        path,
        number,
        f"closing fence {closed} is longer than the opening {opened}; the renderer needs them "
        f"equal, so write {opened}",
        severity="warning",
    )


def heading(line: Line) -> tuple[int, str] | None:
    """Return (level, text) when the line is an ATX heading outside code, else None."""
    if line.code:
        return None
    match = _HEADING_RE.match(line.text)
    if not match:
        return None
    text = re.sub(r"\s+#+\s*\Z", "", match["text"]).strip()
    return len(match["hashes"]), text


def slugify(text: str) -> str:
    """Propose a slug for a title: lowercase ASCII letters and digits joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def is_slug(text: str) -> bool:
    """Say whether text is a valid key: lowercase letters, digits and '-'."""
    return bool(SLUG_RE.match(text))


def strip_blank_edges(lines: list[Line]) -> list[Line]:
    """Drop blank lines at both ends, keeping inner ones (they separate paragraphs)."""
    start, end = 0, len(lines)
    while start < end and lines[start].blank:
        start += 1
    while end > start and lines[end - 1].blank:
        end -= 1
    return lines[start:end]


def join(lines: list[Line]) -> str:
    """Join lines back into Markdown source."""
    return "\n".join(line.text for line in strip_blank_edges(lines))
