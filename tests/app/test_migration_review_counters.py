"""The class review counters' migration, on a database of the previous revision with cards and classes."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from test_migrations import BEFORE_REVIEW, NOW, REVIEW_SEED, build, upgrade_and_seed
from test_migrations import empty_database as empty_database  # the fixture

from quizapp import MIGRATIONS
from quizapp.database import close_all
from quizapp.extensions import db
from quizapp.models import ClassFading, ClassReviewMember, ReviewCard

BEFORE_COUNTERS = "8a581edc989e"  # the last revision without class review counters
CLASSES = [
    ("INSERT INTO user_account (id, email, password_hash, role, created_at) VALUES "
     "(4, 'teacher@example.org', 'x', 'instructor', :now)", {"now": NOW}),
    ("INSERT INTO classroom (id, name, join_code, instructor_id, archived, created_at) VALUES "
     "(1, 'A', 'AAAA', 4, false, :now), (2, 'Empty', 'BBBB', 4, false, :now)", {"now": NOW}),
    ("INSERT INTO enrollment (classroom_id, user_id, joined_at) VALUES (1, 1, :now), (1, 2, :now), (1, 3, :now)",
     {"now": NOW}),
]
ODD = datetime(2026, 1, 4, 10, 17, 5, tzinfo=UTC)  # a fading time off the hour, as the previous release wrote them


def test_the_counters_migration_rounds_fading_times_and_counts_each_class(empty_database):
    app = build(empty_database)
    with app.app_context():
        upgrade_and_seed(BEFORE_REVIEW, REVIEW_SEED)
        upgrade_and_seed(BEFORE_COUNTERS, CLASSES)  # the stored answers replayed into cards
        with db.engine.begin() as conn:
            card = ReviewCard.__table__
            conn.execute(sa.update(card).where(card.c.user_id == 2).values(fading_at=ODD))
            conn.execute(sa.update(card).where(card.c.user_id == 3).values(suspended=True))
        upgrade(directory=MIGRATIONS)
        members = db.session.execute(sa.select(ClassReviewMember.classroom_id, ClassReviewMember.user_id)).all()
        assert sorted(members) == [(1, 1), (1, 2), (1, 3)]
        fading = {user: at.replace(tzinfo=UTC) if at.tzinfo is None else at for user, at in db.session.execute(
            sa.select(ReviewCard.user_id, ReviewCard.fading_at)).all()}
        assert fading[2] == datetime(2026, 1, 4, 11, tzinfo=UTC)
        assert all((at.minute, at.second, at.microsecond) == (0, 0, 0) for at in fading.values())
        rows = db.session.execute(sa.select(ClassFading.classroom_id, ClassFading.question_id, ClassFading.version,
                                            ClassFading.fading_at, ClassFading.cards)).all()
        counted = sorted((c, q, v, at.replace(tzinfo=UTC) if at.tzinfo is None else at, n) for c, q, v, at, n in rows)
        expected = {}
        for user in (1, 2):  # learner 3's card is suspended: counted nowhere
            expected[fading[user]] = expected.get(fading[user], 0) + 1
        assert counted == sorted((1, 1, 1, at, n) for at, n in expected.items())
        db.session.remove()
        close_all()
        downgrade(directory=MIGRATIONS, revision=BEFORE_COUNTERS)
        assert "class_fading" not in sa.inspect(db.engine).get_table_names()
        close_all()
