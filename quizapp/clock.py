"""The review clock of the pages and the API: now in UTC, shifted by ``REVIEW_CLOCK_OFFSET`` seconds only in a
testing app, so a test can step past a learning step without sleeping. Services take the time as a value.

A review round is named by its card's due time when shown, sent back by the page's form and the API as
microseconds since 1970 (``round_token``, ``round_from``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app

from quizapp.models import utcnow
from quizapp.services.learning.review_schedule import utc

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def review_now() -> datetime:
    """Give the time the review pages and the due count use (aware UTC)."""
    offset = current_app.config.get("REVIEW_CLOCK_OFFSET", 0) if current_app.testing else 0
    return utcnow() + timedelta(seconds=float(offset or 0))


def round_token(due: datetime) -> str:
    """Name a review round by its card's due time when shown (microseconds since 1970)."""
    return str((utc(due) - EPOCH) // timedelta(microseconds=1))


def round_from(value: str | None) -> datetime | None:
    """Read a round's name (``round_token``); None if unreadable."""
    if not value or not value.isdigit() or len(value) > 20:
        return None
    try:
        return EPOCH + timedelta(microseconds=int(value))
    except OverflowError:  # past the year 9999
        return None
