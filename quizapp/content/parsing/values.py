"""The values after 'Answer:' and 'Wrong:': numbers, tolerances, ranges, literals and regexes.

Parsing an answer key is kept apart from grading (``quizapp.grading``) so that a malformed key
is reported when content loads, never when a learner submits.
"""

from __future__ import annotations

import math
import re

import re2

from ..model import NumberRange, TextPattern

_NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_EXACT_RE = re.compile(rf"\s*(?P<value>{_NUM})\s*\Z")
_TOLERANCE_RE = re.compile(rf"\s*(?P<value>{_NUM})\s*(?:±|\+-|\+/-)\s*(?P<tolerance>{_NUM})\s*\Z")
_RANGE_RE = re.compile(rf"\s*(?P<low>{_NUM})\s*\.\.\s*(?P<high>{_NUM})\s*\Z")
_NUMERIC_CHARS_RE = re.compile(r"[\d\s.eE+\-±/]+\Z")
_REGEX_RE = re.compile(r"/(?P<pattern>.*)/(?P<flags>[A-Za-z]*)\Z", re.DOTALL)

_REGEX_FIX = (
    "regexes use the RE2 dialect: no backreferences (\\1) or look-around ((?=, (?!, (?<=); escape special "
    "characters such as ( [ . * + ? with a backslash"
)
NUMBER_FORMS = "42, 42 ± 0.5 (or 42 +- 0.5) or 40..44"


class ValueProblem(ValueError):
    """A malformed answer value; the message says what is wrong and how to write it."""


def parse_number(raw: str) -> NumberRange | None:
    """Read a number form, None when raw is not meant as a number, ValueProblem when malformed."""
    if match := _EXACT_RE.match(raw):
        value = _finite(match["value"], raw)
        return NumberRange(raw=raw, low=value, high=value)
    if match := _TOLERANCE_RE.match(raw):
        return _tolerance(raw, _finite(match["value"], raw), _finite(match["tolerance"], raw))
    if match := _RANGE_RE.match(raw):
        return _range(raw, _finite(match["low"], raw), _finite(match["high"], raw))
    if _NUMERIC_CHARS_RE.match(raw) and re.search(r"\d", raw) and re.search(r"\.\.|±|\+-", raw):
        raise ValueProblem(f"'{raw}' is not a valid number form; write {NUMBER_FORMS}")
    return None


def _finite(text: str, raw: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueProblem(f"'{raw}' is too large to be a number; use a smaller value")
    return value


def _tolerance(raw: str, value: float, tolerance: float) -> NumberRange:
    if tolerance < 0:
        raise ValueProblem(f"tolerance in '{raw}' is negative; write it as a positive number, e.g. 42 ± 0.5")
    low, high = value - tolerance, value + tolerance
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueProblem(f"'{raw}' is too large to be a number; use a smaller value")
    return NumberRange(raw=raw, low=low, high=high)


def _range(raw: str, low: float, high: float) -> NumberRange:
    if low > high:
        raise ValueProblem(
            f"range '{raw}' runs backwards; write the low end first, e.g. {_g(high)}..{_g(low)}"
        )
    return NumberRange(raw=raw, low=low, high=high)


def _g(value: float) -> str:
    return f"{value:g}"


def parse_text(raw: str) -> tuple[TextPattern, list[str]]:
    """Read a literal or /regex/ (flag i allowed); return it with any regex warnings."""
    match = _REGEX_RE.match(raw)
    if not match:
        return TextPattern(raw=raw), []
    pattern, flags = match["pattern"], match["flags"]
    unknown = sorted(set(flags) - {"i"})
    if unknown:
        raise ValueProblem(
            f"regex flag '{''.join(unknown)}' in {raw} is not supported; only /.../i (ignore case) is"
        )
    if not pattern:
        raise ValueProblem(f"regex {raw} is empty; write the pattern between the slashes, e.g. /colou?r/")
    return TextPattern(raw=raw, regex=pattern, ignore_case="i" in flags), _compile(pattern, flags, raw)


def _compile(pattern: str, flags: str, raw: str) -> list[str]:
    """Compile with RE2, as grading does, to prove the regex works and matches in linear time."""
    try:
        re2.compile(pattern, regex_options("i" in flags))
    except re2.error as err:
        raise ValueProblem(f"regex {raw} is not accepted: {_reason(err)}; {_REGEX_FIX}") from None
    return []


def regex_options(ignore_case: bool) -> re2.Options:
    """Give the RE2 options of every author regex (the checker and the grader use the same)."""
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.log_errors = False  # a refused pattern is reported to its author, not logged to stderr
    return options


def _reason(err: re2.error) -> str:
    reason = err.args[0] if err.args else str(err)
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
