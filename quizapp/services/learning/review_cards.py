"""Review cards from answers, in the answer's own transaction: make a card, rate a review, count a try.

``record`` is called by ``practice`` right after an attempt is stored and merged into the summaries, on the
same ``quizapp.speed.direct`` transaction, so a refused duplicate (the idempotency key) never rates twice:

- the learner's first graded answer on a question's current answer key (the summary upsert's
  ``attempts == 1``: no extra query on a lesson's common path) makes the card, or makes it new again;
- an answer in a review round whose card is still due at the round's time is the review: rated by this
  first answer, and the card moved on (a guarded UPDATE: two racing answers rate once), and counted in the
  learner's review outcomes (its recall bin, and whether it is the first review since the card was made);
- any other answer in a review round is a try (feedback), counted for the round; anything else is practice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Boolean, bindparam, insert, or_, true, update

from quizapp.database import conflict_insert
from quizapp.models import ReviewCard, ReviewLog
from quizapp.services.learning import review_schedule as schedule
from quizapp.services.learning.presenter import GAVE_UP
from quizapp.services.teaching.summaries import fading


@dataclass(frozen=True)
class CardRow:
    """A card as read before the answer: what rating it needs."""

    version: int
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    suspended: bool


@dataclass(frozen=True)
class Round:
    """The review round an answer belongs to: the card as shown, the round's name (its due then), and now."""

    due: datetime
    now: datetime
    card: CardRow | None


def record(stored, attempt_id: int, attempt: Mapping, attempts: int, review: Round | None = None) -> datetime | None:
    """Make, rate or count a card for a just-stored attempt; give the card's new due time if it was made or
    rated (None for a try or practice)."""
    if attempts == 1:
        return _make(stored, attempt_id, attempt, review)
    if review is None:
        return None
    due = _rate(stored, attempt_id, attempt, review)
    if due is not None:
        return due
    stored.execute(_statements(stored.dialect.name).count_try,
                   {"uid": attempt["user_id"], "qid": attempt["question_id"], "round": review.due,
                    "attempt_id": attempt_id, "gave_up": _gave_up(attempt)})
    return None


def is_due(review: Round, version: int) -> bool:
    """Say whether an answer in this round is the card's review: shown due, still due, not suspended."""
    card = review.card
    return (card is not None and not card.suspended and card.version == version
            and schedule.utc(card.due) == schedule.utc(review.due) and schedule.utc(card.due) <= review.now)


def _make(stored, attempt_id: int, attempt: Mapping, review: Round | None) -> datetime:
    now = review.now if review is not None else schedule.utc(attempt["created_at"])
    rating = schedule.rating_for(attempt["correct"], attempt["hints_used"])
    card = schedule.first_card(rating, now)
    values = {"user_id": attempt["user_id"], "question_id": attempt["question_id"], "version": attempt["version"],
              **schedule.card_values(card), "reviews": 1, "suspended": False,
              "round_due": None if review is None else review.due, "tries": int(review is not None),
              "hints": attempt["hints_used"] if review is not None else 0,
              "asked": review is not None and _gave_up(attempt), "last_attempt_id": attempt_id}
    fading.take_out(stored, attempt["user_id"], attempt["question_id"])  # its old key's, if any
    stored.execute(_statements(stored.dialect.name).make, values)
    fading.put_back(stored, attempt["user_id"], attempt["question_id"])
    stored.execute(_LOG, _log(attempt_id, attempt, rating, now, None, card))
    return card.due


def _rate(stored, attempt_id: int, attempt: Mapping, review: Round) -> datetime | None:
    if not is_due(review, attempt["version"]):
        return None
    before = schedule.card_of(review.card)
    rating = schedule.rating_for(attempt["correct"], attempt["hints_used"])
    after = schedule.next_card(before, rating, review.now)
    params = {"uid": attempt["user_id"], "qid": attempt["question_id"], "round": review.due,
              "attempt_id": attempt_id, "asked": _gave_up(attempt), "hints": attempt["hints_used"],
              **{f"new_{name}": value for name, value in schedule.card_values(after).items()}}
    fading.take_out(stored, attempt["user_id"], attempt["question_id"])
    rated = stored.execute(_RATE, params)
    fading.put_back(stored, attempt["user_id"], attempt["question_id"])
    if not rated:
        return None  # rated already by a racing answer in this round: this one is a try
    log = _log(attempt_id, attempt, rating, review.now, before, after)
    stored.execute(_LOG, log)
    fading.count_review(stored, attempt, log["rating"], log["recall"], rated[0].reviews == 2)
    return after.due


def _log(attempt_id: int, attempt: Mapping, rating, now: datetime, before, after) -> dict:
    return {"user_id": attempt["user_id"], "question_id": attempt["question_id"], "version": attempt["version"],
            "attempt_id": attempt_id, "rating": int(rating), "reviewed_at": now, "first": before is None,
            "elapsed_days": None if before is None else schedule.elapsed_days(before, now),
            "recall": None if before is None else schedule.recall(before, now),
            "card_before": None if before is None else before.to_dict(), "card_after": after.to_dict()}


def _gave_up(attempt: Mapping) -> bool:
    return bool(attempt["response"].get(GAVE_UP))


_T = ReviewCard.__table__
_THIS_CARD = (_T.c.user_id == bindparam("uid"), _T.c.question_id == bindparam("qid"))
_RATE = update(_T).where(*_THIS_CARD, _T.c.due == bindparam("round"), _T.c.suspended.is_not(true())).values(
    state=bindparam("new_state"), step=bindparam("new_step"), stability=bindparam("new_stability"),
    difficulty=bindparam("new_difficulty"), due=bindparam("new_due"), last_review=bindparam("new_last_review"),
    reviews=_T.c.reviews + 1, round_due=bindparam("round"), tries=1, hints=bindparam("hints"),
    asked=bindparam("asked"), last_attempt_id=bindparam("attempt_id"),
).returning(_T.c.reviews)
_LOG = insert(ReviewLog.__table__)


class _Statements:
    """The statements that depend on the database kind."""

    def __init__(self, dialect: str):
        statement = conflict_insert(dialect)(_T)
        new = statement.excluded
        kept = ("user_id", "question_id", "suspended")  # a learner's "don't show again" survives a new key
        self.make = statement.on_conflict_do_update(
            index_elements=[_T.c.user_id, _T.c.question_id],
            set_={c.name: new[c.name] for c in _T.columns if c.name not in kept})
        self.count_try = update(_T).where(*_THIS_CARD, _T.c.round_due == bindparam("round")).values(
            tries=_T.c.tries + 1, last_attempt_id=bindparam("attempt_id"),
            asked=or_(_T.c.asked, bindparam("gave_up", type_=Boolean)))


@cache
def _statements(dialect: str) -> _Statements:
    """Build the statements once per database kind."""
    return _Statements(dialect)
