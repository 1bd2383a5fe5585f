"""Relative links and images must stay inside the course folder and point at files that exist."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from ..model import Problem
from .text import Line

_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_INLINE_RE = re.compile(r"\]\(\s*(?:<(?P<angle>[^>\n]*)>|(?P<plain>[^\s)]+))")
_REF_DEF_RE = re.compile(r"\s{0,3}\[[^\]]+\]:\s*(?:<(?P<angle>[^>\n]*)>|(?P<plain>\S+))")
_HTML_RE = re.compile(
    r"<(?:img|a)\b[^>]*?\b(?:src|href)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))",
    re.IGNORECASE,
)
_SCHEME_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
# Every target _targets finds needs one of these: "](" (inline), "]:" (reference) or an <img>/<a> tag.
_ANY_LINK_RE = re.compile(r"\]\(|\]:|<(?:img|a)\b", re.IGNORECASE)


def may_have_links(text: str) -> bool:
    """Say whether text may hold a link or image; False means ``check_links`` would find none."""
    return _ANY_LINK_RE.search(text) is not None


def check_links(lines: list[Line], path: str, course_dir: Path) -> list[Problem]:
    """Report relative links and images that leave ``course_dir`` or point to a missing file."""
    problems: list[Problem] = []
    for line in lines:
        if line.code:
            continue
        for column, target in _targets(line.text):
            message = _target_problem(target, course_dir)
            if message:
                problems.append(Problem(path, line.number, message, column=column))
    return problems


def _targets(text: str) -> Iterator[tuple[int, str]]:
    """Yield (1-based column, url) for every link, image, reference definition and <img>/<a> tag."""
    text = _CODE_SPAN_RE.sub(lambda m: " " * len(m.group()), text)
    for match in _INLINE_RE.finditer(text):
        group = "angle" if match["angle"] is not None else "plain"
        yield match.start(group) + 1, match[group]
    if match := _REF_DEF_RE.match(text):
        group = "angle" if match["angle"] is not None else "plain"
        yield match.start(group) + 1, match[group]
    for match in _HTML_RE.finditer(text):
        group = next(g for g in ("dq", "sq", "bare") if match[g] is not None)
        yield match.start(group) + 1, match[group]


def _target_problem(url: str, course_dir: Path) -> str | None:
    url = url.strip()
    if not url or url.startswith(("#", "//")) or _SCHEME_RE.match(url):
        return None
    target = unquote(re.split(r"[?#]", url, maxsplit=1)[0])
    if not target:
        return None
    if target.startswith("/"):
        return (
            f"link '{url}' starts with '/'; write it relative to the lesson file, e.g. 'assets/picture.png'"
        )
    try:
        base = course_dir.resolve()
        resolved = (base / target).resolve()
        exists = resolved.exists()
    except (OSError, ValueError):
        return f"link '{url}' is not a usable file path; write it like 'assets/picture.png'"
    if not resolved.is_relative_to(base):
        return (
            f"link '{url}' leaves the course folder; put the file inside the course (e.g. in assets/) "
            "and link to it there"
        )
    if not exists:
        return f"link '{url}' points to a missing file{_suggestion(target, base)}"
    return None


def _suggestion(target: str, base: Path) -> str:
    names = [
        p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file() and not p.name.startswith(".")
    ]
    close = difflib.get_close_matches(target, names, n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return "; check the spelling, or add the file (images and downloads go in assets/)"
