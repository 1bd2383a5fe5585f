"""Class review counters: class_review_member (whose cards a class counts) and class_fading (per class,
question, answer key and hour, the counted cards whose predicted recall falls below 0.8 from then), so the
instructor's "what is fading" reads a few rows per question instead of every card (docs/review.md).

review_card.fading_at is rounded up to the whole hour first, as services/review_schedule.fading_at now
gives it; then every class counts its members' cards that are not suspended, as
services/review_counters.ensure_members would. The downgrade drops the two tables and leaves fading_at
rounded (an hour later at most: harmless to the previous release).

Revision ID: 088daea6c3b9
Revises: 8a581edc989e
Create Date: 2026-12-07 00:10:00
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "088daea6c3b9"
down_revision = "8a581edc989e"
branch_labels = None
depends_on = None

BATCH = 2000
CARD = sa.table("review_card", sa.column("user_id", sa.Integer), sa.column("question_id", sa.Integer),
                sa.column("fading_at", sa.DateTime(timezone=True)))


def upgrade():
    op.create_table(
        "class_review_member",
        sa.Column("classroom_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["classroom_id"], ["classroom.id"],
                                name=op.f("fk_class_review_member_classroom_id_classroom")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_class_review_member_user_id_user_account")),
        sa.PrimaryKeyConstraint("classroom_id", "user_id", name=op.f("pk_class_review_member")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_class_review_member_user", "class_review_member", ["user_id"], unique=False)
    op.create_table(
        "class_fading",
        sa.Column("classroom_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fading_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cards", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["classroom_id"], ["classroom.id"], name=op.f("fk_class_fading_classroom_id_classroom")),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"], name=op.f("fk_class_fading_question_id_question")),
        sa.PrimaryKeyConstraint("classroom_id", "question_id", "version", "fading_at", name=op.f("pk_class_fading")),
        sqlite_with_rowid=False,
    )
    _round_fading_to_hours(op.get_bind())
    for statement in BACKFILL:
        op.execute(statement)


def _round_fading_to_hours(connection) -> None:
    """Round every card's fading_at up to the whole hour, in batches."""
    rows = connection.execute(sa.select(CARD.c.user_id, CARD.c.question_id, CARD.c.fading_at)
                              .where(CARD.c.fading_at.is_not(None))).all()
    changes = [{"u": user_id, "q": question_id, "at": _hour_up(at)} for user_id, question_id, at in rows
               if _hour_up(at) != at]
    update = (sa.update(CARD).where(CARD.c.user_id == sa.bindparam("u"), CARD.c.question_id == sa.bindparam("q"))
              .values(fading_at=sa.bindparam("at", type_=sa.DateTime(timezone=True))))
    for start in range(0, len(changes), BATCH):
        connection.execute(update, changes[start:start + BATCH])


def _hour_up(moment):
    """The first whole hour at or after a moment."""
    hour = moment.replace(minute=0, second=0, microsecond=0)
    return hour if hour == moment else hour + timedelta(hours=1)


BACKFILL = [
    """
INSERT INTO class_review_member (classroom_id, user_id)
SELECT e.classroom_id, e.user_id FROM enrollment e
""",
    """
INSERT INTO class_fading (classroom_id, question_id, version, fading_at, cards)
SELECT m.classroom_id, c.question_id, c.version, c.fading_at, COUNT(*)
FROM class_review_member m JOIN review_card c ON c.user_id = m.user_id
WHERE NOT c.suspended AND c.fading_at IS NOT NULL
GROUP BY m.classroom_id, c.question_id, c.version, c.fading_at
""",
]


def downgrade():
    op.drop_table("class_fading")
    op.drop_index("ix_class_review_member_user", table_name="class_review_member")
    op.drop_table("class_review_member")
