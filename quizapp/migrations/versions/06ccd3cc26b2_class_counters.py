"""class counters (class_learner, class_question, class_option, class_day, class_course), backfilled

The instructor pages read these per class and course instead of every member's summary rows
(docs/performance.md). learner_question gains the prev_* columns the answer path uses to add an
answer's difference to them. The backfill builds every class for every course with set-based
INSERT ... SELECT statements that run unchanged on SQLite and PostgreSQL, and give the rows that
services/class_summaries.rebuild would (tests/app/test_migrations.py compares them).

Revision ID: 06ccd3cc26b2
Revises: e0f4d414c44d
Create Date: 2026-11-21 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '06ccd3cc26b2'
down_revision = 'e0f4d414c44d'
branch_labels = None
depends_on = None

PREV = (('prev_first_score', sa.Float), ('prev_first_correct', sa.Boolean), ('prev_ever_correct', sa.Boolean),
        ('prev_ever_other', sa.Boolean))

def _keys(table, *extra):
    """The classroom and course key columns (with their foreign keys) every class table starts with."""
    return [
        sa.Column('classroom_id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=False),
        *extra,
        sa.ForeignKeyConstraint(['classroom_id'], ['classroom.id'], name=op.f(f'fk_{table}_classroom_id_classroom')),
        sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f(f'fk_{table}_course_id_course')),
    ]


def upgrade():
    # Plain ADD COLUMN (nullable, no default): a batch copy would lose WITHOUT ROWID on SQLite.
    for name, kind in PREV:
        op.add_column('learner_question', sa.Column(name, kind(), nullable=True))

    op.create_table('class_course',
    *_keys('class_course', sa.Column('built_at', sa.DateTime(timezone=True), nullable=False)),
    sa.PrimaryKeyConstraint('classroom_id', 'course_id', name=op.f('pk_class_course')),
    sqlite_with_rowid=False
    )
    op.create_table('class_learner',
    *_keys('class_learner',
           sa.Column('user_id', sa.Integer(), nullable=False),
           sa.Column('answered', sa.Integer(), nullable=False),
           sa.Column('correct', sa.Integer(), nullable=False),
           sa.Column('last_active', sa.DateTime(timezone=True), nullable=True),
           sa.Column('first_total', sa.Float(), nullable=False)),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_class_learner_user_id_user_account')),
    sa.PrimaryKeyConstraint('classroom_id', 'course_id', 'user_id', name=op.f('pk_class_learner')),
    sqlite_with_rowid=False
    )
    op.create_index('ix_class_learner_user', 'class_learner', ['user_id', 'course_id'], unique=False)
    op.create_table('class_question',
    *_keys('class_question',
           sa.Column('question_id', sa.Integer(), nullable=False),
           sa.Column('version', sa.Integer(), nullable=False),
           sa.Column('counted', sa.Boolean(), nullable=False),
           *(sa.Column(name, sa.Integer(), nullable=False)
             for name in ('learners', 'first_correct', 'attempts', 'ever_correct', 'ever_other')),
           *(sa.Column(name, sa.Float(), nullable=False)
             for name in ('sum_x', 'sum_xx', 'sum_t', 'sum_tt', 'sum_xt'))),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_class_question_question_id_question')),
    sa.PrimaryKeyConstraint('classroom_id', 'course_id', 'question_id', 'version', name=op.f('pk_class_question')),
    sqlite_with_rowid=False
    )
    op.create_table('class_option',
    *_keys('class_option',
           sa.Column('question_id', sa.Integer(), nullable=False),
           sa.Column('version', sa.Integer(), nullable=False),
           sa.Column('option_id', sa.String(length=16), nullable=False),
           sa.Column('learners', sa.Integer(), nullable=False)),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_class_option_question_id_question')),
    sa.PrimaryKeyConstraint('classroom_id', 'course_id', 'question_id', 'version', 'option_id',
                            name=op.f('pk_class_option')),
    sqlite_with_rowid=False
    )
    op.create_table('class_day',
    *_keys('class_day',
           sa.Column('day', sa.Date(), nullable=False),
           sa.Column('attempts', sa.Integer(), nullable=False),
           sa.Column('correct', sa.Integer(), nullable=False)),
    sa.PrimaryKeyConstraint('classroom_id', 'course_id', 'day', name=op.f('pk_class_day')),
    sqlite_with_rowid=False
    )
    for statement in BACKFILL:
        op.execute(statement.format(active=ACTIVE))


# A course's active questions at their current answer-key version (services.progress.active_questions).
ACTIVE = """(SELECT q.id, q.version, l.course_id FROM question q JOIN lesson l ON l.id = q.lesson_id
    JOIN course co ON co.id = l.course_id WHERE NOT q.retired AND NOT l.retired AND NOT co.retired)"""
# Every class for every course, as class_summaries.rebuild builds one. Booleans go through CASE so the
# same text runs on both databases.
BACKFILL = [
    """
INSERT INTO class_learner (classroom_id, course_id, user_id, answered, correct, last_active, first_total)
SELECT e.classroom_id, c.id, e.user_id,
    COUNT(CASE WHEN a.version = lq.version THEN 1 END),
    COUNT(CASE WHEN a.version = lq.version AND lq.ever_correct THEN 1 END),
    MAX(lq.last_at),
    COALESCE(SUM(CASE WHEN a.version = lq.version THEN lq.first_score END), 0)
FROM enrollment e CROSS JOIN course c
LEFT JOIN (learner_question lq JOIN {active} a ON a.id = lq.question_id)
    ON lq.user_id = e.user_id AND a.course_id = c.id
GROUP BY e.classroom_id, c.id, e.user_id
""",
    """
INSERT INTO class_question (classroom_id, course_id, question_id, version, counted, learners, first_correct,
    attempts, ever_correct, ever_other, sum_x, sum_xx, sum_t, sum_tt, sum_xt)
SELECT s.classroom_id, s.course_id, s.question_id, s.version, s.counted, COUNT(*), SUM(s.first_correct),
    SUM(s.attempts), SUM(s.ever_correct), SUM(s.ever_other), SUM(s.x), SUM(s.x * s.x), SUM(s.t), SUM(s.t * s.t),
    SUM(s.x * s.t)
FROM (
    SELECT e.classroom_id, l.course_id, lq.question_id, lq.version, cur.id IS NOT NULL AS counted,
        CASE WHEN lq.first_correct THEN 1 ELSE 0 END AS first_correct, lq.attempts,
        CASE WHEN lq.ever_correct THEN 1 ELSE 0 END AS ever_correct,
        CASE WHEN lq.ever_other THEN 1 ELSE 0 END AS ever_other, lq.first_score AS x,
        CASE WHEN cur.id IS NOT NULL THEN cl.first_total ELSE 0 END AS t
    FROM enrollment e
    JOIN learner_question lq ON lq.user_id = e.user_id
    JOIN question q ON q.id = lq.question_id
    JOIN lesson l ON l.id = q.lesson_id
    JOIN class_learner cl ON cl.classroom_id = e.classroom_id AND cl.course_id = l.course_id
        AND cl.user_id = e.user_id
    LEFT JOIN {active} cur ON cur.id = lq.question_id AND cur.version = lq.version
) s
GROUP BY s.classroom_id, s.course_id, s.question_id, s.version, s.counted
""",
    """
INSERT INTO class_question (classroom_id, course_id, question_id, version, counted, learners, first_correct,
    attempts, ever_correct, ever_other, sum_x, sum_xx, sum_t, sum_tt, sum_xt)
SELECT r.id, a.course_id, a.id, a.version, TRUE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
FROM classroom r CROSS JOIN {active} a
WHERE NOT EXISTS (SELECT 1 FROM class_question x WHERE x.classroom_id = r.id AND x.course_id = a.course_id
    AND x.question_id = a.id AND x.version = a.version)
""",
    """
INSERT INTO class_option (classroom_id, course_id, question_id, version, option_id, learners)
SELECT e.classroom_id, l.course_id, lo.question_id, lo.version, lo.option_id, COUNT(*)
FROM enrollment e
JOIN learner_option lo ON lo.user_id = e.user_id
JOIN question q ON q.id = lo.question_id
JOIN lesson l ON l.id = q.lesson_id
GROUP BY e.classroom_id, l.course_id, lo.question_id, lo.version, lo.option_id
""",
    """
INSERT INTO class_day (classroom_id, course_id, day, attempts, correct)
SELECT e.classroom_id, ld.course_id, ld.day, SUM(ld.attempts), SUM(ld.correct)
FROM enrollment e JOIN learner_day ld ON ld.user_id = e.user_id
GROUP BY e.classroom_id, ld.course_id, ld.day
""",
    """
INSERT INTO class_course (classroom_id, course_id, built_at)
SELECT r.id, c.id, CURRENT_TIMESTAMP FROM classroom r CROSS JOIN course c
""",
]


def downgrade():
    for table in ('class_day', 'class_option', 'class_question', 'class_learner', 'class_course'):
        op.drop_table(table)
    for name, _kind in reversed(PREV):
        op.drop_column('learner_question', name)  # SQLite >= 3.35 drops columns in place
