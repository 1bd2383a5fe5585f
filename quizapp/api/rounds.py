"""Review rounds through the API's question endpoints, as on the Review page (quizapp.views.learning.review).

An answer, a hint or the solution on a question whose review card is due is the card's review round
(named by the card's due time); ``?round=`` (the ``round`` a card of ``GET /review`` or an answer's
``review`` carries) keeps later tries in that round, as the page's form does. The same services do the
work: ``services.review`` for the card and the round's hints, ``practice`` with the round to grade and
rate. Anything else is lesson practice and changes no schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask import request
from flask_smorest import abort

from quizapp.clock import review_now, round_from, round_token
from quizapp.services.learning import practice, review
from quizapp.services.learning.presenter import QuestionState
from quizapp.services.learning.review_cards import Round
from quizapp.services.learning.review_schedule import comes_back, utc

RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}
ROUND_PARAMETER = {"in": "query", "name": "round", "required": False,
                   "description": "a review round (the `round` of a card of GET /review, or of an answer's "
                                  "`review`): act in it, as the Review page does; without it, a due card's "
                                  "current round",
                   "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"}}
NO_CARD = "You have no review card for this question; answering it once makes one."


@dataclass(frozen=True)
class InRound:
    """A learner's card, the review round an action on its question belongs to, and their state in it."""

    item: review.ReviewItem
    round: Round
    state: QuestionState


def current(user_id: int, question_id: int) -> InRound | None:
    """Give the round an action belongs to: the ?round= sent, else the card's own while it is due; None for
    practice (no card, a suspended one, or one not due)."""
    sent = _round_sent()
    item = review.get_item(user_id, question_id)
    if item is None:
        if sent is not None:
            abort(422, detail=f"round: {NO_CARD}", errors={"round": [NO_CARD]})
        return None
    now = review_now()
    if sent is None and (item.card.suspended or utc(item.card.due) > now):
        return None
    found = item.round_for(now, sent)
    return InRound(item, found, item.state_in(found))


def outcome(found: InRound | None, result: practice.AnswerResult, user_id: int) -> dict | None:
    """Say what an answer did to its card: rated (as stored), a later try in the round, or None (practice)."""
    if found is None and result.standing is not None:
        return None
    rated = review.get_rated(user_id, result.attempt_id)  # a replayed answer: as it was rated then
    if rated is not None:
        return _outcome(RATINGS[rated.rating], rated.due, rated.round_due)
    if found is None:
        return None
    return _outcome(None, result.review_due or found.item.card.due, found.round.due)


def take_hint(user_id: int, authored: practice.Authored, found: InRound) -> QuestionState:
    """Reveal the round's next hint (counted for the round, so a right answer after it rates Hard)."""
    hints = review.take_hint(user_id, found.item.question_id, found.round, len(authored.hints_html))
    return replace(found.state, hints=hints)


def ask_solution(user_id: int, authored: practice.Authored, found: InRound, key: str) -> QuestionState:
    """Show the solution in the round (before a right answer it rates the card Again)."""
    review.mark_asked(user_id, found.item.question_id, found.round)
    return practice.ask_solution(user_id, authored, found.state, submission_key=key, review=found.round)


def _outcome(rating: str | None, due: datetime, round_due: datetime) -> dict:
    return {"rating": rating, "due": utc(due).isoformat(), "comes_back": comes_back(review_now(), due),
            "round": round_token(round_due)}


def _round_sent() -> datetime | None:
    """Read ?round= (422 if it is not a round's name)."""
    value = request.args.get("round")
    if value is None:
        return None
    found = round_from(value) if len(value) <= 18 else None
    if found is None:
        message = "Send the round of a card of GET /review (digits), or leave it out."
        abort(422, detail=f"round: {message}", errors={"round": [message]})
    return found
