"""The review pages' clock: now in UTC, shifted by ``REVIEW_CLOCK_OFFSET`` seconds only in a testing app,
so a browser test can step past a learning step without sleeping. Services take the time as a value."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from quizapp.models import utcnow


def review_now() -> datetime:
    """Give the time the review pages and the due count use (aware UTC)."""
    offset = current_app.config.get("REVIEW_CLOCK_OFFSET", 0) if current_app.testing else 0
    return utcnow() + timedelta(seconds=float(offset or 0))
