"""Running a school: account state, the admins' audit log, rights per course, assignments with due dates

- user_account: disabled, username (unique, roster pupils), display_name, pupil, must_change_password.
  Plain ADD COLUMN and CREATE UNIQUE INDEX: user_account is not rebuilt (a dozen tables point at it), so
  email stays NOT NULL and pupils without an address get a placeholder in the reserved .invalid domain.
- audit_event: one row per admin action (ids, no foreign keys: it outlives deleted accounts).
- course_member: owners and editors of a course.
- assignment: a course or some of its lessons due for a class.

Revision ID: fa9e91e60c6f
Revises: 35120809feff
Create Date: 2026-12-06 21:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "fa9e91e60c6f"
down_revision = "35120809feff"
branch_labels = None
depends_on = None

NEW_FLAGS = ("disabled", "pupil", "must_change_password")


def upgrade():
    for name in NEW_FLAGS:
        op.add_column("user_account", sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("user_account", sa.Column("username", sa.String(length=40), nullable=True))
    op.add_column("user_account", sa.Column("display_name", sa.String(length=200), nullable=True))
    op.create_index(op.f("ix_user_account_username"), "user_account", ["username"], unique=True)
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index(op.f("ix_audit_event_created_at"), "audit_event", ["created_at"], unique=False)
    op.create_table(
        "course_member",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], name=op.f("fk_course_member_course_id_course")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_course_member_user_id_user_account")),
        sa.PrimaryKeyConstraint("course_id", "user_id", name=op.f("pk_course_member")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_course_member_user_id"), "course_member", ["user_id"], unique=False)
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("classroom_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("lesson_ids", sa.JSON(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["classroom_id"], ["classroom.id"],
                                name=op.f("fk_assignment_classroom_id_classroom")),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], name=op.f("fk_assignment_course_id_course")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    op.create_index(op.f("ix_assignment_classroom_id"), "assignment", ["classroom_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_assignment_classroom_id"), table_name="assignment")
    op.drop_table("assignment")
    op.drop_index(op.f("ix_course_member_user_id"), table_name="course_member")
    op.drop_table("course_member")
    op.drop_index(op.f("ix_audit_event_created_at"), table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_index(op.f("ix_user_account_username"), table_name="user_account")
    # Plain DROP COLUMN (SQLite 3.35 and later, PostgreSQL): no batch rebuild of user_account.
    for name in ("display_name", "username", *reversed(NEW_FLAGS)):
        op.execute(f"ALTER TABLE user_account DROP COLUMN {name}")
