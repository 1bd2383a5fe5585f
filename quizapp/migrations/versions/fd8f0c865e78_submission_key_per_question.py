"""Scope an answer's idempotency key to its learner and question

The unique (user_id, submission_key) index let a key reused on another question refuse that answer
(review L1: a 500 for another kind of question, the wrong question's reply for the same kind, and the
answer not stored). The index is now unique on (user_id, question_id, submission_key). The downgrade
restores the old index; keys a learner used on more than one question are first made distinct (the
later answers get '~<id>' appended), so no answer is dropped.

Revision ID: fd8f0c865e78
Revises: a17e5c0b9d42
Create Date: 2026-12-06 21:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "fd8f0c865e78"
down_revision = "a17e5c0b9d42"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_constraint("uq_attempt_user_id_submission_key", type_="unique")
        batch_op.create_unique_constraint(
            "uq_attempt_user_id_question_id_submission_key", ["user_id", "question_id", "submission_key"]
        )


def downgrade():
    attempt = sa.table("attempt", sa.column("id", sa.Integer), sa.column("user_id", sa.Integer),
                       sa.column("submission_key", sa.String))
    connection = op.get_bind()
    first = sa.select(sa.func.min(attempt.c.id)).group_by(attempt.c.user_id, attempt.c.submission_key)
    later = connection.execute(
        sa.select(attempt.c.id, attempt.c.submission_key).where(attempt.c.id.not_in(first))
    ).all()
    for row in later:
        key = f"{row.submission_key[: 63 - len(str(row.id))]}~{row.id}"
        connection.execute(attempt.update().where(attempt.c.id == row.id).values(submission_key=key))
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_constraint("uq_attempt_user_id_question_id_submission_key", type_="unique")
        batch_op.create_unique_constraint("uq_attempt_user_id_submission_key", ["user_id", "submission_key"])
