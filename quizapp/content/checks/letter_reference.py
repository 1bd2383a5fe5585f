"""letter-reference: feedback, a hint or the solution names a choice by letter or position.

Choices are shuffled per learner, so "option b" or "the first option" points at a different choice for
each of them. Code (fenced or inline) is not searched: `f(a)` is code, not a reference.
"""

from __future__ import annotations

import re

from ..model import ChoiceAnswer, Question
from .plain import prose

_REFERENCE_RE = re.compile(
    r"\b(?:options?|choices?|answers?)\s+\(?[b-hB-H]\)?(?![\w'’])"
    r"|\b(?:options?|choices?)\s+\(?[aA]\)?(?=\s*(?:[),.;:!?]|$|(?:is|was|and|or|would|says|claims)\b))"
    r"|\b(?:options?|choices?)\s+[1-9]\b"
    r"|(?<![\w)\]])\([a-hA-H]\)(?!\w)"
    r"|\bthe\s+(?:first|second|third|fourth|fifth|last|top|bottom|previous|next)\s+(?:options?|choices?|answers?)\b"
    r"|\b(?:options?|choices?)\s+(?:above|below)\b",
    re.IGNORECASE | re.MULTILINE,
)


def check(question: Question) -> list[tuple[int, str]]:
    """Warn at each feedback, hint or solution that points at a choice by where it stands."""
    answer = question.answer
    if not isinstance(answer, ChoiceAnswer):
        return []
    texts = [(choice.line, choice.feedback, "this choice's feedback") for choice in answer.choices]
    texts += [(line, hint, "this hint") for line, hint in zip(question.hint_lines, question.hints, strict=False)]
    texts.append((question.solution_line or question.line, question.solution, "the solution"))
    return [
        (line, f"{what} says '{match[0]}', but choices are shuffled for each learner, so that names a "
               "different choice for each; quote the choice's words instead")
        for line, text, what in texts
        if text and (match := _REFERENCE_RE.search(prose(text)))
    ]
