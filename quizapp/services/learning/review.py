"""The learner's review queue: the due count, the next due card, a card's current round, hints in a round,
suspending a card, and what is coming when nothing is due.

Every function takes ``now`` (aware UTC): the views pass their clock's time, tests a controlled one. A
card is in the queue while it is not suspended and its question, lesson and course are active: cards of a
retired question are out of the queue and come back with it. Answers go through ``practice`` with a
``review_cards.Round`` (rated there, in the answer's transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Boolean, and_, bindparam, case, func, or_, select, true, update

from quizapp.models import Attempt, Course, Lesson, Question, ReviewCard, ReviewLog
from quizapp.services.learning.presenter import LastAnswer, QuestionState
from quizapp.services.learning.review_cards import CardRow, Round
from quizapp.services.learning.review_schedule import utc
from quizapp.services.teaching.review_counters import put_back, take_out
from quizapp.speed.direct import Prepared, read, read_one, transaction

SHOWN_MAX = 99  # the navigation's count stops here ("99+"): counting further would read every due card


@dataclass(frozen=True)
class ReviewItem:
    """A learner's card and where its question lives, with the card's current round as the presenter needs it."""

    question_id: int
    course_key: str
    lesson_slug: str
    anchor: str
    card: CardRow
    round_due: datetime | None
    tries: int
    hints: int
    asked: bool
    last: LastAnswer | None

    def round_for(self, now: datetime, token: datetime | None = None) -> Round:
        """Give the round an answer belongs to: the form's (``token``), else the card's due now."""
        return Round(token if token is not None else utc(self.card.due), now, self.card)

    def state_in(self, review: Round) -> QuestionState:
        """Give the learner's state on the question in this round (a new round starts with nothing)."""
        if self.round_due is None or utc(self.round_due) != utc(review.due):
            return QuestionState()
        correct = None if self.last is None or not self.tries else self.last.correct
        last = self.last if self.tries else None
        return QuestionState(self.tries, correct, self.hints, self.asked, last,
                             last_attempt_id=None if last is None else last.attempt_id)


@dataclass(frozen=True)
class Rated:
    """What a review answer did to its card: the rating, the round it was given in, and when the card is due."""

    rating: int
    round_due: datetime
    due: datetime


@dataclass(frozen=True)
class Outlook:
    """When nothing is due: when the next card is, and how many come in the next 7 days."""

    next_due: datetime | None
    this_week: int


def count_due(user_id: int, now: datetime, course_key: str | None = None) -> int:
    """Count the learner's due cards (in one course, if given), up to ``SHOWN_MAX + 1`` (one indexed range
    read, a few rows)."""
    prepared = _COUNT if course_key is None else _COUNT_IN_COURSE
    return read_one(prepared, {"user_id": user_id, "now": now, "cap": SHOWN_MAX + 1, "course_key": course_key}).due


def get_next_due(user_id: int, now: datetime, course_key: str | None = None) -> ReviewItem | None:
    """Give the learner's most overdue card (in one course, if given)."""
    prepared = _NEXT if course_key is None else _NEXT_IN_COURSE
    row = read_one(prepared, {"user_id": user_id, "now": now, "course_key": course_key})
    return None if row is None else _item(row)


def get_due(user_id: int, now: datetime, course_key: str | None = None, limit: int = 10) -> list[ReviewItem]:
    """Give the learner's due cards, most overdue first, up to ``limit`` (in one course, if given)."""
    prepared = _DUE if course_key is None else _DUE_IN_COURSE
    return [_item(row) for row in read(prepared, {"user_id": user_id, "now": now, "course_key": course_key,
                                                  "cap": limit})]


def get_item(user_id: int, question_id: int) -> ReviewItem | None:
    """Give one card of the learner's whose question is active (due or not)."""
    row = read_one(_ONE, {"user_id": user_id, "question_id": question_id})
    return None if row is None else _item(row)


def get_outlook(user_id: int, now: datetime, course_key: str | None = None) -> Outlook:
    """Say when the next card comes and how many come in the next 7 days."""
    params = {"user_id": user_id, "now": now, "week": now + timedelta(days=7), "course_key": course_key}
    row = read_one(_OUTLOOK if course_key is None else _OUTLOOK_IN_COURSE, params)
    return Outlook(utc(row.next_due), row.this_week or 0)


def get_rated(user_id: int, attempt_id: int) -> Rated | None:
    """Give how an answer rated its card in a review (None if it rated none, or only made the card)."""
    row = read_one(_RATED, {"user_id": user_id, "attempt_id": attempt_id})
    if row is None or row.card_before is None:
        return None
    return Rated(row.rating, utc(datetime.fromisoformat(row.card_before["due"])),
                 utc(datetime.fromisoformat(row.card_after["due"])))


def take_hint(user_id: int, question_id: int, review: Round, cap: int) -> int:
    """Reveal the next hint in this review round (up to ``cap``); give how many the round has seen."""
    return _round_help(user_id, question_id, review, 1, False, cap)


def mark_asked(user_id: int, question_id: int, review: Round) -> None:
    """Record that the solution was asked for in this review round."""
    _round_help(user_id, question_id, review, 0, True, 1 << 16)


def set_suspended(user_id: int, question_id: int, suspended: bool) -> bool:
    """Take a card out of the queue ("don't show this again"), or put it back; say whether there was one."""
    with transaction() as stored:
        take_out(stored, user_id, question_id)
        found = stored.execute(_SUSPEND, {"uid": user_id, "qid": question_id, "suspended": suspended})
        put_back(stored, user_id, question_id)
    return bool(found)


def _round_help(user_id: int, question_id: int, review: Round, more: int, asked: bool, cap: int) -> int:
    params = {"uid": user_id, "qid": question_id, "round": review.due, "more": more,
              "asked": asked, "cap": cap}
    with transaction() as stored:
        rows = stored.execute(_HELP, params)
    return rows[0].hints if rows else 0


def _item(row) -> ReviewItem:
    card = CardRow(row.version, row.state, row.step, row.stability, row.difficulty, row.due, row.last_review,
                   bool(row.suspended))
    last = None
    if row.response is not None:
        last = LastAnswer(row.response, bool(row.correct), tuple(row.feedback_html or ()), row.last_attempt_id)
    return ReviewItem(row.question_id, row.course_key, row.lesson_slug, row.key.rsplit("/", 1)[-1], card,
                      row.round_due, row.tries, row.hints, bool(row.asked), last)


# --- statements, built once ------------------------------------------------------------------

_ACTIVE = (Question.retired.is_(False), Lesson.retired.is_(False), Course.retired.is_(False))
_MINE = ReviewCard.user_id == bindparam("user_id")
_IN_QUEUE = (_MINE, ReviewCard.suspended.is_not(true()), *_ACTIVE)


def _joined(*columns):
    return (select(*columns).select_from(ReviewCard)
            .join(Question, Question.id == ReviewCard.question_id)
            .join(Lesson, Lesson.id == Question.lesson_id)
            .join(Course, Course.id == Lesson.course_id))


_ITEM_COLUMNS = (ReviewCard.question_id, Course.key.label("course_key"), Lesson.slug.label("lesson_slug"),
                 Question.key, ReviewCard.version, ReviewCard.state, ReviewCard.step, ReviewCard.stability,
                 ReviewCard.difficulty, ReviewCard.due, ReviewCard.last_review, ReviewCard.suspended,
                 ReviewCard.round_due, ReviewCard.tries, ReviewCard.hints, ReviewCard.asked,
                 ReviewCard.last_attempt_id, Attempt.response, Attempt.correct, Attempt.feedback_html)


def _items():
    return _joined(*_ITEM_COLUMNS).outerjoin(Attempt, Attempt.id == ReviewCard.last_attempt_id)


_IN_COURSE = Course.key == bindparam("course_key")
_due = _joined(ReviewCard.question_id).where(*_IN_QUEUE, ReviewCard.due <= bindparam("now"))
_COUNT = Prepared(select(func.count().label("due")).select_from(_due.limit(bindparam("cap")).subquery()))
_COUNT_IN_COURSE = Prepared(select(func.count().label("due")).select_from(
    _due.where(_IN_COURSE).limit(bindparam("cap")).subquery()))
_queue = _items().where(*_IN_QUEUE, ReviewCard.due <= bindparam("now")).order_by(ReviewCard.due, ReviewCard.question_id)
_DUE = Prepared(_queue.limit(bindparam("cap")))
_DUE_IN_COURSE = Prepared(_queue.where(_IN_COURSE).limit(bindparam("cap")))
_NEXT = Prepared(_items().where(*_IN_QUEUE, ReviewCard.due <= bindparam("now")).order_by(ReviewCard.due).limit(1))
_NEXT_IN_COURSE = Prepared(_items().where(*_IN_QUEUE, ReviewCard.due <= bindparam("now"),
                                          Course.key == bindparam("course_key")).order_by(ReviewCard.due).limit(1))
_ONE = Prepared(_items().where(_MINE, ReviewCard.question_id == bindparam("question_id"), *_ACTIVE))
_coming = _joined(func.min(ReviewCard.due).label("next_due"),
                  func.sum(case((ReviewCard.due <= bindparam("week"), 1), else_=0)).label("this_week"),
                  ).where(*_IN_QUEUE, ReviewCard.due > bindparam("now"))
_OUTLOOK = Prepared(_coming)
_OUTLOOK_IN_COURSE = Prepared(_coming.where(Course.key == bindparam("course_key")))
_RATED = Prepared(select(ReviewLog.rating, ReviewLog.card_before, ReviewLog.card_after).where(
    ReviewLog.attempt_id == bindparam("attempt_id"), ReviewLog.user_id == bindparam("user_id")))
_SUSPEND = update(ReviewCard.__table__).where(
    ReviewCard.__table__.c.user_id == bindparam("uid"),
    ReviewCard.__table__.c.question_id == bindparam("qid"),
).values(suspended=bindparam("suspended")).returning(ReviewCard.__table__.c.question_id)
_T = ReviewCard.__table__
_SAME = and_(_T.c.round_due.is_not(None), _T.c.round_due == bindparam("round"))
_HELP = update(_T).where(_T.c.user_id == bindparam("uid"), _T.c.question_id == bindparam("qid")).values(
    hints=case((_SAME, case((_T.c.hints + bindparam("more") < bindparam("cap"), _T.c.hints + bindparam("more")),
                            else_=bindparam("cap"))),
               else_=case((bindparam("more") < bindparam("cap"), bindparam("more")), else_=bindparam("cap"))),
    tries=case((_SAME, _T.c.tries), else_=0),
    asked=case((_SAME, or_(_T.c.asked, bindparam("asked", type_=Boolean))), else_=bindparam("asked", type_=Boolean)),
    last_attempt_id=case((_SAME, _T.c.last_attempt_id), else_=None),
    round_due=bindparam("round"),
).returning(_T.c.hints)
