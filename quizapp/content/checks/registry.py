"""The registry of teaching checks: each rule is a named function, run on every parsed question or course.

A rule returns findings; the registry turns them into warnings carrying the rule's name and leaves out
questions whose heading says ``.allow-<name>``. To add a rule, write one module with a function and add a
``Check`` line below (docs/authoring.md, "Teaching checks").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..model import Lesson, Problem, Question
from . import (
    above_option,
    giveaway_hint,
    length_cue,
    letter_reference,
    missing_feedback,
    missing_solution,
    near_miss,
    number_like_text,
    position_cue,
    two_item_order,
    unmarked_select_all,
)

Finding = tuple[int, str]  # (line, message) inside the question's file
CourseFinding = tuple[str, int, str]  # (path, line, message) anywhere in the course
Placed = tuple[str, Question]  # a question with the path of its lesson file


@dataclass(frozen=True)
class Check:
    """One named teaching check: what it catches (one line) and the function that looks."""

    name: str
    catches: str
    question: Callable[[Question], Iterable[Finding]] | None = None
    course: Callable[[Sequence[Placed]], Iterable[CourseFinding]] | None = None


CHECKS: tuple[Check, ...] = (
    Check("length-cue", "the keyed choice is much longer than every distractor", question=length_cue.check),
    Check("position-cue", "keyed answers bunch in one authored position across a course", course=position_cue.check),
    Check("giveaway-hint", "a hint or the prompt contains the keyed answer", question=giveaway_hint.check),
    Check("above-option", "an 'all/none/both of the above' choice", question=above_option.check),
    Check("letter-reference", "feedback or a solution names a choice by letter or position",
          question=letter_reference.check),
    Check("missing-feedback", "a wrong choice without feedback", question=missing_feedback.check),
    Check("missing-solution", "a question without '#### Solution'", question=missing_solution.check),
    Check("two-item-order", "an order question with only two items", question=two_item_order.check),
    Check("near-miss", "a text answer whose likely near misses get no feedback", question=near_miss.check),
    Check("unmarked-select-all", "several [x] without .select-all (a stray [x]?)",
          question=unmarked_select_all.check),
    Check("number-like-text", "a text Answer: that is almost a number (4O5, 1,5) without .text",
          question=number_like_text.check),
)
CHECK_NAMES: tuple[str, ...] = tuple(check.name for check in CHECKS)


def check_question(question: Question, path: str) -> list[Problem]:
    """Run every question rule the question does not silence; give its warnings."""
    return [
        Problem(path, line, message, severity="warning", rule=check.name)
        for check in CHECKS
        if check.question is not None and not question.allows(check.name)
        for line, message in check.question(question)
    ]


def check_course(lessons: Iterable[Lesson]) -> list[Problem]:
    """Run every course rule over the course's questions, leaving out those that silence it."""
    placed = [(lesson.path, question) for lesson in lessons for question in lesson.questions]
    return [
        Problem(path, line, message, severity="warning", rule=check.name)
        for check in CHECKS
        if check.course is not None
        for path, line, message in check.course([p for p in placed if not p[1].allows(check.name)])
    ]
