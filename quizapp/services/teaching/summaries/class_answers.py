"""The answer path's side of the class counters (``class_summaries``): one answer's difference, added.

Every answer of a member updates the counters in the answer's own transaction (``record``), by the
difference the answer made to the learner's summary row (learner_question keeps the row as it was before
the latest merge), so answers add up in any commit order. The class_learner update comes first: it locks
the learner's rows, so on PostgreSQL two answers of one learner apply their differences one after the
other, the second reading t and the rows as the first left them (each statement reads anew under READ
COMMITTED). Shared rows (class_question, class_option, class_day) are locked in key order, table by
table, so answers of different learners cannot deadlock.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Date, Integer, String, and_, bindparam, case, false, func, not_, or_, select, union_all, update

from quizapp.database import conflict_insert
from quizapp.models import ClassDay, ClassLearner, ClassOption, ClassQuestion, Course, LearnerQuestion, Lesson, Question
from quizapp.services.teaching.summaries.class_summaries import COURSE, NOUGHT, ONE, USER, WHOLE, ZERO, add_up, flag


def record(connection, keys: dict, new_options: list[str]) -> None:
    """Add one stored answer's difference to the counters of every class its learner is counted in.

    ``keys``: learner, course, question, number (the version), today and right (0 or 1);
    ``new_options``: the options this answer gave for the first time. Runs after the learner_question upsert.
    """
    statements = _answer_statements(connection.dialect.name)
    connection.execute(statements.learner, keys)
    connection.execute(statements.questions, keys)
    if new_options:
        connection.execute(statements.options, [{**keys, "option": option} for option in new_options])
    connection.execute(statements.day, keys)


class _Placed:
    """A summary row joined to its question, lesson and course (by primary key): is it counted?"""

    def __init__(self, row):
        question, lesson, course = (model.__table__.alias(f"{row.name}_{model.__tablename__}")
                                    for model in (Question, Lesson, Course))
        self.joined = (row.join(question, question.c.id == row.c.question_id)
                       .join(lesson, lesson.c.id == question.c.lesson_id)
                       .join(course, course.c.id == lesson.c.course_id))
        self.active = and_(course.c.id == COURSE, question.c.retired.is_(False), lesson.c.retired.is_(False),
                           course.c.retired.is_(False))  # an active question of the course, any version
        self.counts = and_(self.active, question.c.version == row.c.version)


def _later(old, new):
    """The later of two timestamps, either of which may be missing."""
    return case((new.is_(None), old), (old.is_(None), new), (new > old, new), else_=old)


class _AnswerStatements:
    """The answer path's class statements for one database kind (see ``record``)."""

    def __init__(self, dialect: str):
        insert_for = conflict_insert(dialect)
        lq = LearnerQuestion.__table__
        cl, row, mine = ClassLearner.__table__, lq.alias("answered"), lq.alias("mine")
        # Whether a summary row is on an active question of the course, and at its current version: looked
        # up by primary key per row (never the course's whole question list, which may be long).
        row_on, mine_on = _Placed(row), _Placed(mine)
        this_row = and_(row.c.user_id == USER, row.c.question_id == bindparam("question"),
                        row.c.version == bindparam("number"))
        is_new = row.c.prev_first_score.is_(None)  # the answer made the row
        old_x = func.coalesce(row.c.prev_first_score, NOUGHT)
        counts = row_on.counts
        dt = case((counts, row.c.first_score - old_x), else_=NOUGHT)  # how much the learner's t moved

        delta = (
            select(row.c.user_id, case((and_(counts, is_new), ONE), else_=ZERO).label("answered"),
                   case((and_(counts, row.c.ever_correct.is_(True), or_(row.c.prev_ever_correct.is_(None),
                                                                        row.c.prev_ever_correct.is_(False))), ONE),
                        else_=ZERO).label("correct"),
                   case((row_on.active, row.c.last_at)).label("last_at"), dt.label("dt"))
            .select_from(row_on.joined)
            .where(this_row)
            .subquery("delta")
        )
        self.learner = (
            update(cl)
            .where(cl.c.user_id == delta.c.user_id, cl.c.course_id == COURSE)
            .values(answered=cl.c.answered + delta.c.answered, correct=cl.c.correct + delta.c.correct,
                    last_active=_later(cl.c.last_active, delta.c.last_at), first_total=cl.c.first_total + delta.c.dt)
        )

        # One row per class of the learner for the answered version, and, when t moved, for every other
        # current version the learner tried (their t sums move too). t_new is the learner's updated total.
        same = and_(mine.c.question_id == row.c.question_id, mine.c.version == row.c.version)
        mine_counts = mine_on.counts
        t_new = cl.c.first_total
        t_old = t_new - dt
        was_in = case((and_(same, is_new), NOUGHT), else_=WHOLE)
        x_before = case((same, old_x), else_=mine.c.first_score)

        def answered_only(value, zero=ZERO):
            return case((same, value), else_=zero)

        def counted_only(value):
            return case((mine_counts, value), else_=NOUGHT)

        values = {
            "classroom_id": cl.c.classroom_id, "course_id": cl.c.course_id, "question_id": mine.c.question_id,
            "version": mine.c.version, "counted": false(),
            "learners": case((and_(same, is_new), ONE), else_=ZERO),
            "first_correct": answered_only(flag(row.c.first_correct) - flag(row.c.prev_first_correct)),
            "attempts": answered_only(ONE),
            "ever_correct": answered_only(flag(row.c.ever_correct) - flag(row.c.prev_ever_correct)),
            "ever_other": answered_only(flag(row.c.ever_other) - flag(row.c.prev_ever_other)),
            "sum_x": answered_only(row.c.first_score - old_x, NOUGHT),
            "sum_xx": answered_only(row.c.first_score * row.c.first_score - old_x * old_x, NOUGHT),
            "sum_t": counted_only(t_new - was_in * t_old),
            "sum_tt": counted_only(t_new * t_new - was_in * t_old * t_old),
            "sum_xt": counted_only(mine.c.first_score * t_new - was_in * x_before * t_old),
        }
        joined = (select(*(value.label(name) for name, value in values.items()))
                  .select_from(cl.join(row_on.joined, row.c.user_id == cl.c.user_id)
                               .join(mine_on.joined, mine.c.user_id == cl.c.user_id))
                  .where(cl.c.user_id == USER, cl.c.course_id == COURSE, this_row))
        # The answered version's rows, and the learner's other versions only when t moved: apart, so an answer
        # that leaves t alone (any but a learner's first on a question) reads none of their other rows.
        source = union_all(joined.where(same), joined.where(not_(same), dt != NOUGHT, mine_counts)).order_by(
            "classroom_id", "question_id", "version")  # one lock order for every answer
        self.questions = add_up(insert_for, ClassQuestion, source, list(values))

        new_option = (  # class_option's columns, in order
            select(cl.c.classroom_id, cl.c.course_id, bindparam("question", type_=Integer),
                   bindparam("number", type_=Integer), bindparam("option", type_=String), ONE)
            .where(cl.c.user_id == USER, cl.c.course_id == COURSE)
            .order_by(cl.c.classroom_id)
        )
        self.options = add_up(insert_for, ClassOption, new_option)
        today = (  # class_day's columns, in order
            select(cl.c.classroom_id, cl.c.course_id, bindparam("today", type_=Date), ONE,
                   bindparam("right", type_=Integer))
            .where(cl.c.user_id == USER, cl.c.course_id == COURSE)
            .order_by(cl.c.classroom_id)
        )
        self.day = add_up(insert_for, ClassDay, today)


@cache
def _answer_statements(dialect: str) -> _AnswerStatements:
    return _AnswerStatements(dialect)
