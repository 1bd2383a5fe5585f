"""The admins' audit log: every admin action, recorded in the same transaction as the change it records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models.school import AuditEvent

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditEntry:
    """One recorded admin action as the log page shows it."""

    id: int
    created_at: datetime
    actor_id: int
    action: str
    target_id: int | None
    detail: str


@dataclass(frozen=True)
class AuditPage:
    """A page of the audit log, newest first."""

    entries: tuple[AuditEntry, ...]
    page: int
    pages: int


def record(actor_id: int, action: str, target_id: int | None = None, detail: str = "") -> None:
    """Add an audit row to the current transaction (the caller commits it with the change)."""
    db.session.add(AuditEvent(actor_id=actor_id, action=action, target_id=target_id, detail=detail[:500]))


def get_audit_page(page: int = 1, target_id: int | None = None) -> AuditPage:
    """Read one page of the log, newest first, optionally about one account."""
    condition = AuditEvent.target_id == target_id if target_id is not None else None
    count_query = select(func.count()).select_from(AuditEvent)
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if condition is not None:
        count_query, query = count_query.where(condition), query.where(condition)
    pages = max(1, -(-(db.session.scalar(count_query) or 0) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    entries = tuple(AuditEntry(e.id, e.created_at, e.actor_id, e.action, e.target_id, e.detail) for e in rows)
    return AuditPage(entries, page, pages)
