"""Teaching: classes, who is enrolled, and the class summary rows the dashboards read."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.clock import utcnow


class Classroom(db.Model):
    """A class an instructor teaches; learners join it with its code."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(32), unique=True)
    instructor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Enrollment(db.Model):
    """A learner's membership of a class."""

    __table_args__ = (UniqueConstraint("classroom_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ClassCourse(db.Model):
    """A class's summaries were built for a course (when missing, the pages rebuild them first)."""

    __tablename__ = "class_course"
    __table_args__ = ({"sqlite_with_rowid": False},)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClassLearner(db.Model):
    """A member's standing in a course as the class overview shows it (current answer keys, active questions)."""

    __tablename__ = "class_learner"
    __table_args__ = (
        Index("ix_class_learner_user", "user_id", "course_id"),  # an answer finds its learner's classes
        {"sqlite_with_rowid": False},
    )

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    answered: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)  # questions ever answered right
    last_active: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_total: Mapped[float] = mapped_column(Float)  # sum of first-attempt scores (discrimination's total)


class ClassQuestion(db.Model):
    """A class's totals on one answer-key version of a question: item analysis without reading learners' rows.

    The sums of t (a learner's first_total) are what the discrimination needs; they are kept for the pairs
    that were current when the class was built (`counted`), and are zero elsewhere.
    """

    __tablename__ = "class_question"
    __table_args__ = ({"sqlite_with_rowid": False},)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    counted: Mapped[bool] = mapped_column(Boolean)  # the current, active version when the class was built
    learners: Mapped[int] = mapped_column(Integer)
    first_correct: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)
    ever_correct: Mapped[int] = mapped_column(Integer)
    ever_other: Mapped[int] = mapped_column(Integer)
    sum_x: Mapped[float] = mapped_column(Float)  # x: first-attempt score
    sum_xx: Mapped[float] = mapped_column(Float)
    sum_t: Mapped[float] = mapped_column(Float)
    sum_tt: Mapped[float] = mapped_column(Float)
    sum_xt: Mapped[float] = mapped_column(Float)


class ClassOption(db.Model):
    """How many of a class's members ever gave an option (a picked choice, a matched Wrong answer)."""

    __tablename__ = "class_option"
    __table_args__ = ({"sqlite_with_rowid": False},)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    option_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    learners: Mapped[int] = mapped_column(Integer)


class ClassDay(db.Model):
    """A class's answers in a course on one UTC day, and how many were right (the activity chart)."""

    __tablename__ = "class_day"
    __table_args__ = ({"sqlite_with_rowid": False},)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)
