"""A class's review counters (class_fading) follow every card change and membership change, and always equal
a recount from the cards; "fading now" starts at a card's rounded hour; the learners table is paged."""

from __future__ import annotations

import re
from datetime import timedelta

from dashboard_helpers import ask, question_id
from sqlalchemy import func, select, true

from quizapp.extensions import db
from quizapp.models import ClassFading, Enrollment, ReviewCard, utcnow
from quizapp.services.learning import practice, review
from quizapp.services.learning.review_schedule import SCHEDULER, card_of, fading_at, fading_moment, utc
from quizapp.services.teaching import classes, reports, review_class, roster
from quizapp.services.teaching.summaries import fading


def course():
    return reports.pick_course(reports.list_courses(), "demo")


def counters(class_id: int) -> dict[tuple, int]:
    """The class's counter rows that are not zero: (question, version, hour) -> cards."""
    rows = db.session.execute(select(ClassFading.question_id, ClassFading.version, ClassFading.fading_at,
                                     ClassFading.cards).where(ClassFading.classroom_id == class_id)).all()
    return {(q, v, at.replace(tzinfo=None)): n for q, v, at, n in rows if n}


def recount(class_id: int) -> dict[tuple, int]:
    """The same, counted from the members' cards that are not suspended."""
    rows = db.session.execute(
        select(ReviewCard.question_id, ReviewCard.version, ReviewCard.fading_at, func.count())
        .join(Enrollment, Enrollment.user_id == ReviewCard.user_id)
        .where(Enrollment.classroom_id == class_id, ReviewCard.suspended.is_not(true()))
        .group_by(ReviewCard.question_id, ReviewCard.version, ReviewCard.fading_at)).all()
    return {(q, v, at.replace(tzinfo=None)): n for q, v, at, n in rows}


def agree(school) -> bool:
    db.session.expire_all()
    for class_id in (school.a.id, school.b.id):
        fading.ensure_members(class_id)
    return counters(school.a.id) == recount(school.a.id) and counters(school.b.id) == recount(school.b.id)


def test_the_first_view_counts_the_members_cards_and_answers_after_it_keep_counting(app, school):
    assert not counters(school.a.id)  # nobody has looked yet: counting waits for the first view
    assert agree(school) and counters(school.a.id)
    ask(school.l6, "where", choice="a")
    ask(school.l1, "where", choice="b")  # practice: no card changes
    assert agree(school)


def test_a_rating_a_suspension_and_an_undo_move_the_card(app, school):
    assert agree(school)
    at = utcnow() + timedelta(hours=1)
    item = review.get_item(school.l2.id, question_id("where"))
    practice.submit_answer(school.l2.id, question_id("where"), {"choice": ["b"]}, submission_key="rv1",
                           review=item.round_for(at))
    assert utc(review.get_item(school.l2.id, question_id("where")).card.due) > at and agree(school)
    review.set_suspended(school.l2.id, question_id("where"), True)
    assert agree(school)
    review.set_suspended(school.l2.id, question_id("where"), False)
    assert agree(school)


def test_members_who_join_or_leave_are_counted_in_or_out_at_the_next_view(app, school):
    assert agree(school)
    ask(school.l4, "pick", choice="a")  # l4 (class B) has cards on where, only and pick
    classes.join_class(school.l4.id, school.a.join_code)
    review_class.get_class_review(school.a.id, course(), utcnow())
    assert counters(school.a.id) == recount(school.a.id)
    assert roster.remove_learner(school.a.id, classes.Viewer(school.alice.id, False), school.l1.id)
    review_class.get_class_review(school.a.id, course(), utcnow())
    assert counters(school.a.id) == recount(school.a.id)
    ask(school.l4, "method", text="post")  # a card made after joining counts in both classes
    assert agree(school)


def test_a_card_counts_as_fading_from_its_rounded_hour(app, school):
    card = db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == school.l1.id,
                                                       ReviewCard.question_id == question_id("where"))).one()
    fsrs_card = card_of(card)
    hour, moment = fading_at(fsrs_card), fading_moment(fsrs_card)
    assert SCHEDULER.get_card_retrievability(fsrs_card, moment - timedelta(microseconds=1)) >= 0.8
    assert SCHEDULER.get_card_retrievability(fsrs_card, moment) < 0.8
    assert moment <= hour < moment + timedelta(hours=1) and (hour.minute, hour.second, hour.microsecond) == (0, 0, 0)

    def fading(now):
        found = review_class.get_class_review(school.a.id, course(), now).fading
        return next(f.fading for f in found if f.question_id == question_id("where"))

    assert fading(hour) == fading(hour - timedelta(microseconds=1)) + 1


def test_the_learners_table_is_paged(app, school, as_user, monkeypatch):
    monkeypatch.setattr(review_class, "PAGE", 2)
    client = as_user(school.alice)
    first = client.get(f"/dashboard/classes/{school.a.id}/review?course=demo").get_data(as_text=True)
    second = client.get(f"/dashboard/classes/{school.a.id}/review?course=demo&page=1").get_data(as_text=True)
    assert "l1@example.org" in first and "l3@example.org" not in first and "Learners 1–2 of 4" in first
    assert "l3@example.org" in second and "l1@example.org" not in second and 'rel="prev"' in second
    assert re.search(r'rel="next"', first) and not re.search(r'rel="next"', second)
    data = review_class.get_class_review(school.a.id, course(), utcnow(), None)
    assert data.members == 4 and len(data.learners) == 4
