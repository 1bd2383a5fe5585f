"""The dashboards' summary rows: what one stored attempt contributes, and the upserts that merge it.

Used by the answer path (one attempt at a time, in the attempt's own transaction) and by synth (in
bulk), so both build exactly the same learner_question, learner_option and learner_day rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from functools import cache

from sqlalchemy import case, or_
from sqlalchemy.dialects import postgresql, sqlite

from quizapp.models import LearnerDay, LearnerOption, LearnerQuestion


def summary_values(attempt_id: int, attempt: Mapping) -> dict:
    """Give the learner_question row that one stored attempt alone would make (merged by the upsert)."""
    return {
        "user_id": attempt["user_id"], "question_id": attempt["question_id"], "version": attempt["version"],
        "attempts": 1, "first_attempt_id": attempt_id, "first_score": attempt["score"],
        "first_correct": attempt["correct"], "first_hints": attempt["hints_used"],
        "first_at": attempt["created_at"], "last_attempt_id": attempt_id, "last_correct": attempt["correct"],
        "last_at": attempt["created_at"], "best_score": attempt["score"], "ever_correct": attempt["correct"],
        "ever_other": not attempt["correct"] and not attempt["matched"],
    }


def day_values(course_id: int, attempt: Mapping) -> dict:
    """Give the learner_day row that one stored attempt alone would make (added up by the upsert)."""
    return {"user_id": attempt["user_id"], "course_id": course_id, "day": attempt["created_at"].astimezone(UTC).date(),
            "attempts": 1, "correct": int(bool(attempt["correct"]))}


@cache
def summary_statements(dialect: str):
    """Build, once per database kind, the learner_question and learner_day upserts and the learner_option
    insert-if-new.

    The merge is order-free: "first" keeps the lower attempt id and "last" the higher, so two answers
    committing in either order leave the same row.
    """
    insert_for = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = LearnerQuestion.__table__
    statement = insert_for(table)
    old, new = table.c, statement.excluded
    earlier, later = new.first_attempt_id < old.first_attempt_id, new.last_attempt_id > old.last_attempt_id
    merged = {
        "attempts": old.attempts + new.attempts,
        **{name: case((earlier, new[name]), else_=old[name])
           for name in ("first_attempt_id", "first_score", "first_correct", "first_hints")},
        "first_at": case((new.first_at < old.first_at, new.first_at), else_=old.first_at),
        **{name: case((later, new[name]), else_=old[name]) for name in ("last_attempt_id", "last_correct")},
        "last_at": case((new.last_at > old.last_at, new.last_at), else_=old.last_at),
        "best_score": case((new.best_score > old.best_score, new.best_score), else_=old.best_score),
        "ever_correct": or_(old.ever_correct, new.ever_correct),
        "ever_other": or_(old.ever_other, new.ever_other),
    }
    upsert = statement.on_conflict_do_update(
        index_elements=[old.user_id, old.question_id, old.version], set_=merged
    ).returning(old.attempts, old.last_correct.label("correct"))  # the learner's status after this answer
    days = insert_for(LearnerDay.__table__)
    count_day = days.on_conflict_do_update(
        index_elements=[LearnerDay.user_id, LearnerDay.course_id, LearnerDay.day],
        set_={"attempts": LearnerDay.attempts + days.excluded.attempts,
              "correct": LearnerDay.correct + days.excluded.correct},
    )
    return upsert, insert_for(LearnerOption.__table__).on_conflict_do_nothing(), count_day
