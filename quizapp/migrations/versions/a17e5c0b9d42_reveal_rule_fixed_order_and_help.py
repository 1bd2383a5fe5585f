"""The answering loop: each course's reveal rule, questions kept in authored order, and the help a learner took

- course.reveal: when the solution is shown (content format 1.1); existing courses get the new default,
  after-second-try, until their course.md says otherwise at the next load.
- question.fixed_order: '.fixed-order' questions show their choices as authored; the rest are shuffled per
  learner (computed, never stored per learner).
- question_help: hints revealed, counted by the server, and when the solution was asked for.

Revision ID: a17e5c0b9d42
Revises: 5d2c8e41a7f3
Create Date: 2026-12-06 21:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a17e5c0b9d42"
down_revision = "5d2c8e41a7f3"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (with a default) on both databases: no table is rebuilt.
    op.add_column("course", sa.Column("reveal", sa.String(length=20), server_default="after-second-try",
                                      nullable=False))
    op.add_column("question", sa.Column("fixed_order", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "question_help",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("hints", sa.Integer(), nullable=False),
        sa.Column("solution_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"],
                                name=op.f("fk_question_help_question_id_question")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_question_help_user_id_user_account")),
        sa.PrimaryKeyConstraint("user_id", "question_id", name=op.f("pk_question_help")),
        sqlite_with_rowid=False,
    )


def downgrade():
    op.drop_table("question_help")
    # Plain DROP COLUMN (SQLite 3.35 and later, PostgreSQL): a batch rebuild of these tables would trip the
    # foreign keys that point at them.
    op.execute("ALTER TABLE question DROP COLUMN fixed_order")
    op.execute("ALTER TABLE course DROP COLUMN reveal")
