"""Answer keys as stored JSON: the snapshot a question version keeps, rebuilt for grading, and its fingerprint."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from .model import (
    Answer,
    Choice,
    ChoiceAnswer,
    NumberAnswer,
    NumberRange,
    OrderAnswer,
    OrderItem,
    TextAnswer,
    TextPattern,
    WrongAnswer,
)

_ANSWER_TYPES = {"choice": ChoiceAnswer, "text": TextAnswer, "number": NumberAnswer, "order": OrderAnswer}


def answer_to_dict(answer: Answer) -> dict:
    """Turn an answer key into plain JSON data for a question version's snapshot."""
    return asdict(answer)


def answer_from_dict(data: dict) -> Answer:
    """Rebuild an answer key from ``answer_to_dict`` output."""
    kind = data["kind"]
    if kind == "choice":
        return ChoiceAnswer(
            choices=tuple(Choice(**c) for c in data["choices"]),
            partial_credit=data.get("partial_credit", False),
        )
    if kind == "order":
        return OrderAnswer(items=tuple(OrderItem(**i) for i in data["items"]))
    if kind == "text":
        return TextAnswer(
            accepted=tuple(TextPattern(**p) for p in data["accepted"]),
            wrong=tuple(_wrong_from_dict(w, TextPattern) for w in data.get("wrong", ())),
        )
    if kind == "number":
        return NumberAnswer(
            accepted=tuple(NumberRange(**r) for r in data["accepted"]),
            wrong=tuple(_wrong_from_dict(w, NumberRange) for w in data.get("wrong", ())),
        )
    raise ValueError(f"unknown answer kind {kind!r}; known: {sorted(_ANSWER_TYPES)}")


def _wrong_from_dict(data: dict, match_type: type) -> WrongAnswer:
    return WrongAnswer(**{**data, "match": match_type(**data["match"])})


def answer_key_hash(answer: Answer) -> str:
    """Fingerprint what decides correctness, so a reload can tell a new answer key from a reworded one.

    Feedback, rendered HTML and line numbers are left out: rewording feedback or moving a question is not a
    new version; changing
    which choices exist or are right, or what text/number is accepted, is.
    """
    return _key_hash(answer_to_dict(answer))


def answer_snapshot(answer: Answer) -> tuple[dict, str]:
    """Give ``answer_to_dict`` and ``answer_key_hash`` of an answer, converting it only once."""
    data = answer_to_dict(answer)
    return data, _key_hash(data)


def _key_hash(data: dict) -> str:
    blob = json.dumps(_without_presentation(data), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _without_presentation(node: object) -> object:
    if isinstance(node, dict):
        return {
            key: _without_presentation(value)
            for key, value in node.items()
            if not (key.endswith("html") or key in ("feedback", "line"))
        }
    if isinstance(node, (list, tuple)):  # answer_to_dict keeps a dataclass's tuples as tuples
        return [_without_presentation(value) for value in node]
    return node
