"""FSRS for review cards: how an answer is rated, and the card it leaves. Pure: no Flask, no database.

The scheduler is the ``fsrs`` package's, with its defaults (desired retention 0.9, learning steps 1 and
10 minutes, relearning 10 minutes). A question answered right the first time has done the learning
steps' work: it goes through a scheduler without them, so it is first due in days. Fuzzing is off, so a
schedule can be recomputed exactly from the review log.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

SCHEDULER = Scheduler(enable_fuzzing=False)
NO_STEPS = Scheduler(learning_steps=(), enable_fuzzing=False)
FADING = 0.8  # predicted recall below this is "fading" (the instructor's view)


def rating_for(correct: bool, hints: int) -> Rating:
    """Rate a review by its first answer: wrong, partly right or gave up -> Again; right after a hint ->
    Hard; right -> Good. Never Easy: a guess at a choice question can be right."""
    if not correct:
        return Rating.Again
    return Rating.Hard if hints > 0 else Rating.Good


def first_card(rating: Rating, now: datetime) -> Card:
    """Make the card a learner's first answer on a question leaves (rated as a review of a new card)."""
    scheduler = NO_STEPS if rating == Rating.Good else SCHEDULER
    card, _log = scheduler.review_card(Card(card_id=0, due=now), rating, now)
    return card


def next_card(card: Card, rating: Rating, now: datetime) -> Card:
    """Give the card a rated review leaves."""
    after, _log = SCHEDULER.review_card(card, rating, now)
    return after


def recall(card: Card, now: datetime) -> float:
    """Predict the chance the learner recalls the card now (FSRS retrievability; 0 for a card never rated)."""
    return float(SCHEDULER.get_card_retrievability(card, now))


def card_of(row) -> Card:
    """Make an fsrs Card from a row with the review_card columns state .. last_review."""
    return Card(card_id=0, state=State(row.state), step=row.step, stability=row.stability,
                difficulty=row.difficulty, due=utc(row.due), last_review=utc(row.last_review))


def card_values(card: Card) -> dict:
    """Give a card's review_card columns."""
    return {"state": int(card.state), "step": card.step, "stability": card.stability, "difficulty": card.difficulty,
            "due": card.due, "last_review": card.last_review, "fading_at": fading_at(card)}


def fading_at(card: Card) -> datetime | None:
    """Give the first whole UTC hour at which the card's predicted recall is below ``FADING``, so "is it
    fading now?" is a comparison the database can make, and a class's cards fall into hourly counters."""
    moment = fading_moment(card)
    if moment is None:
        return None
    hour = moment.replace(minute=0, second=0, microsecond=0)
    return hour if hour == moment else hour + timedelta(hours=1)


def fading_moment(card: Card) -> datetime | None:
    """Give the moment the card's predicted recall first falls below ``FADING`` (fsrs counts whole days
    elapsed, so it is the previous rating's time plus a whole number of days)."""
    if card.last_review is None or card.stability is None:
        return None
    decay = -SCHEDULER.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    days = card.stability / factor * (FADING ** (1 / decay) - 1)
    return card.last_review + timedelta(days=math.floor(days) + 1)


def utc(moment: datetime | None) -> datetime | None:
    """Give a stored time as aware UTC (SQLite gives naive UTC back; fsrs wants timezone.utc exactly)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def comes_back(now: datetime, due: datetime) -> str:
    """Say in plain words when a card comes back: "in 10 minutes", "in 3 days"."""
    seconds = max(0.0, (utc(due) - utc(now)).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600)):
        if seconds >= size:
            count = round(seconds / size)
            return f"in {count} {unit}{'s' if count != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"in {minutes} minute{'s' if minutes != 1 else ''}" if minutes else "now"


def forecast_days(dues: list[datetime], now: datetime, days: int = 14) -> list[int]:
    """Count due cards per UTC day from today over ``days`` days (cards already due count today)."""
    today = utc(now).date()
    counts = [0] * days
    for due in dues:
        index = max(0, (utc(due).date() - today).days)
        if index < days:
            counts[index] += 1
    return counts


def elapsed_days(card: Card, now: datetime) -> float | None:
    """Give the days since a card's previous rating (None if never rated)."""
    if card.last_review is None:
        return None
    return (now - card.last_review) / timedelta(days=1)
