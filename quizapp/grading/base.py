"""What every grader shares: the Grade it returns, the error for unreadable input, form access."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

Form = Mapping[str, Sequence[str]]
"""Raw input as ``MultiDict.to_dict(flat=False)`` gives it: field name -> every value sent."""

UNREADABLE = "That answer could not be read; reload the page and try again."


@dataclass(frozen=True)
class Grade:
    """The verdict on one response, with what is needed to show feedback and analyse items."""

    score: float  # 0.0 .. 1.0
    correct: bool
    feedback_html: tuple[str, ...]  # the author's feedback for the exact mistakes made, in authored order
    matched: tuple[str, ...]  # ids of the choices picked / the WrongAnswer matched, for item analysis
    missed: tuple[str, ...] = ()  # select-all only: ids of correct choices not picked


class ResponseError(ValueError):
    """Raised for input that cannot be graded, so it costs the learner no attempt."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Grader(NamedTuple):
    """One question kind: how to read its form, and how to grade what was read."""

    parse: Callable[[Any, Form], dict]
    grade: Callable[[Any, dict], Grade]


def field_values(form: Form, name: str) -> list[str]:
    """Return every value of a field, refusing anything a browser could not have sent."""
    raw = form.get(name, ())
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
        raise ResponseError(UNREADABLE)
    if any("\x00" in v for v in raw):  # no database text column stores NUL
        raise ResponseError(UNREADABLE)
    return list(raw)


def single_value(form: Form, name: str, *, missing: str) -> str:
    """Return the one value of a field that must be sent exactly once."""
    values = field_values(form, name)
    if not values:
        raise ResponseError(missing)
    if len(values) > 1:
        raise ResponseError("Send only one answer.")
    return values[0]
