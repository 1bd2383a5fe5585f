"""The one clock every table's timestamps use."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Give an aware UTC timestamp (one clock for every row)."""
    return datetime.now(UTC)
