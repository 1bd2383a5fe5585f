"""Numeric questions: exact values, tolerances and ranges, typed the way people write numbers."""

from __future__ import annotations

import math
import re

from quizapp.content.model import NumberAnswer, NumberRange

from .base import Form, Grade, ResponseError, single_value

MAX_NUMBER = 64
NOT_A_NUMBER = "Enter a number, like 42 or 3.5."

# Thousands groups: "1 000", "1_000", "1 000 000", "1,000,000", "1,000.5" (also no-break spaces).
_SEPARATORS = " _,\u00a0\u202f"
_GROUPED = re.compile(rf"[0-9]{{1,3}}(?P<sep>[{_SEPARATORS}])[0-9]{{3}}(?:(?P=sep)[0-9]{{3}})*")
_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_AMBIGUOUS_COMMA = re.compile(r"(?P<whole>[0-9]{1,3}),(?P<part>[0-9]{3})")


def parse(answer: NumberAnswer, form: Form) -> dict:
    """Read the typed number, keeping the text as typed for showing it back."""
    raw = single_value(form, "number", missing=NOT_A_NUMBER).strip()
    if len(raw) > MAX_NUMBER:
        raise ResponseError(f"That number is too long (at most {MAX_NUMBER} characters).")
    return {"number": parse_number(raw), "raw": raw}


def parse_number(text: str) -> float:
    """Turn '42', '-3.5', '3,5', '1e3', '1 000' or '+7' into a finite float."""
    text = text.strip().replace("\u2212", "-")  # the minus sign copied from typeset pages
    sign, digits = (text[0], text[1:]) if text[:1] in ("+", "-") else ("", text)
    if digits.count(",") == 1 and "." not in digits:
        digits = _decimal_comma(digits)
    grouped = _GROUPED.match(digits)
    if grouped and digits[grouped.end() :][:1] in ("", ".", "e", "E"):
        digits = grouped.group().replace(grouped["sep"], "") + digits[grouped.end() :]
    if not _PLAIN.fullmatch(sign + digits):
        raise ResponseError(NOT_A_NUMBER)
    value = float(sign + digits)
    if not math.isfinite(value):
        raise ResponseError("That number is too large.")
    return value


def _decimal_comma(digits: str) -> str:
    """Read one comma as a decimal point ('3,5'), refusing '1,500', which could mean either."""
    ambiguous = _AMBIGUOUS_COMMA.fullmatch(digits)
    if ambiguous:
        whole, part = ambiguous["whole"], ambiguous["part"]
        raise ResponseError(f"Write {whole}{part} or {whole}.{part}, so it is clear which number you mean.")
    return digits.replace(",", ".")


def grade(answer: NumberAnswer, response: dict) -> Grade:
    """Accept a value inside any accepted range; otherwise name the first anticipated mistake."""
    value = float(response["number"])
    if any(within(r, value) for r in answer.accepted):
        return Grade(score=1.0, correct=True, feedback_html=(), matched=())
    for wrong in answer.wrong:
        if isinstance(wrong.match, NumberRange) and within(wrong.match, value):
            feedback = (wrong.feedback_html,) if wrong.feedback_html else ()
            return Grade(score=0.0, correct=False, feedback_html=feedback, matched=(wrong.id,))
    return Grade(score=0.0, correct=False, feedback_html=(), matched=())


def within(bounds: NumberRange, value: float) -> bool:
    """Test an inclusive range with a tiny relative slack, so 0.1 + 0.2 still equals 0.3."""
    slack = 1e-9 * max(1.0, abs(value))
    return bounds.low - slack <= value <= bounds.high + slack
