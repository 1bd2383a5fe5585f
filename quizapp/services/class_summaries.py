"""A class's counters per course, so the instructor pages read O(learners) and O(questions) rows, not both.

- ``class_learner``: per member, what the overview shows (answered, correct, last active) and the total
  of their first-attempt scores (t, the discrimination's "whole test").
- ``class_question``: per answer-key version, item analysis's counts and the sums Pearson needs:
  x (first-attempt score), x², t, t² and x·t over the members who tried it.
- ``class_option``: per option, members who ever gave it. ``class_day``: answers per UTC day.

Every answer of a member updates them in the answer's own transaction (``record``), by the difference
the answer made to the learner's summary row (learner_question keeps the row as it was before the
latest merge), so answers add up in any commit order. The class_learner update comes first: it locks
the learner's rows, so on PostgreSQL two answers of one learner apply their differences one after the
other, the second reading t and the rows as the first left them (each statement reads anew under READ
COMMITTED). Shared rows (class_question, class_option, class_day) are locked in key order, table by
table, so answers of different learners cannot deadlock.

When a class's members or a course's questions (current answer keys, retirements) change, counters
made under the old state are wrong. The pages check that first (one query) and rebuild the class's
counters for the course from the learner summaries if needed (``ensure_fresh``), under a lock that
answers wait for.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from sqlalchemy import (
    Date,
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from quizapp.extensions import db
from quizapp.models import (
    ClassCourse,
    ClassDay,
    ClassLearner,
    ClassOption,
    ClassQuestion,
    Classroom,
    Course,
    Enrollment,
    LearnerDay,
    LearnerOption,
    LearnerQuestion,
    Lesson,
    Question,
)
from quizapp.services.progress import active_questions

TABLES = (ClassLearner, ClassQuestion, ClassOption, ClassDay, ClassCourse)  # the order everything locks them in
ADDED = ("learners", "first_correct", "attempts", "ever_correct", "ever_other", "sum_x", "sum_xx", "sum_t",
         "sum_tt", "sum_xt")  # class_question's columns that answers add to
# Bound parameters (named apart from any column, as an UPDATE or INSERT needs).
CLASS, COURSE, USER = (bindparam(name, type_=Integer) for name in ("class", "course", "learner"))
# Constants written into the SQL, not bound: the answer path's statements would carry dozens of parameters.
ZERO, ONE, NOUGHT, WHOLE = (literal_column(v, kind) for v, kind in (("0", Integer), ("1", Integer), ("0.0", Float),
                                                                   ("1.0", Float)))


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


def ensure_fresh(class_id: int, course_id: int) -> None:
    """Rebuild a class's counters for a course unless they were built under its current members and questions."""
    if not is_fresh(class_id, course_id):
        rebuild(class_id, course_id)


def refresh_all() -> int:
    """Rebuild every open class's counters that no longer match its members or a course's questions, for
    every active course (after a content load: so no instructor's page view has to); give how many."""
    pairs = db.session.execute(
        select(Classroom.id, Course.id).join(Course, true()).where(Classroom.archived.is_(False),
                                                                    Course.retired.is_(False))
    ).all()
    stale = [(class_id, course_id) for class_id, course_id in pairs if not is_fresh(class_id, course_id)]
    for class_id, course_id in stale:
        rebuild(class_id, course_id)
    return len(stale)


def is_fresh(class_id: int, course_id: int) -> bool:
    """Say whether the class's counters match its members and the course's current questions (one query)."""
    built, members, counted, both, current, marked, matching = db.session.execute(
        _FRESHNESS, {"class": class_id, "course": course_id}
    ).one()
    return bool(built) and members == counted == both and current == marked == matching


def rebuild(class_id: int, course_id: int) -> None:
    """Recompute a class's counters for a course from the learner summaries, in a transaction of its own.

    The session's transaction ends first, so the rebuild reads the newest rows (SQLite cannot turn an
    older read into a write). On PostgreSQL the class tables are locked in the answer path's order, so
    answers wait and then apply their differences on top; on SQLite the first delete takes the write lock.
    """
    db.session.commit()
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        names = ", ".join(model.__tablename__ for model in TABLES)
        connection.execute(text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))
    keys = {"class": class_id, "course": course_id}
    for statement in (*_CLEAR, *_REBUILD):
        connection.execute(statement, keys)
    connection.execute(insert(ClassCourse), {"classroom_id": class_id, "course_id": course_id,
                                             "built_at": datetime.now(UTC)})
    db.session.commit()


def _active(name: str):
    """The course's current, active answer-key versions: (id, version)."""
    query = active_questions().where(Course.id == COURSE)
    return query.with_only_columns(Question.id, Question.version).subquery(name)


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


def _flag(column):
    return case((column.is_(True), ONE), else_=ZERO)


def _later(old, new):
    """The later of two timestamps, either of which may be missing."""
    return case((new.is_(None), old), (old.is_(None), new), (new > old, new), else_=old)


class _AnswerStatements:
    """The answer path's class statements for one database kind (see ``record``)."""

    def __init__(self, dialect: str):
        insert_for = postgresql.insert if dialect == "postgresql" else sqlite.insert
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
            "first_correct": answered_only(_flag(row.c.first_correct) - _flag(row.c.prev_first_correct)),
            "attempts": answered_only(ONE),
            "ever_correct": answered_only(_flag(row.c.ever_correct) - _flag(row.c.prev_ever_correct)),
            "ever_other": answered_only(_flag(row.c.ever_other) - _flag(row.c.prev_ever_other)),
            "sum_x": answered_only(row.c.first_score - old_x, NOUGHT),
            "sum_xx": answered_only(row.c.first_score * row.c.first_score - old_x * old_x, NOUGHT),
            "sum_t": counted_only(t_new - was_in * t_old),
            "sum_tt": counted_only(t_new * t_new - was_in * t_old * t_old),
            "sum_xt": counted_only(mine.c.first_score * t_new - was_in * x_before * t_old),
        }
        source = (
            select(*values.values())
            .select_from(cl.join(row_on.joined, row.c.user_id == cl.c.user_id)
                         .join(mine_on.joined, mine.c.user_id == cl.c.user_id))
            .where(cl.c.user_id == USER, cl.c.course_id == COURSE, this_row, or_(same, and_(dt != NOUGHT, mine_counts)))
            .order_by(cl.c.classroom_id, mine.c.question_id, mine.c.version)  # one lock order for every answer
        )
        self.questions = _add_up(insert_for, ClassQuestion, list(values), source, ADDED)

        new_option = (
            select(cl.c.classroom_id, cl.c.course_id, bindparam("question", type_=Integer),
                   bindparam("number", type_=Integer), bindparam("option", type_=String), ONE)
            .where(cl.c.user_id == USER, cl.c.course_id == COURSE)
            .order_by(cl.c.classroom_id)
        )
        self.options = _add_up(insert_for, ClassOption, ["classroom_id", "course_id", "question_id", "version",
                                                         "option_id", "learners"], new_option, ("learners",))
        today = (
            select(cl.c.classroom_id, cl.c.course_id, bindparam("today", type_=Date), ONE,
                   bindparam("right", type_=Integer))
            .where(cl.c.user_id == USER, cl.c.course_id == COURSE)
            .order_by(cl.c.classroom_id)
        )
        self.day = _add_up(insert_for, ClassDay, ["classroom_id", "course_id", "day", "attempts", "correct"],
                           today, ("attempts", "correct"))


def _add_up(insert_for, model, columns: list[str], source, added: tuple[str, ...]):
    """INSERT ... SELECT that adds to the existing row's ``added`` columns instead of failing."""
    table = model.__table__
    statement = insert_for(table).from_select(columns, source)
    return statement.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={name: table.c[name] + statement.excluded[name] for name in added},
    )


@cache
def _answer_statements(dialect: str) -> _AnswerStatements:
    return _AnswerStatements(dialect)


# --- freshness and rebuild -------------------------------------------------------------------------


def _count(query):
    return select(func.count()).select_from(query.subquery()).scalar_subquery()


def _freshness():
    cl, cq, members = ClassLearner, ClassQuestion, Enrollment.classroom_id == CLASS
    mine = and_(cl.classroom_id == CLASS, cl.course_id == COURSE)
    marked = and_(cq.classroom_id == CLASS, cq.course_id == COURSE, cq.counted.is_(True))
    current = _active("current")
    return select(
        exists().where(ClassCourse.classroom_id == CLASS, ClassCourse.course_id == COURSE),
        _count(select(Enrollment.user_id).where(members)),
        _count(select(cl.user_id).where(mine)),
        _count(select(cl.user_id).join(Enrollment, and_(Enrollment.user_id == cl.user_id, members)).where(mine)),
        _count(select(current.c.id)),
        _count(select(cq.question_id).where(marked)),
        _count(select(cq.question_id).join(current, and_(current.c.id == cq.question_id,
                                                           current.c.version == cq.version)).where(marked)),
    )


def _rebuild_statements() -> tuple:
    """The set-based INSERT ... SELECTs that recompute a class's counters for a course (after the deletes)."""
    lq, e = LearnerQuestion, Enrollment
    members = e.classroom_id == CLASS
    active = _active("active_question")  # joined on the question only: any version of an active question
    counts = active.c.version == lq.version
    learners = (  # every member, with or without answers; each member's rows read in key order
        select(CLASS, COURSE, e.user_id, func.count(case((counts, 1))),
               func.count(case((and_(counts, lq.ever_correct.is_(True)), 1))),
               func.max(case((active.c.id.is_not(None), lq.last_at))),
               func.coalesce(func.sum(case((counts, lq.first_score))), 0.0))
        .select_from(e)
        .outerjoin(lq, lq.user_id == e.user_id)
        .outerjoin(active, active.c.id == lq.question_id)
        .where(members)
        .group_by(e.user_id)
    )
    cl = ClassLearner
    current = _active("current")
    marked = current.c.id.is_not(None)
    t = case((marked, cl.first_total), else_=0.0)
    in_course = select(Question.id).join(Lesson, Lesson.id == Question.lesson_id).where(Lesson.course_id == COURSE)
    questions = (  # from the members' rows just built: "+ 0" keeps SQLite reading them member by member
        select(CLASS, COURSE, lq.question_id, lq.version, marked, func.count(), func.sum(_flag(lq.first_correct)),
               func.sum(lq.attempts), func.sum(_flag(lq.ever_correct)), func.sum(_flag(lq.ever_other)),
               func.sum(lq.first_score), func.sum(lq.first_score * lq.first_score), func.sum(t), func.sum(t * t),
               func.sum(lq.first_score * t))
        .select_from(cl)
        .join(lq, lq.user_id == cl.user_id)
        .outerjoin(current, and_(current.c.id == lq.question_id, current.c.version == lq.version))
        .where(cl.classroom_id == CLASS, cl.course_id == COURSE, (lq.question_id + 0).in_(in_course))
        .group_by(lq.question_id, lq.version, current.c.id)
    )
    cq = ClassQuestion
    untried = (
        select(CLASS, COURSE, current.c.id, current.c.version, true(), *(ZERO for _ in ADDED))
        .where(~exists().where(cq.classroom_id == CLASS, cq.course_id == COURSE, cq.question_id == current.c.id,
                               cq.version == current.c.version))
    )
    lo, ld = LearnerOption, LearnerDay
    options = (
        select(CLASS, COURSE, lo.question_id, lo.version, lo.option_id, func.count())
        .join(e, and_(e.user_id == lo.user_id, members))
        .where(lo.question_id.in_(in_course))
        .group_by(lo.question_id, lo.version, lo.option_id)
    )
    days = (
        select(CLASS, COURSE, ld.day, func.sum(ld.attempts), func.sum(ld.correct))
        .join(e, and_(e.user_id == ld.user_id, members))
        .where(ld.course_id == COURSE)
        .group_by(ld.day)
    )
    return tuple(
        insert(model).from_select([c.name for c in model.__table__.columns], query)
        for model, query in ((ClassLearner, learners), (ClassQuestion, questions), (ClassQuestion, untried),
                             (ClassOption, options), (ClassDay, days))
    )


_FRESHNESS = _freshness()
_CLEAR = tuple(delete(model).where(model.classroom_id == CLASS, model.course_id == COURSE) for model in TABLES)
_REBUILD = _rebuild_statements()
