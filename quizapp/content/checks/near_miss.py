"""near-miss: a text answer whose likely near misses are accepted by mistake or get no feedback.

Cheap and literal-only (regex keys are the author's own precise statement, so they are left alone):
- case: literal answers fold case, so for a name where case matters (a file name, a camelCase identifier)
  'Route.ts' is accepted for 'route.ts';
- siblings: 'route.js' for 'route.ts', '.jsx' for '.tsx', 'layout' for 'page', ... with no 'Wrong:' line
  naming the mistake (a literal Wrong: line of the same text counts, a regex one is trusted).
"""

from __future__ import annotations

import re

from ..model import Question, TextAnswer, TextPattern

_FILE_RE = re.compile(r"[\w./\[\]()@-]*\.[A-Za-z]{1,5}\Z")
_CAMEL_RE = re.compile(r"[a-z][A-Z]|^[A-Z][a-z]+[A-Z]")
_EXTENSIONS = {"ts": ("js", "tsx"), "tsx": ("jsx", "ts"), "js": ("ts", "jsx"), "jsx": ("tsx", "js"),
               "mjs": ("js", "cjs"), "cjs": ("js", "mjs"), "py": ("pyc",), "yml": ("yaml",), "yaml": ("yml",)}
_STEMS = {"page": ("layout", "route"), "layout": ("page", "template"), "route": ("page", "api"),
          "template": ("layout",), "loading": ("error",), "error": ("loading", "not-found"),
          "middleware": ("proxy",), "server": ("client",), "client": ("server",)}
_PRODUCT_RE = re.compile(r"(?:next|node|vue|react|express|nuxt|nest|d3|three|chart|ember|backbone)\.js\Z", re.I)
_STEM_RE = re.compile(r"(?<![\w-])(" + "|".join(_STEMS) + r")(?=\.[A-Za-z]+\Z)")


def check(question: Question) -> list[tuple[int, str]]:
    """Warn at an Answer: line whose case or sibling variants slip through."""
    answer = question.answer
    if not isinstance(answer, TextAnswer):
        return []
    lines = question.answer_lines or (question.line,) * len(answer.accepted)
    found = []
    for line, pattern in zip(lines, answer.accepted, strict=False):
        if pattern.regex is not None:
            continue
        raw = pattern.raw.strip().strip("`")
        if _case_matters(raw):
            found.append((line, f"literal answers ignore case, so '{_recase(raw)}' is accepted as well as '{raw}'; "
                                f"if case matters, write the answer as a regex: 'Answer: /{re.escape(raw)}/'"))
        missing = [s for s in siblings(raw) if not _covered(s, answer)]
        if missing:
            wrongs = "', 'Wrong: ".join(missing)
            found.append((line, f"a learner who types a near miss ('{missing[0]}') gets no feedback; add "
                                f"'Wrong: {wrongs}' lines, each with a '>' quote naming the mistake"))
    return found


def siblings(raw: str) -> list[str]:
    """Give likely wrong answers next to a file name: other extensions, other special files."""
    stem, dot, ext = raw.rpartition(".")
    if not dot or not _is_file(raw):
        return []
    found = [f"{stem}.{other}" for other in _EXTENSIONS.get(ext.lower(), ())]
    if match := _STEM_RE.search(raw):
        found += [raw[: match.start()] + other + raw[match.end() :] for other in _STEMS[match[1]]]
    return [s for s in found if s.casefold() != raw.casefold()]


def _is_file(raw: str) -> bool:
    """Say whether the answer reads as a file name ('route.ts'), not a product ('Next.js')."""
    return bool(_FILE_RE.match(raw)) and not _PRODUCT_RE.search(raw)


def _case_matters(raw: str) -> bool:
    return any(c.isalpha() for c in raw) and (_is_file(raw) or bool(_CAMEL_RE.search(raw)))


def _recase(raw: str) -> str:
    swapped = raw[:1].swapcase() + raw[1:]
    return swapped if swapped != raw else raw.upper()


def _covered(text: str, answer: TextAnswer) -> bool:
    """Say whether an Answer:/Wrong: line already handles the text (a regex is trusted to)."""
    wrong = [w.match for w in answer.wrong if isinstance(w.match, TextPattern)]
    patterns: list[TextPattern] = [*answer.accepted, *wrong]
    return any(p.regex is not None or _fold(p.raw) == _fold(text) for p in patterns)


def _fold(text: str) -> str:
    return " ".join(text.strip().strip("`").casefold().split())
