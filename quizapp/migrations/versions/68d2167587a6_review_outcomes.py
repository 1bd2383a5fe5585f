"""Review outcome counters: review_outcome (per learner, course and bin of the recall predicted at review
time: the rated reviews and those answered right, and the first reviews of questions missed at the first
answer and those answered right), so the instructor's recovery and calibration read a few rows per member
instead of the class's whole review log (docs/review.md).

The backfill counts the review_log rows already stored, as services/review_counters.count_review would
have: every rating that is not a card's first answer, in its recall bin; and per card (learner, question,
answer key) whose first answer was rated Again, its first review since. The downgrade drops the table.

Revision ID: 68d2167587a6
Revises: 088daea6c3b9
Create Date: 2026-12-07 00:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "68d2167587a6"
down_revision = "088daea6c3b9"
branch_labels = None
depends_on = None

BINS = (0.5, 0.7, 0.8, 0.9)  # upper bounds of the recall bins 0-3; bin 4 above; bin 5: no recall logged


def upgrade():
    op.create_table(
        "review_outcome",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("bin", sa.Integer(), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("recalled", sa.Integer(), nullable=False),
        sa.Column("missed", sa.Integer(), nullable=False),
        sa.Column("recovered", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], name=op.f("fk_review_outcome_course_id_course")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_review_outcome_user_id_user_account")),
        sa.PrimaryKeyConstraint("user_id", "course_id", "bin", name=op.f("pk_review_outcome")),
        sqlite_with_rowid=False,
    )
    for statement in BACKFILL:
        op.execute(statement)


BIN = ("CASE WHEN r.recall IS NULL THEN 5 "
       + " ".join(f"WHEN r.recall < {high} THEN {index}" for index, high in enumerate(BINS)) + " ELSE 4 END")
BACKFILL = [
    f"""
INSERT INTO review_outcome (user_id, course_id, bin, reviews, recalled, missed, recovered)
SELECT r.user_id, l.course_id, {BIN}, COUNT(*), SUM(CASE WHEN r.rating > 1 THEN 1 ELSE 0 END), 0, 0
FROM review_log r
JOIN question q ON q.id = r.question_id
JOIN lesson l ON l.id = q.lesson_id
WHERE NOT r.first
GROUP BY r.user_id, l.course_id, {BIN}
""",
    # Each card's first review (its first rating after the first answer), where that first answer was missed.
    # The cards come first (CROSS JOIN keeps SQLite's join order), then the log by its indexes.
    f"""
UPDATE review_outcome SET missed = c.missed, recovered = c.recovered
FROM (
    SELECT r.user_id, l.course_id, {BIN} AS bin, COUNT(*) AS missed,
           SUM(CASE WHEN r.rating > 1 THEN 1 ELSE 0 END) AS recovered
    FROM (SELECT s.user_id, s.question_id, s.version, MIN(s.id) AS id FROM review_log s WHERE NOT s.first
          GROUP BY s.user_id, s.question_id, s.version) k
    CROSS JOIN review_log f
    CROSS JOIN review_log r
    JOIN question q ON q.id = r.question_id
    JOIN lesson l ON l.id = q.lesson_id
    WHERE f.user_id = k.user_id AND f.question_id = k.question_id AND f.version = k.version AND f.first
      AND f.rating = 1 AND r.id = k.id
    GROUP BY r.user_id, l.course_id, {BIN}
) c
WHERE review_outcome.user_id = c.user_id AND review_outcome.course_id = c.course_id AND review_outcome.bin = c.bin
""",
]


def downgrade():
    op.drop_table("review_outcome")
