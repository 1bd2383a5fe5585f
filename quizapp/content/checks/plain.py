"""Markdown reduced to what a learner reads, so rules compare words, not markup."""

from __future__ import annotations

import re

from ..model import Choice, ChoiceAnswer, Question

_FENCED_RE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN_RE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP_RE = re.compile(r"[*`]|(?<!\w)_|_(?!\w)")  # HTML-looking text stays: '`<Link>`' is a key's words


def plain(markdown: str) -> str:
    """Drop inline markup and links' targets; fold case and whitespace."""
    text = _LINK_RE.sub(r"\1", markdown)
    return " ".join(_MARKUP_RE.sub("", text).casefold().split())


def prose(markdown: str) -> str:
    """Keep only prose: fenced blocks and inline code spans become a space."""
    text = _FENCED_RE.sub(" ", markdown)
    return _CODE_SPAN_RE.sub(" ", text)


def without_fences(markdown: str) -> str:
    """Drop fenced code blocks, keeping inline code (an answer quoted inline still gives it away)."""
    return _FENCED_RE.sub(" ", markdown)


def single_choice(question: Question) -> tuple[Choice, list[Choice]] | None:
    """Give (key, distractors) of a single-choice question, else None."""
    answer = question.answer
    if not isinstance(answer, ChoiceAnswer) or answer.multiple:
        return None
    keys = [choice for choice in answer.choices if choice.correct]
    return keys[0], [choice for choice in answer.choices if not choice.correct]


def contains_words(haystack: str, needle: str) -> bool:
    """Say whether the plain needle occurs in the plain haystack on word boundaries."""
    return re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", haystack) is not None
