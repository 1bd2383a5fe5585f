"""The review outcome counters' migration, on a database of the previous revision with a review log."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from test_migration_review_counters import CLASSES
from test_migrations import _ATTEMPT, BEFORE_REVIEW, NOW, REVIEW_SEED, build, upgrade_and_seed
from test_migrations import empty_database as empty_database  # the fixture

from quizapp import MIGRATIONS
from quizapp.database import close_all
from quizapp.extensions import db
from quizapp.models import ReviewOutcome

BEFORE_OUTCOMES = "088daea6c3b9"  # the last revision without review outcome counters
_LOG = ("INSERT INTO review_log (user_id, question_id, version, attempt_id, rating, reviewed_at, first, "
        "elapsed_days, recall, card_before, card_after) VALUES (:user, 1, 1, :id, :rating, :at, false, 1.0, :recall, "
        "NULL, '{}')")
# The replay left first answers: learner 1 missed (Again), 2 right (Good), 3 right after a hint (Hard).
REVIEWS = [  # attempt id, learner, rating, predicted recall
    (5, 1, 3, 0.95),  # learner 1's first review: recovered (bin 4)
    (6, 1, 1, 0.6),  # a later lapse (bin 1): calibration only
    (7, 3, 3, 0.85),  # not missed at first (bin 3)
    (8, 2, 1, 0.3),  # (bin 0)
]


def test_the_outcomes_migration_counts_the_stored_review_log(empty_database):
    app = build(empty_database)
    with app.app_context():
        upgrade_and_seed(BEFORE_REVIEW, REVIEW_SEED)
        upgrade_and_seed(BEFORE_OUTCOMES, CLASSES)  # the stored answers replayed into cards
        with db.engine.begin() as conn:
            for attempt, user, rating, recall in REVIEWS:
                conn.execute(sa.text(_ATTEMPT), {"id": attempt, "user": user, "score": int(rating > 1),
                                                 "correct": rating > 1, "hints": 0, "key": f"r{attempt}", "at": NOW})
                conn.execute(sa.text(_LOG), {"user": user, "id": attempt, "rating": rating, "at": NOW,
                                             "recall": recall})
        upgrade(directory=MIGRATIONS)
        course_id = db.session.execute(sa.text("SELECT course_id FROM lesson")).scalar_one()
        rows = db.session.execute(sa.select(ReviewOutcome)).scalars().all()
        assert sorted((r.user_id, r.course_id, r.bin, r.reviews, r.recalled, r.missed, r.recovered) for r in rows) == [
            (1, course_id, 1, 1, 0, 0, 0), (1, course_id, 4, 1, 1, 1, 1), (2, course_id, 0, 1, 0, 0, 0),
            (3, course_id, 3, 1, 1, 0, 0)]
        db.session.remove()
        close_all()
        downgrade(directory=MIGRATIONS, revision=BEFORE_OUTCOMES)
        assert "review_outcome" not in sa.inspect(db.engine).get_table_names()
        close_all()
