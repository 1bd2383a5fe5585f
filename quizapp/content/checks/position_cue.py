"""position-cue: across a course, keys bunch in one authored position, or select-all lists always open with keys.

Choices are shuffled for learners unless '.fixed-order', but exports, prints and fixed-order questions keep
the authored order, and a habit ("it is usually b") is a habit. Courses with fewer than 5 single-choice
questions (or 2 select-all questions) are too small to tell a habit from chance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..model import ChoiceAnswer, Question
from .plain import single_choice

SHARE = 0.4
MIN_SINGLE = 5
MIN_SELECT_ALL = 2


def check(placed: Sequence[tuple[str, Question]]) -> list[tuple[str, int, str]]:
    """Warn once per course for a favourite key position and once for select-all keys always first."""
    return _favourite_position(placed) + _select_all_first(placed)


def _favourite_position(placed: Sequence[tuple[str, Question]]) -> list[tuple[str, int, str]]:
    keyed = []
    for path, question in placed:
        found = single_choice(question)
        if found is not None:
            key = found[0]
            keyed.append((question.answer.choices.index(key), path, key.line))  # type: ignore[union-attr]
    if len(keyed) < MIN_SINGLE:
        return []
    position, count = Counter(index for index, _, _ in keyed).most_common(1)[0]
    if count <= SHARE * len(keyed):
        return []
    where = [(path, line) for index, path, line in keyed if index == position]
    message = (
        f"{count} of {len(keyed)} single-choice keys in this course are choice {_ordinal(position)} "
        f"(over {SHARE:.0%}): a learner who always picks it scores without knowing why; move some keys to "
        f"other positions (this is the first; the others: {_places(where[1:])})"
    )
    return [(where[0][0], where[0][1], message)]


def _select_all_first(placed: Sequence[tuple[str, Question]]) -> list[tuple[str, int, str]]:
    select_all = [(path, q) for path, q in placed if isinstance(q.answer, ChoiceAnswer) and q.answer.multiple]
    if len(select_all) < MIN_SELECT_ALL or not all(_keys_first(q.answer) for _, q in select_all):  # type: ignore[arg-type]
        return []
    path, question = select_all[0]
    message = (
        f"all {len(select_all)} select-all questions of this course open with right choices: "
        "a learner who ticks the top ones scores; mix right and wrong choices in every list"
    )
    return [(path, question.line, message)]


def _keys_first(answer: ChoiceAnswer) -> bool:
    """Say whether the list opens with two right choices (or is all right choices, then all wrong)."""
    marks = [choice.correct for choice in answer.choices]
    return all(marks[:2]) or marks == sorted(marks, reverse=True)


def _ordinal(index: int) -> str:
    return f"{chr(ord('a') + index)} (number {index + 1})" if index < 26 else f"number {index + 1}"


def _places(where: list[tuple[str, int]], shown: int = 5) -> str:
    names = [f"{path.rsplit('/', 1)[-1]}:{line}" for path, line in where[:shown]]
    return ", ".join(names) + (f" and {len(where) - shown} more" if len(where) > shown else "")
