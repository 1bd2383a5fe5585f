"""Learning: attempts (each pinned to the answer-key version it was graded on), help asked for, and the
learner's summary rows the pages read instead of every attempt."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.clock import utcnow


class Attempt(db.Model):
    """One graded answer, stored with the version it was graded against and what the learner saw."""

    __table_args__ = (
        ForeignKeyConstraint(
            ["question_id", "version"], ["question_version.question_id", "question_version.number"]
        ),
        # A resubmitted form (double click, retry after a timeout) carries the same key: stored once. The key
        # is the learner's and the question's: the same key sent for another question is another answer.
        UniqueConstraint("user_id", "question_id", "submission_key"),
        Index("ix_attempt_user_question", "user_id", "question_id"),
        Index("ix_attempt_question_created", "question_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    version: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    correct: Mapped[bool] = mapped_column(Boolean)
    matched: Mapped[list] = mapped_column(JSON, default=list)  # choice / Wrong ids behind the feedback
    feedback_html: Mapped[list] = mapped_column(JSON, default=list)
    hints_used: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[int | None] = mapped_column(Integer)
    submission_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class QuestionHelp(db.Model):
    """The help a learner took on a question: hints revealed (counted here, never by the form) and when they
    asked for the solution."""

    __tablename__ = "question_help"
    __table_args__ = ({"sqlite_with_rowid": False},)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    hints: Mapped[int] = mapped_column(Integer, default=0)
    solution_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LearnerQuestion(db.Model):
    """One learner's record on one answer-key version of a question, kept up to date as answers are stored.

    The dashboards aggregate these (learners x questions) instead of every attempt. "First" and "last"
    follow attempt ids, so rows merge the same whatever order concurrent answers commit in.
    """

    __tablename__ = "learner_question"
    __table_args__ = (
        Index("ix_learner_question_question", "question_id", "version"),
        # SQLite: rows clustered by learner, so a class's rows are read in user order without lookups.
        {"sqlite_with_rowid": False},
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    first_attempt_id: Mapped[int] = mapped_column(Integer)
    first_score: Mapped[float] = mapped_column(Float)
    first_correct: Mapped[bool] = mapped_column(Boolean)
    first_hints: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_attempt_id: Mapped[int] = mapped_column(Integer)
    last_correct: Mapped[bool] = mapped_column(Boolean)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    best_score: Mapped[float] = mapped_column(Float)
    ever_correct: Mapped[bool] = mapped_column(Boolean)
    ever_other: Mapped[bool] = mapped_column(Boolean)  # a wrong answer matching no option (no pick)
    # The row as it was before the latest answer merged into it (all NULL: that answer made the row), so
    # the class counters can add the difference in the same transaction. Meaningless otherwise.
    prev_first_score: Mapped[float | None] = mapped_column(Float)
    prev_first_correct: Mapped[bool | None] = mapped_column(Boolean)
    prev_ever_correct: Mapped[bool | None] = mapped_column(Boolean)
    prev_ever_other: Mapped[bool | None] = mapped_column(Boolean)


class LearnerOption(db.Model):
    """A learner gave this option (a picked choice, a matched Wrong answer) at least once on this version."""

    __tablename__ = "learner_option"
    __table_args__ = (
        Index("ix_learner_option_question", "question_id", "version", "option_id"),
        {"sqlite_with_rowid": False},
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    option_id: Mapped[str] = mapped_column(String(16), primary_key=True)


class LearnerDay(db.Model):
    """How many answers a learner gave in a course on one UTC day, and how many were right (activity charts)."""

    __tablename__ = "learner_day"
    __table_args__ = ({"sqlite_with_rowid": False},)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)


# --- per class and course: what the instructor pages read, kept up to date by every answer ------------
# Rebuilt from the learner summaries when a class's members or a course's questions change
# (services/class_summaries.py); `class_course` says a class was built for a course.
