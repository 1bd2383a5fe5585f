"""number-like-text: a one-line text answer that is a number but for a typo ('4O5', '1,5', 'l0').

Such an answer silently turns a number question into a text question; '.text' says it is meant.
"""

from __future__ import annotations

import re

from ..model import Question, TextAnswer

_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", ",": ".", "_": ""})
_NUMBER_RE = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?(?:\s*(?:±|\+-|\.\.)\s*[-+]?(?:\d+\.?\d*|\.\d+))?\Z")


def check(question: Question) -> list[tuple[int, str]]:
    """Warn at each literal Answer: that reads as a number once look-alike letters are fixed."""
    answer = question.answer
    if not isinstance(answer, TextAnswer) or "text" in question.markers:
        return []
    lines = question.answer_lines or (question.line,) * len(answer.accepted)
    found = []
    for line, pattern in zip(lines, answer.accepted, strict=False):
        raw = pattern.raw.strip()
        fixed = raw.replace(" ", "").translate(_LOOKALIKES)
        typo = not _NUMBER_RE.match(raw)  # '42' next to a worded answer is a number, not a typo
        if pattern.regex is None and typo and re.search(r"\d", raw) and _NUMBER_RE.match(fixed):
            message = (
                f"'Answer: {raw}' is almost a number, so this became a text question; if you meant the number, "
                f"write it with digits and a decimal point (e.g. 'Answer: {_example(fixed)}'); if text is meant, "
                f"add .text to the heading ({{#{question.id} .text}})"
            )
            found.append((line, message))
    return found


def _example(fixed: str) -> str:
    return fixed.replace("+-", " ± ").replace("±", " ± ").replace("  ", " ")
