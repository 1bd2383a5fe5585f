"""unmarked-select-all: more than one [x] makes a select-all question; without '.select-all' it may be a typo.

'.select-all' (or '.partial-credit', which only select-all questions take) says the author means it.
"""

from __future__ import annotations

from ..model import ChoiceAnswer, Question


def check(question: Question) -> list[tuple[int, str]]:
    """Warn at the second [x] of an unmarked select-all question, or at a marked single-choice one."""
    answer = question.answer
    if not isinstance(answer, ChoiceAnswer):
        return []
    keys = [choice.line for choice in answer.choices if choice.correct]
    marked = "select-all" in question.markers or "partial-credit" in question.markers
    if len(keys) > 1 and not marked:
        lines = ", ".join(str(line) for line in keys)
        message = (
            f"{len(keys)} choices are marked [x] (lines {lines}), so learners must select all of them; if "
            f"that is meant, add .select-all to the heading ({{#{question.id} .select-all}}), otherwise "
            "keep one [x] and make the others [ ]"
        )
        return [(keys[1], message)]
    if len(keys) == 1 and "select-all" in question.markers:
        message = "the heading says .select-all but only one choice is marked [x]; mark every right choice"
        return [(question.line, message)]
    return []
