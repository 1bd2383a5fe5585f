"""length-cue: the keyed choice of a single-choice question is far longer than every distractor.

Test-wise learners pick the longest option; more than 1.5 times every distractor's length (in plain
characters, and at least 5 characters longer) is the cue. Select-all questions are left out.
"""

from __future__ import annotations

from ..model import Question
from .plain import plain, single_choice

RATIO = 1.5
MIN_GAP = 5  # '404' against '5' is no cue: tiny options differ by a few characters


def check(question: Question) -> list[tuple[int, str]]:
    """Warn at the key's line when it is the giveaway longest option."""
    found = single_choice(question)
    if found is None:
        return []
    key, distractors = found
    key_len = len(plain(key.text))
    longest = max(len(plain(choice.text)) for choice in distractors)
    if key_len <= RATIO * longest or key_len - longest < MIN_GAP:
        return []
    message = (
        f"the right choice is {key_len} characters, more than {RATIO:g} times every wrong one (longest "
        f"{longest}): learners who pick the longest option score without knowing why; shorten it, or give "
        "the wrong choices the same care and qualifiers"
    )
    return [(key.line, message)]
