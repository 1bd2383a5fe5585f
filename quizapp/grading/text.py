"""Free-text questions: folded literals, full-match regexes and anticipated wrong answers."""

from __future__ import annotations

import functools

import re2

from quizapp.content.model import TextAnswer, TextPattern

from .base import Form, Grade, ResponseError, single_value

MAX_TEXT = 500


def parse(answer: TextAnswer, form: Form) -> dict:
    """Read the typed text, trimmed but otherwise as typed, so it can be shown back and regraded."""
    text = single_value(form, "text", missing="Type an answer first.").strip()
    if not text:
        raise ResponseError("Type an answer first.")
    if len(text) > MAX_TEXT:
        raise ResponseError(f"That answer is too long (at most {MAX_TEXT} characters).")
    return {"text": text}


def grade(answer: TextAnswer, response: dict) -> Grade:
    """Accept any accepted pattern; otherwise name the first anticipated mistake that matches."""
    text = response["text"]
    if any(matches(p, text) for p in answer.accepted):
        return Grade(score=1.0, correct=True, feedback_html=(), matched=())
    for wrong in answer.wrong:
        if isinstance(wrong.match, TextPattern) and matches(wrong.match, text):
            feedback = (wrong.feedback_html,) if wrong.feedback_html else ()
            return Grade(score=0.0, correct=False, feedback_html=feedback, matched=(wrong.id,))
    return Grade(score=0.0, correct=False, feedback_html=(), matched=())


def matches(pattern: TextPattern, text: str) -> bool:
    """Compare a literal after folding, or full-match a regex against the trimmed text."""
    if pattern.regex is None:
        return fold(text) == fold(pattern.raw)
    try:
        compiled = _compiled(pattern.regex, pattern.ignore_case)
    except re2.error:  # stored before RE2 (look-around, \1): matches nothing until the next load refuses it
        return False
    return compiled.fullmatch(text.strip()) is not None


def fold(text: str) -> str:
    """Ignore what a learner should not lose marks for: case, outer and repeated whitespace."""
    return " ".join(text.casefold().split())


@functools.lru_cache(maxsize=1024)
def _compiled(regex: str, ignore_case: bool) -> re2._Regexp:
    """Compile each author regex once per process, with RE2: matching time is linear in the text."""
    options = re2.Options()
    options.case_sensitive = not ignore_case  # the same options as quizapp.content.parsing.values.regex_options
    options.log_errors = False
    return re2.compile(regex, options)
