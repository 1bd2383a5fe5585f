"""above-option: a choice such as "All of the above", "None of the above" or "Both a and b".

Such options are keyed far more often than chance, and under the per-learner shuffle "above" points at
nothing. Ask about each statement instead, or make it a select-all question.
"""

from __future__ import annotations

import re

from ..model import ChoiceAnswer, Question
from .plain import plain

_ABOVE_RE = re.compile(
    r"\b(?:all|none|both|neither|any)\s+of\s+(?:the\s+)?(?:above|these|those|them|the\s+others|the\s+options)\b"
    r"|\b(?:both|neither)\s+\(?[a-h]\)?\s+(?:and|nor)\s+\(?[a-h]\)?(?!\w)"
)


def check(question: Question) -> list[tuple[int, str]]:
    """Warn at each choice that refers to the other choices as a whole."""
    if not isinstance(question.answer, ChoiceAnswer):
        return []
    shuffled = "" if question.fixed_order else " (and the shuffle moves the choices it refers to)"
    return [
        (choice.line, f"choice '{match[0]}' refers to the other choices{shuffled}: test-wise learners pick "
                      "it; make it a select-all question, or replace it with one more real mistake")
        for choice in question.answer.choices
        if (match := _ABOVE_RE.search(plain(choice.text)))
    ]
