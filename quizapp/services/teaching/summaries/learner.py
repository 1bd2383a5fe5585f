"""The dashboards' summary rows: what one stored attempt contributes, and the statements that merge it.

Used by the answer path (one attempt at a time, in the attempt's own transaction, through
``record_answer``) and by synth (in bulk), so both build exactly the same learner_question,
learner_option and learner_day rows. The class counters the instructor pages read are kept in
``class_summaries``; ``record_answer`` runs their statements (``class_answers``) too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from functools import cache

from sqlalchemy import Boolean, case, literal_column, or_
from sqlalchemy.engine import Row

from quizapp.database import conflict_insert
from quizapp.extensions import db
from quizapp.models import LearnerDay, LearnerOption, LearnerQuestion
from quizapp.services.teaching.summaries import class_answers


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


def record_answer(attempt_id: int, attempt: Mapping, course_id: int, connection=None) -> Row:
    """Merge a just-stored attempt (and the options it matched) into every dashboard summary, in the attempt's
    transaction.

    ``connection`` is where the attempt was stored: a ``quizapp.speed.direct`` transaction, or by default the ORM
    session's connection. Gives the learner's standing on the question after it: ``attempts`` and
    ``correct`` (the latest). Two statements for a learner in no class, plus one per option matched; three
    or four more for a class member.
    """
    if connection is None:
        connection = db.session.connection()
    statements = _statements(connection.dialect.name)
    new_options = []  # options this learner gives for the first time: the class counters count them once
    for option_id in dict.fromkeys(attempt["matched"]):
        option = {"user_id": attempt["user_id"], "question_id": attempt["question_id"], "version": attempt["version"],
                  "option_id": option_id}
        new_options += connection.execute(statements.add_option, option).scalars()
    standing = connection.execute(statements.upsert, summary_values(attempt_id, attempt)).one()
    day = day_values(course_id, attempt)
    if standing.member:
        keys = {"learner": attempt["user_id"], "course": course_id, "question": attempt["question_id"],
                "number": attempt["version"], "today": day["day"], "right": day["correct"]}
        class_answers.record(connection, keys, new_options)
    connection.execute(statements.count_day, day)
    return standing


class _Statements:
    """The answer path's learner-level statements for one database kind."""

    def __init__(self, dialect: str):
        insert_for = conflict_insert(dialect)
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
            # what the class counters subtract (a new row keeps them NULL)
            **{f"prev_{name}": old[name] for name in ("first_score", "first_correct", "ever_correct", "ever_other")},
        }
        # Is the learner in any class? (Written out: a subquery in RETURNING is not correlated for us.)
        member = literal_column(
            "EXISTS (SELECT 1 FROM enrollment WHERE enrollment.user_id = learner_question.user_id)", Boolean
        )
        self.upsert = statement.on_conflict_do_update(
            index_elements=[old.user_id, old.question_id, old.version], set_=merged
        ).returning(old.attempts, old.last_correct.label("correct"), member.label("member"))
        # An option the learner gives for the first time comes back; one given before, not.
        self.add_option = insert_for(LearnerOption.__table__).on_conflict_do_nothing().returning(
            LearnerOption.option_id)
        days = insert_for(LearnerDay.__table__)
        self.count_day = days.on_conflict_do_update(
            index_elements=[LearnerDay.user_id, LearnerDay.course_id, LearnerDay.day],
            set_={"attempts": LearnerDay.attempts + days.excluded.attempts,
                  "correct": LearnerDay.correct + days.excluded.correct},
        )


@cache
def _statements(dialect: str) -> _Statements:
    """Build the learner-level statements once per database kind (the merge is order-free: "first" keeps the
    lower attempt id and "last" the higher, so two answers committing in either order leave the same row)."""
    return _Statements(dialect)
