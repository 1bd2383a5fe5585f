"""A class's counters per course, so the instructor pages read O(learners) and O(questions) rows, not both.

- ``class_learner``: per member, what the overview shows (answered, correct, last active) and the total
  of their first-attempt scores (t, the discrimination's "whole test").
- ``class_question``: per answer-key version, item analysis's counts and the sums Pearson needs:
  x (first-attempt score), x², t, t² and x·t over the members who tried it.
- ``class_option``: per option, members who ever gave it. ``class_day``: answers per UTC day.

Every answer of a member updates them in the answer's own transaction (``class_answers.record``).

When a class's members or a course's questions (current answer keys, retirements) change, counters
made under the old state are wrong. The pages check that first (one query, ``ensure_fresh``). If only
new members joined since the counters were built, their rows are added (``add_members``: as many rows as
they have, whatever the class's size); otherwise the class's counters for the course are rebuilt from
the learner summaries (``rebuild``). Both run under a lock that answers wait for.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from sqlalchemy import (
    Float,
    Integer,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    literal_column,
    select,
    text,
    true,
)

from quizapp.database import conflict_insert
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
from quizapp.services.learning.progress import active_questions

TABLES = (ClassLearner, ClassQuestion, ClassOption, ClassDay, ClassCourse)  # the order everything locks them in
ADDED = {  # per counter table, the columns that answers (and new members) add to
    ClassQuestion: ("learners", "first_correct", "attempts", "ever_correct", "ever_other", "sum_x", "sum_xx", "sum_t",
                    "sum_tt", "sum_xt"),
    ClassOption: ("learners",),
    ClassDay: ("attempts", "correct"),
}
# Bound parameters (named apart from any column, as an UPDATE or INSERT needs).
CLASS, COURSE, USER = (bindparam(name, type_=Integer) for name in ("class", "course", "learner"))
# Constants written into the SQL, not bound: the answer path's statements would carry dozens of parameters.
ZERO, ONE, NOUGHT, WHOLE = (literal_column(v, kind) for v, kind in (("0", Integer), ("1", Integer), ("0.0", Float),
                                                                   ("1.0", Float)))
ADD_AT_MOST = 500  # new members added to built counters one by one; more than that, and a rebuild is as quick


def ensure_fresh(class_id: int, course_id: int) -> bool:
    """Bring a class's counters for a course up to date: nothing to do if they were built under its current
    members and questions; only the members who joined since to add, if that is all that changed (and they
    are not too many); else a rebuild. Say whether anything was done."""
    state = _state(class_id, course_id)
    if _fresh(*state):
        return False
    built, members, counted, both, current, marked, matching = state
    if built and counted == both and current == marked == matching and members - counted <= ADD_AT_MOST:
        add_members(class_id, course_id)
    else:
        rebuild(class_id, course_id)
    return True


def refresh_all() -> int:
    """Bring every open class's counters up to date for every active course (``ensure_fresh``), after a
    content load, so that no instructor's page view has to; give how many needed it."""
    pairs = db.session.execute(
        select(Classroom.id, Course.id).join(Course, true()).where(Classroom.archived.is_(False),
                                                                    Course.retired.is_(False))
    ).all()
    return sum(ensure_fresh(class_id, course_id) for class_id, course_id in pairs)


def is_fresh(class_id: int, course_id: int) -> bool:
    """Say whether the class's counters match its members and the course's current questions (one query)."""
    return _fresh(*_state(class_id, course_id))


def _fresh(built, members, counted, both, current, marked, matching) -> bool:
    return bool(built) and members == counted == both and current == marked == matching


def _state(class_id: int, course_id: int) -> tuple:
    """Built or not; members, counted learners and counted members; current versions, marked ones, both."""
    return tuple(db.session.execute(_FRESHNESS, {"class": class_id, "course": course_id}).one())


def rebuild(class_id: int, course_id: int) -> None:
    """Recompute a class's counters for a course from the learner summaries, in a transaction of its own.

    The session's transaction ends first, so the rebuild reads the newest rows (SQLite cannot turn an
    older read into a write). On PostgreSQL the class tables are locked in the answer path's order, so
    answers wait and then apply their differences on top; on SQLite the first delete takes the write lock.
    """
    connection = _locked()
    keys = {"class": class_id, "course": course_id}
    for statement in (*_CLEAR, *_REBUILD):
        connection.execute(statement, keys)
    connection.execute(insert(ClassCourse), {"classroom_id": class_id, "course_id": course_id,
                                             "built_at": datetime.now(UTC)})
    db.session.commit()


def add_members(class_id: int, course_id: int) -> int:
    """Add the members who joined since a class's counters for a course were built, exactly as a rebuild
    would count them, in a transaction of its own; give how many.

    Under the rebuild's locks: on PostgreSQL the class tables are locked first; on SQLite the first
    statement, which inserts the new members' class_learner rows and says whose they are, takes the
    write lock. Their answers stored meanwhile wait, then add their differences on top.
    """
    connection = _locked()
    keys = {"class": class_id, "course": course_id}
    statements = _member_statements(connection.dialect.name)
    joined = connection.execute(statements.learners, keys).scalars().all()
    if joined:
        for statement in statements.rest:
            connection.execute(statement, {**keys, "users": joined})
    db.session.commit()
    return len(joined)


def _locked():
    """End the session's transaction (so what follows reads the newest rows: SQLite cannot turn an older
    read into a write) and, on PostgreSQL, lock the class tables in the answer path's order."""
    db.session.commit()
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        names = ", ".join(model.__tablename__ for model in TABLES)
        connection.execute(text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))
    return connection


def _active(name: str):
    """The course's current, active answer-key versions: (id, version)."""
    query = active_questions().where(Course.id == COURSE)
    return query.with_only_columns(Question.id, Question.version).subquery(name)


def flag(column):
    """1 where a boolean column is true, else 0 (as an integer on both databases)."""
    return case((column.is_(True), ONE), else_=ZERO)


def add_up(insert_for, model, source, columns: list[str] | None = None):
    """INSERT ... SELECT into a counter table that adds to the existing row's ``ADDED`` columns instead of
    failing; ``source`` gives ``columns`` (by default every column of the table, in its order)."""
    table = model.__table__
    statement = insert_for(table).from_select(columns or _columns(model), source)
    return statement.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={name: table.c[name] + statement.excluded[name] for name in ADDED[model]},
    )


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


class _Sources:
    """The SELECTs that compute a class's counters for a course from the learner summaries."""

    def __init__(self) -> None:
        lq, e = LearnerQuestion, Enrollment
        members = e.classroom_id == CLASS
        active = _active("active_question")  # joined on the question only: any version of an active question
        counts = active.c.version == lq.version
        self.learners = (  # every member, with or without answers; each member's rows read in key order
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
        self.questions = (  # from the members' rows just built: "+ 0" keeps SQLite reading them member by member
            select(CLASS, COURSE, lq.question_id, lq.version, marked, func.count(), func.sum(flag(lq.first_correct)),
                   func.sum(lq.attempts), func.sum(flag(lq.ever_correct)), func.sum(flag(lq.ever_other)),
                   func.sum(lq.first_score), func.sum(lq.first_score * lq.first_score), func.sum(t), func.sum(t * t),
                   func.sum(lq.first_score * t))
            .select_from(cl)
            .join(lq, lq.user_id == cl.user_id)
            .outerjoin(current, and_(current.c.id == lq.question_id, current.c.version == lq.version))
            .where(cl.classroom_id == CLASS, cl.course_id == COURSE, (lq.question_id + 0).in_(in_course))
            .group_by(lq.question_id, lq.version, current.c.id)
        )
        cq = ClassQuestion
        self.untried = (
            select(CLASS, COURSE, current.c.id, current.c.version, true(), *(ZERO for _ in ADDED[ClassQuestion]))
            .where(~exists().where(cq.classroom_id == CLASS, cq.course_id == COURSE, cq.question_id == current.c.id,
                                   cq.version == current.c.version))
        )
        lo, ld = LearnerOption, LearnerDay
        self.options = (
            select(CLASS, COURSE, lo.question_id, lo.version, lo.option_id, func.count())
            .join(e, and_(e.user_id == lo.user_id, members))
            .where(lo.question_id.in_(in_course))
            .group_by(lo.question_id, lo.version, lo.option_id)
        )
        self.days = (
            select(CLASS, COURSE, ld.day, func.sum(ld.attempts), func.sum(ld.correct))
            .join(e, and_(e.user_id == ld.user_id, members))
            .where(ld.course_id == COURSE)
            .group_by(ld.day)
        )


def _columns(model) -> list[str]:
    return [column.name for column in model.__table__.columns]


def _rebuild_statements(sources: _Sources) -> tuple:
    """The set-based INSERT ... SELECTs that recompute a class's counters for a course (after the deletes)."""
    return tuple(
        insert(model).from_select(_columns(model), query)
        for model, query in ((ClassLearner, sources.learners), (ClassQuestion, sources.questions),
                             (ClassQuestion, sources.untried), (ClassOption, sources.options),
                             (ClassDay, sources.days))
    )


class _MemberStatements:
    """``add_members``' statements for one database kind: the rebuild's, for the new members only, adding to
    the rows there are (the "untried" rows already exist: the counters were built)."""

    def __init__(self, dialect: str) -> None:
        insert_for = conflict_insert(dialect)
        sources, cl, users = _SOURCES, ClassLearner, bindparam("users", expanding=True)
        counted = exists().where(cl.classroom_id == CLASS, cl.course_id == COURSE, cl.user_id == Enrollment.user_id)
        self.learners = (insert(ClassLearner).from_select(_columns(ClassLearner), sources.learners.where(~counted))
                         .returning(ClassLearner.user_id))
        self.rest = (
            add_up(insert_for, ClassQuestion, sources.questions.where(cl.user_id.in_(users))),
            add_up(insert_for, ClassOption, sources.options.where(LearnerOption.user_id.in_(users))),
            add_up(insert_for, ClassDay, sources.days.where(LearnerDay.user_id.in_(users))),
        )


@cache
def _member_statements(dialect: str) -> _MemberStatements:
    return _MemberStatements(dialect)


_FRESHNESS = _freshness()
_CLEAR = tuple(delete(model).where(model.classroom_id == CLASS, model.course_id == COURSE) for model in TABLES)
_SOURCES = _Sources()
_REBUILD = _rebuild_statements(_SOURCES)
