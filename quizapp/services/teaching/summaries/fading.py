"""A class's review counters, so the instructor's "what is fading" reads a few rows per question, not every card.

``class_fading`` counts, per class, question, answer key and hour, the counted members' cards (not
suspended) whose predicted recall falls below 0.8 from that hour on (``review_card.fading_at``, rounded
up to the hour). "Fading now" is the sum of a question's rows up to now: the time passing needs no
writes. ``class_review_member`` says whose cards a class counts.

- The answer path takes a card out of its classes' counters before changing it and puts it back after
  (``take_out``/``put_back``, in the answer's transaction): a made, remade, rated or (un)suspended card
  moves from its old hour to its new one; a suspended card counts nowhere.
- The page first brings the member list up to date (``ensure_members``): the cards of members who joined
  since are added and those of members who left are taken away, as many rows as they have. On PostgreSQL
  the counter tables are locked first, so answers wait and then apply their moves on top; on SQLite the
  first write takes the database's write lock.
- Retired questions and old answer keys need no writes either: the page counts the rows of the current
  key of active questions only.

``review_outcome`` counts, per learner, course and bin of the recall predicted at review time, the rated
reviews and those answered right, and the first reviews of questions missed at the first answer and those
answered right (``count_review``, in the rating's transaction). They are per learner, not per class: the
page sums its members' rows (a few per member, by the primary key), so joining or leaving needs no writes.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    not_,
    select,
    text,
    true,
)

from quizapp.database import conflict_insert
from quizapp.extensions import db
from quizapp.models import (
    ClassFading,
    ClassReviewMember,
    Enrollment,
    Lesson,
    Question,
    ReviewCard,
    ReviewLog,
    ReviewOutcome,
)

_T, _M, _F, _E = ReviewCard.__table__, ClassReviewMember.__table__, ClassFading.__table__, Enrollment.__table__
CLASS = bindparam("class", type_=Integer)
_COUNTED = (_T.c.suspended.is_not(true()), _T.c.fading_at.is_not(None))
BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01))  # predicted recall bins (calibration)
NO_RECALL = len(BINS)  # the bin of a review logged without a predicted recall


def take_out(stored, user_id: int, question_id: int) -> None:
    """Take a learner's card on a question out of their classes' counters (nothing if none, or suspended)."""
    stored.execute(_card_statements(stored.dialect.name).take_out, {"uid": user_id, "qid": question_id})


def put_back(stored, user_id: int, question_id: int) -> None:
    """Put a learner's card on a question back in their classes' counters, as it is now."""
    stored.execute(_card_statements(stored.dialect.name).put_back, {"uid": user_id, "qid": question_id})


def count_review(stored, attempt, rating: int, recall: float | None, first_review: bool) -> None:
    """Count a rated review in the learner's outcomes for the question's course: its recall bin, whether it was
    right, and, if it is the card's first review and the card's first answer was missed, the recovery."""
    stored.execute(_outcome_statement(stored.dialect.name), {
        "uid": attempt["user_id"], "qid": attempt["question_id"], "version": attempt["version"],
        "bin": bin_of(recall), "right": int(rating > 1), "first_review": int(first_review)})


def bin_of(recall: float | None) -> int:
    """The calibration bin of a predicted recall (``NO_RECALL`` for none)."""
    if recall is None:
        return NO_RECALL
    return next((index for index, (_low, high) in enumerate(BINS) if recall < high), len(BINS) - 1)


def ensure_members(class_id: int) -> bool:
    """Count the cards of the class's members who joined since, and stop counting those of members who left,
    in a transaction of its own; say whether anything was done (one query when nothing changed)."""
    row = db.session.execute(_FRESHNESS, {"class": class_id}).one()
    if row.members == row.counted == row.both:
        return False
    db.session.commit()  # what follows reads the newest rows (SQLite cannot turn an older read into a write)
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK)
    for statement in _member_statements(connection.dialect.name).all:
        connection.execute(statement, {"class": class_id})
    db.session.commit()
    return True


def _add_cards(insert_for, source):
    """INSERT ... SELECT card counts into class_fading, adding to a row that is there already."""
    statement = insert_for(_F).from_select(["classroom_id", "question_id", "version", "fading_at", "cards"], source)
    return statement.on_conflict_do_update(index_elements=list(_F.primary_key.columns),
                                           set_={"cards": _F.c.cards + statement.excluded.cards})


class _CardStatements:
    """One card's move in its classes' counters, for one database kind."""

    def __init__(self, dialect: str):
        def moved(sign: str):
            source = (select(_M.c.classroom_id, _T.c.question_id, _T.c.version, _T.c.fading_at,
                             literal_column(sign, Integer))
                      .select_from(_T.join(_M, _M.c.user_id == _T.c.user_id))
                      .where(_T.c.user_id == bindparam("uid"), _T.c.question_id == bindparam("qid"), *_COUNTED)
                      .order_by(_M.c.classroom_id))  # one lock order for every answer
            return _add_cards(conflict_insert(dialect), source)

        self.take_out, self.put_back = moved("-1"), moved("1")


class _MemberStatements:
    """Adding the members who joined and taking away those who left, for one database kind."""

    def __init__(self, dialect: str):
        member = exists().where(_E.c.classroom_id == CLASS, _E.c.user_id == _M.c.user_id)
        counted = exists().where(_M.c.classroom_id == CLASS, _M.c.user_id == _E.c.user_id)
        left = select(_M.c.user_id).where(_M.c.classroom_id == CLASS, not_(member))
        joined = select(_E.c.user_id).where(_E.c.classroom_id == CLASS, not_(counted))

        def cards_of(users, sign: str):
            return _add_cards(conflict_insert(dialect), (
                select(CLASS, _T.c.question_id, _T.c.version, _T.c.fading_at, literal_column(sign) * func.count())
                .where(_T.c.user_id.in_(users), *_COUNTED)
                .group_by(_T.c.question_id, _T.c.version, _T.c.fading_at)))

        self.all = (
            cards_of(left, "-1"),
            delete(_M).where(_M.c.classroom_id == CLASS, not_(member)),
            cards_of(joined, "1"),
            insert(_M).from_select(["classroom_id", "user_id"], select(CLASS, _E.c.user_id).where(
                _E.c.classroom_id == CLASS, not_(counted))),
            delete(_F).where(_F.c.classroom_id == CLASS, _F.c.cards == 0),
        )


def _count(query):
    return select(func.count()).select_from(query.subquery()).scalar_subquery()


_FRESHNESS = select(
    _count(select(_E.c.user_id).where(_E.c.classroom_id == CLASS)).label("members"),
    _count(select(_M.c.user_id).where(_M.c.classroom_id == CLASS)).label("counted"),
    _count(select(_M.c.user_id).join(_E, and_(_E.c.user_id == _M.c.user_id, _E.c.classroom_id == CLASS))
           .where(_M.c.classroom_id == CLASS)).label("both"),
)
_LOCK = text(f"LOCK TABLE {_M.name}, {_F.name} IN SHARE ROW EXCLUSIVE MODE")


@cache
def _outcome_statement(dialect: str):
    """The upsert of one rated review into the learner's outcomes (the course found from the question)."""
    log, outcome = ReviewLog.__table__, ReviewOutcome.__table__
    missed_first = select(func.count()).where(
        log.c.user_id == bindparam("uid"), log.c.question_id == bindparam("qid"), log.c.version == bindparam("version"),
        log.c.first.is_(true()), log.c.rating == 1).scalar_subquery()
    missed = case((bindparam("first_review", type_=Integer) == 1, missed_first), else_=0)
    right = bindparam("right", type_=Integer)
    source = (select(bindparam("uid", type_=Integer), Lesson.course_id, bindparam("bin", type_=Integer), literal(1),
                     right, missed, missed * right)
              .select_from(Question.__table__.join(Lesson.__table__, Lesson.id == Question.lesson_id))
              .where(Question.id == bindparam("qid")))
    statement = conflict_insert(dialect)(outcome).from_select(
        ["user_id", "course_id", "bin", "reviews", "recalled", "missed", "recovered"], source)
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=list(outcome.primary_key.columns),
        set_={name: outcome.c[name] + new[name] for name in ("reviews", "recalled", "missed", "recovered")})


@cache
def _card_statements(dialect: str) -> _CardStatements:
    return _CardStatements(dialect)


@cache
def _member_statements(dialect: str) -> _MemberStatements:
    return _MemberStatements(dialect)
