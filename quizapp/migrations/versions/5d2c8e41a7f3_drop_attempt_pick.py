"""Drop attempt_pick: it repeated attempt.matched, and nothing read it but the answer's own transaction

Every answer wrote its matched options twice, as attempt.matched and as attempt_pick rows (the table and
two indexes: three more B-tree pages per answer). Since the dashboards read the learner and class
summaries, the rows were read only to find the options a learner gave for the first time, which the
answer path now takes from the attempt itself. No data is lost: attempt.matched holds the same options,
and the downgrade rebuilds the rows from it.

Revision ID: 5d2c8e41a7f3
Revises: 7b3e9c41d2a6
Create Date: 2026-11-21 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "5d2c8e41a7f3"
down_revision = "7b3e9c41d2a6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempt_pick", schema=None) as batch_op:
        batch_op.drop_index("ix_attempt_pick_question_option")
        batch_op.drop_index(batch_op.f("ix_attempt_pick_attempt_id"))
    op.drop_table("attempt_pick")


def downgrade():
    pick = op.create_table(
        "attempt_pick",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempt.id"], name=op.f("fk_attempt_pick_attempt_id_attempt")),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"], name=op.f("fk_attempt_pick_question_id_question")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_attempt_pick_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt_pick")),
    )
    with op.batch_alter_table("attempt_pick", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attempt_pick_attempt_id"), ["attempt_id"], unique=False)
        batch_op.create_index("ix_attempt_pick_question_option", ["question_id", "version", "option_id"], unique=False)
    attempt = sa.table("attempt", sa.column("id", sa.Integer), sa.column("user_id", sa.Integer),
                       sa.column("question_id", sa.Integer), sa.column("version", sa.Integer),
                       sa.column("matched", sa.JSON))
    connection = op.get_bind()
    last = 0
    while batch := connection.execute(
        sa.select(attempt).where(attempt.c.id > last).order_by(attempt.c.id).limit(5000)
    ).all():
        picks = [{"attempt_id": a.id, "user_id": a.user_id, "question_id": a.question_id, "version": a.version,
                  "option_id": option_id} for a in batch for option_id in a.matched or ()]
        if picks:
            connection.execute(pick.insert(), picks)
        last = batch[-1].id
