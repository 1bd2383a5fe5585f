"""The instructor's view of spaced review: due shares and predicted recall per learner, what is fading per
question, recovery and calibration, CSV, access and a fixed query count."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from dashboard_helpers import question_id
from sqlalchemy import select
from support import count_statements

from quizapp.extensions import db
from quizapp.models import ReviewCard, utcnow
from quizapp.services.learning import practice, review
from quizapp.services.learning.review_schedule import SCHEDULER, card_of
from quizapp.services.teaching import reports, review_class


def course():
    return reports.pick_course(reports.list_courses(), "demo")


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_class_review_page_shows_due_shares_recall_and_fading(app, school, as_user):
    app.config["REVIEW_CLOCK_OFFSET"] = 3600  # an hour on: every missed card is past its 1-minute step
    page = text(as_user(school.alice).get(f"/dashboard/classes/{school.a.id}/review?course=demo"))
    assert "What is fading" in page and "l4@example.org" not in page
    # l3 missed 4 of 5 questions at first (due in a minute), and got 'pick' right (due in days); an hour
    # after their last rating, every card's predicted recall is still 100% (fsrs counts whole days).
    assert "l3@example.org 5 80% (4) 100%" in page
    assert "l6@example.org 0 — (0) —" in page


def test_fading_share_and_the_top_named_mistake_per_question(app, school):
    later = review_class.get_class_review(school.a.id, course(), utcnow() + timedelta(days=60))
    assert later.fading and all(f.share == 1.0 for f in later.fading)
    now = review_class.get_class_review(school.a.id, course(), utcnow())
    assert all(f.fading == 0 for f in now.fading)
    where = next(f for f in now.fading if f.question_id == question_id("where"))
    assert where.cards == 3 and "browser" in where.mistake.lower()


def test_mean_recall_is_what_fsrs_predicts(app, school):
    later = utcnow() + timedelta(days=9, hours=5)
    learners = review_class.get_class_review(school.a.id, course(), later).learners
    row = next(r for r in learners if r.user_id == school.l1.id)
    cards = db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == school.l1.id)).all()
    expected = [SCHEDULER.get_card_retrievability(card_of(card), later) for card in cards]
    assert row.cards == len(cards) and row.recall == pytest.approx(sum(expected) / len(expected), abs=1e-9)


def test_recovery_and_calibration_count_first_reviews(app, school):
    at = utcnow() + timedelta(hours=1)
    item = review.get_item(school.l2.id, question_id("where"))
    practice.submit_answer(school.l2.id, question_id("where"), {"choice": ["b"]}, submission_key="rv1",
                           review=item.round_for(at))
    data = review_class.get_class_review(school.a.id, course(), at)
    assert (data.missed, data.recovered) == (1, 1)
    assert sum(c.reviews for c in data.calibration) == 1 and sum(c.right for c in data.calibration) == 1


def test_review_csv_exports(app, school, as_user):
    client = as_user(school.alice)
    rows = list(csv.reader(io.StringIO(client.get(
        f"/dashboard/classes/{school.a.id}/review/learners.csv?course=demo").get_data(as_text=True))))
    assert rows[0][:4] == ["class_id", "course", "learner_id", "email"] and len(rows) == 5
    rows = list(csv.reader(io.StringIO(client.get(
        f"/dashboard/classes/{school.a.id}/review/questions.csv?course=demo").get_data(as_text=True))))
    assert rows[0][-1] == "top_mistake" and len(rows) > 1


def test_other_instructors_and_learners_are_kept_out(app, school, as_user):
    assert as_user(school.bob).get(f"/dashboard/classes/{school.a.id}/review").status_code == 404
    assert as_user(school.l1).get(f"/dashboard/classes/{school.a.id}/review").status_code == 403


def test_the_review_page_costs_the_same_queries_for_more_learners(app, school, as_user, crowd):
    client = as_user(school.alice)
    url = f"/dashboard/classes/{school.a.id}/review?course=demo"
    client.get(url)
    with count_statements() as few:
        client.get(url)
    for user in crowd(school.a.id, 20):
        practice.submit_answer(user.id, question_id("where"), {"choice": ["a"]}, submission_key=f"c{user.id}")
    client.get(url)
    with count_statements() as many:
        client.get(url)
    assert len(many) == len(few)
