"""Spaced review's tables: one card per learner and question (its FSRS state), and every rating it got.

Its own module (``quizapp.models`` re-exports them) so the review feature stays in a room of its own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, false
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db


class ReviewCard(db.Model):
    """A learner's review card for a question: its FSRS state, when it is due, and the current review round.

    Made by the learner's first graded answer on the question's current answer key (made new again by the
    first answer on a new key). A "round" is one showing of a due card: its ``due`` when shown
    (``round_due``) names it, and the tries, hints and solution asked for in it are counted here, so a
    review shows the question afresh whatever was done in the lesson.
    """

    __tablename__ = "review_card"
    __table_args__ = (
        Index("ix_review_card_due", "user_id", "due"),  # the queue and the due count, without a scan
        {"sqlite_with_rowid": False},
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)  # the answer key the card was made on
    state: Mapped[int] = mapped_column(Integer)  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_review: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fading_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # recall predicted < 0.8 from then
    reviews: Mapped[int] = mapped_column(Integer)  # ratings since the card was made (the first answer's too)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # "don't show again"
    round_due: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    hints: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    asked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_attempt_id: Mapped[int | None] = mapped_column(Integer)


class ReviewLog(db.Model):
    """One rating of a card: by which answer, when, and the card before and after, so schedules can be
    recomputed (or the scheduler re-optimised) from the log alone."""

    __tablename__ = "review_log"
    __table_args__ = (Index("ix_review_log_user_question", "user_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    version: Mapped[int] = mapped_column(Integer)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), unique=True)  # rated once
    rating: Mapped[int] = mapped_column(Integer)  # fsrs.Rating: 1 again, 2 hard, 3 good (never 4, easy)
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first: Mapped[bool] = mapped_column(Boolean)  # the answer that made (or made anew) the card
    elapsed_days: Mapped[float | None] = mapped_column(Float)  # since the card's previous rating
    recall: Mapped[float | None] = mapped_column(Float)  # predicted recall (retrievability) when reviewed
    card_before: Mapped[dict | None] = mapped_column(JSON)  # fsrs Card.to_dict(); None for a new card
    card_after: Mapped[dict] = mapped_column(JSON)


class ClassReviewMember(db.Model):
    """A class member whose review cards are counted in the class's ``class_fading`` counters."""

    __tablename__ = "class_review_member"
    __table_args__ = (Index("ix_class_review_member_user", "user_id"), {"sqlite_with_rowid": False})

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)


class ClassFading(db.Model):
    """How many counted members' cards on a question's answer key start fading at a given hour.

    "Fading now" for a question is the sum of its rows with ``fading_at`` up to now, so the instructor's
    view reads a few rows per question, never the cards (``services/teaching/summaries/fading``).
    """

    __tablename__ = "class_fading"
    __table_args__ = ({"sqlite_with_rowid": False},)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    fading_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    cards: Mapped[int] = mapped_column(Integer)


class ReviewOutcome(db.Model):
    """A learner's rated reviews in a course, per bin of the recall predicted when reviewed: how many and how
    many answered right; and of the questions missed at first, those whose first review fell in this bin and
    how many of those were right. The class's view sums its members' rows (``services/teaching/summaries/fading``).
    """

    __tablename__ = "review_outcome"
    __table_args__ = ({"sqlite_with_rowid": False},)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    bin: Mapped[int] = mapped_column(Integer, primary_key=True)  # fading.BINS' index; len(BINS): no recall
    reviews: Mapped[int] = mapped_column(Integer)
    recalled: Mapped[int] = mapped_column(Integer)  # rated Hard or Good
    missed: Mapped[int] = mapped_column(Integer)  # first reviews of questions missed at the first answer
    recovered: Mapped[int] = mapped_column(Integer)  # of those, rated Hard or Good
