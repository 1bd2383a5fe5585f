"""The admins' audit log: every admin action, recorded in the same transaction as the change it records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from quizapp.extensions import db
from quizapp.models import User
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
    actor_name: str | None = None  # User.shown_name, while the account row exists
    target_name: str | None = None


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
    actor, target = aliased(User), aliased(User)
    query = (select(AuditEvent, actor.shown_name, target.shown_name).order_by(AuditEvent.id.desc())
             .outerjoin(actor, actor.id == AuditEvent.actor_id).outerjoin(target, target.id == AuditEvent.target_id))
    if condition is not None:
        count_query, query = count_query.where(condition), query.where(condition)
    pages = max(1, -(-(db.session.scalar(count_query) or 0) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    entries = tuple(AuditEntry(e.id, e.created_at, e.actor_id, e.action, e.target_id, e.detail, actor, target)
                    for e, actor, target in rows)
    return AuditPage(entries, page, pages)
