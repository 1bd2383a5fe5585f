"""Content: courses, lessons, questions and their answer-key versions, assets; keyed by stable keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.clock import utcnow


class Course(db.Model):
    """A course folder; ``key`` is the folder slug."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int | None] = mapped_column(Integer)
    intro_html: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When a question's solution is shown (course.md `reveal:`; quizapp.content.model.REVEAL_RULES).
    reveal: Mapped[str] = mapped_column(String(20), default="after-second-try", server_default="after-second-try")

    lessons: Mapped[list[Lesson]] = relationship(back_populates="course", order_by="Lesson.position")


class Lesson(db.Model):
    """A lesson file; ``key`` is '<course>/<lesson>' and survives edits of its text."""

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    minutes: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    body_html: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    filename: Mapped[str] = mapped_column(String(255), default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    course: Mapped[Course] = relationship(back_populates="lessons")
    questions: Mapped[list[Question]] = relationship(back_populates="lesson", order_by="Question.position")


class Question(db.Model):
    """A practice question; presentation lives here, the answer key in QuestionVersion."""

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id"), index=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)  # the current QuestionVersion.number
    prompt_html: Mapped[str] = mapped_column(Text, default="")
    hints_html: Mapped[list] = mapped_column(JSON, default=list)
    solution_html: Mapped[str] = mapped_column(Text, default="")
    quick_check_html: Mapped[str] = mapped_column(Text, default="")
    mistakes_html: Mapped[list] = mapped_column(JSON, default=list)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Choices in the authored order ('.fixed-order'); otherwise shuffled per learner.
    fixed_order: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    lesson: Mapped[Lesson] = relationship(back_populates="questions")


class QuestionVersion(db.Model):
    """One answer key of a question; a new row whenever what counts as correct changes."""

    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    answer: Mapped[dict] = mapped_column(JSON)  # quizapp.content.snapshots.answer_to_dict()
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Asset(db.Model):
    """A course file (image, download) kept in the database so app hosts share no disk."""

    __table_args__ = (UniqueConstraint("course_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    path: Mapped[str] = mapped_column(String(500))
    mimetype: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
