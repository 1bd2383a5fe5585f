"""Spaced review: review_card (one FSRS card per learner and question) and review_log (every rating), and
the answers already stored replayed into cards, so existing learners start with a real schedule.

The replay does what the answer path does for a learner's first graded answer on a question's current
answer key (services/review_schedule.py; later lesson answers were practice): wrong, partly right or
solution asked -> Again, right after a hint -> Hard (default scheduler: due in minutes); right -> Good
through a scheduler with no learning steps (due in days). No fuzzing, so the replay is reproducible.

Revision ID: 35120809feff
Revises: 5b410ff9d413
Create Date: 2026-12-06 21:40:00
"""

import math
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op
from fsrs import Card, Rating, Scheduler

revision = "35120809feff"
down_revision = "5b410ff9d413"
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade():
    card = op.create_table(
        "review_card",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fading_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("suspended", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("round_due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tries", sa.Integer(), server_default="0", nullable=False),
        sa.Column("hints", sa.Integer(), server_default="0", nullable=False),
        sa.Column("asked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("last_attempt_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"], name=op.f("fk_review_card_question_id_question")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_review_card_user_id_user_account")),
        sa.PrimaryKeyConstraint("user_id", "question_id", name=op.f("pk_review_card")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_review_card_due", "review_card", ["user_id", "due"], unique=False)
    log = op.create_table(
        "review_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first", sa.Boolean(), nullable=False),
        sa.Column("elapsed_days", sa.Float(), nullable=True),
        sa.Column("recall", sa.Float(), nullable=True),
        sa.Column("card_before", sa.JSON(), nullable=True),
        sa.Column("card_after", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempt.id"], name=op.f("fk_review_log_attempt_id_attempt")),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"], name=op.f("fk_review_log_question_id_question")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_review_log_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_log")),
        sa.UniqueConstraint("attempt_id", name=op.f("uq_review_log_attempt_id")),
    )
    op.create_index("ix_review_log_user_question", "review_log", ["user_id", "question_id"], unique=False)
    _replay(card, log)


def downgrade():
    op.drop_index("ix_review_log_user_question", table_name="review_log")
    op.drop_table("review_log")
    op.drop_index("ix_review_card_due", table_name="review_card")
    op.drop_table("review_card")


def _replay(card_table, log_table):
    """Make each learner's card from their first answer on each question's current answer key."""
    bind = op.get_bind()
    first = sa.text(
        "SELECT lq.user_id, lq.question_id, lq.version, lq.first_attempt_id, lq.first_correct, lq.first_hints, "
        "lq.first_at FROM learner_question lq JOIN question q ON q.id = lq.question_id AND q.version = lq.version "
        "ORDER BY lq.user_id, lq.question_id")
    cards, logs = [], []
    for row in bind.execute(first):
        made, rating, now = _first_card(bool(row.first_correct), row.first_hints or 0, row.first_at)
        cards.append({"user_id": row.user_id, "question_id": row.question_id, "version": row.version,
                      "state": int(made.state), "step": made.step, "stability": made.stability,
                      "difficulty": made.difficulty, "due": made.due, "last_review": made.last_review,
                      "fading_at": _fading_at(made),
                      "reviews": 1, "suspended": False, "tries": 0, "hints": 0, "asked": False,
                      "last_attempt_id": row.first_attempt_id})
        logs.append({"user_id": row.user_id, "question_id": row.question_id, "version": row.version,
                     "attempt_id": row.first_attempt_id, "rating": int(rating), "reviewed_at": now, "first": True,
                     "card_after": made.to_dict()})
        if len(cards) >= BATCH:
            _flush(bind, card_table, log_table, cards, logs)
    _flush(bind, card_table, log_table, cards, logs)


def _first_card(correct: bool, hints: int, at):
    if isinstance(at, str):  # SQLite gives a plain text query's times as text
        at = datetime.fromisoformat(at)
    now = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    rating = Rating.Again if not correct else Rating.Hard if hints else Rating.Good
    steps = () if rating == Rating.Good else (timedelta(minutes=1), timedelta(minutes=10))
    scheduler = Scheduler(learning_steps=steps, enable_fuzzing=False)
    made, _log = scheduler.review_card(Card(card_id=0, due=now), rating, now)
    return made, rating, now


def _fading_at(card):
    """When predicted recall falls below 0.8 (services/review_schedule.fading_at, written out)."""
    decay = -card_scheduler().parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    days = card.stability / factor * (0.8 ** (1 / decay) - 1)
    return card.last_review + timedelta(days=math.floor(days) + 1)


def card_scheduler():
    """The default scheduler (its parameters)."""
    return Scheduler(enable_fuzzing=False)


def _flush(bind, card_table, log_table, cards: list, logs: list) -> None:
    if cards:
        bind.execute(card_table.insert(), cards)
        bind.execute(log_table.insert(), logs)
    cards.clear()
    logs.clear()
