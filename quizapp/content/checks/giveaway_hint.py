"""giveaway-hint: a hint, or the prompt, contains the keyed answer's text.

Texts are compared in plain form (markup dropped, case and spaces folded) on word boundaries; keys shorter
than 4 characters ('GET') are left out, as is code in fenced blocks of the prompt (a snippet may
rightly show the name asked about). A choice text mentioned next to a distractor is a comparison, not a
giveaway. A number answer that is an HTTP status code is given away by its number or by its name
("Method Not Allowed" for 405).
"""

from __future__ import annotations

from http import HTTPStatus

from ..model import ChoiceAnswer, NumberAnswer, Question, TextAnswer
from .plain import contains_words, plain, without_fences

MIN_KEY = 4
MIN_PROMPT_KEY = 8  # in the prompt a one-word key must be longer: 'Pick the right one' does not give 'Right' away


def check(question: Question) -> list[tuple[int, str]]:
    """Warn at each hint (or the heading, for the prompt) that gives the key away."""
    keys, others = _keys(question)
    if not keys:
        return []
    found = []
    for line, hint in zip(question.hint_lines, question.hints, strict=False):
        if key := _given_away(plain(hint), keys, others or []):
            found.append((line, f"this hint contains the answer '{key}': rewrite it to point at the idea "
                                "(where to look, what to compare), not at the answer"))
    in_prompt = [key for key in keys if len(key) >= MIN_PROMPT_KEY or " " in key] if others is not None else []
    if key := _given_away(plain(without_fences(question.prompt)), in_prompt, others or []):
        found.append((question.line, f"the prompt contains the answer '{key}': reword the prompt so that "
                                     "it does not say the answer"))
    return found


def _keys(question: Question) -> tuple[list[str], list[str] | None]:
    """Give the plain keys and distractors; distractors None for a number (the prompt may name it)."""
    answer = question.answer
    if isinstance(answer, ChoiceAnswer):
        keys = [plain(c.text) for c in answer.choices if c.correct]
        others = [plain(c.text) for c in answer.choices if not c.correct]
    elif isinstance(answer, TextAnswer):
        keys, others = [plain(p.raw) for p in answer.accepted if p.regex is None], []
    elif isinstance(answer, NumberAnswer):
        return _status_names(answer), None
    else:
        return [], []
    return [key for key in keys if len(key) >= MIN_KEY], [other for other in others if other]


def _given_away(text: str, keys: list[str], others: list[str]) -> str | None:
    if not text or any(contains_words(text, other) for other in others):
        return None
    return next((key for key in keys if contains_words(text, key)), None)


def _status_names(answer: NumberAnswer) -> list[str]:
    """Give an HTTP status code's number and name when the exact answer is one."""
    names = []
    for accepted in answer.accepted:
        code = int(accepted.low) if accepted.low == accepted.high and 100 <= accepted.low < 600 else 0
        if code in _STATUS:
            names += [str(code), plain(_STATUS[code])]
    return names


_STATUS = {status.value: status.phrase for status in HTTPStatus}
