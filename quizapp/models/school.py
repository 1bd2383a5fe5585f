"""Tables for running a school: the admins' audit log, who may edit which course, and assignments with due dates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.clock import utcnow

COURSE_ROLES = ("owner", "editor")


class AuditEvent(db.Model):
    """One admin action; ids only (no foreign keys), so the log outlives deleted accounts."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(500), default="")


class CourseMember(db.Model):
    """An author's right on a course: 'owner' (edits, and is named as responsible) or 'editor' (edits)."""

    __tablename__ = "course_member"
    __table_args__ = ({"sqlite_with_rowid": False},)

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(10))


class Assignment(db.Model):
    """A course, or some of its lessons (`lesson_ids`; empty: all), due for a class by `due_at`."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    lesson_ids: Mapped[list] = mapped_column(JSON, default=list)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
