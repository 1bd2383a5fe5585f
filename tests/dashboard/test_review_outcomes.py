"""The learners' review outcome counters (recovery and calibration) follow every rated review and always equal a
recount from the raw review log, per learner and summed over a class's members, through joins, departures and
a new answer key; a missed question's first review counts once, on its own answer key."""

from __future__ import annotations

import itertools
import shutil
from datetime import timedelta

from dashboard_helpers import ask, question_id
from sqlalchemy import select
from support import DATA, load_courses

from quizapp.extensions import db
from quizapp.models import Enrollment, Lesson, Question, ReviewLog, ReviewOutcome, utcnow
from quizapp.services.learning import practice, review
from quizapp.services.learning.review_schedule import utc
from quizapp.services.teaching import classes, reports, review_class, roster

_keys = itertools.count()
HIGHS = (0.5, 0.7, 0.8, 0.9)  # the calibration bins' upper bounds, the last bin above


def course():
    return reports.pick_course(reports.list_courses(), "demo")


def review_once(user, anchor: str, at, **form) -> None:
    """Answer a learner's card on a question as its review round at ``at`` (the card must be due then)."""
    item = review.get_item(user.id, question_id(anchor))
    assert utc(item.card.due) <= at
    data = {name: value if isinstance(value, list) else [value] for name, value in form.items()}
    result = practice.submit_answer(user.id, question_id(anchor), data, submission_key=f"o{next(_keys)}",
                                    review=item.round_for(at))
    assert result.error is None, result.error


def recount() -> dict[tuple, list[int]]:
    """From the raw log: (learner, course, bin) -> [reviews, right, missed at first and reviewed, recovered]."""
    rows = db.session.execute(
        select(ReviewLog.user_id, ReviewLog.question_id, ReviewLog.version, ReviewLog.first, ReviewLog.rating,
               ReviewLog.recall, Lesson.course_id)
        .join(Question, Question.id == ReviewLog.question_id).join(Lesson, Lesson.id == Question.lesson_id)
        .order_by(ReviewLog.id)).all()
    missed_first: dict[tuple, bool] = {}
    counts: dict[tuple, list[int]] = {}
    for user, question, version, first, rating, recall, course_id in rows:
        if first:
            missed_first[(user, question, version)] = rating == 1
            continue
        kind = 5 if recall is None else next((n for n, high in enumerate(HIGHS) if recall < high), 4)
        row = counts.setdefault((user, course_id, kind), [0, 0, 0, 0])
        row[0] += 1
        row[1] += rating > 1
        if missed_first.pop((user, question, version), False):
            row[2] += 1
            row[3] += rating > 1
    return counts


def counters() -> dict[tuple, list[int]]:
    rows = db.session.execute(select(ReviewOutcome)).scalars()
    return {(r.user_id, r.course_id, r.bin): [r.reviews, r.recalled, r.missed, r.recovered] for r in rows}


def class_figures(class_id: int, counts: dict[tuple, list[int]]) -> tuple:
    """(missed, recovered, calibration) for a class's members in the demo course, from per-learner counts."""
    members = set(db.session.scalars(select(Enrollment.user_id).where(Enrollment.classroom_id == class_id)))
    mine = [(kind, row) for (user, course_id, kind), row in counts.items()
            if user in members and course_id == course().id]
    table = [(sum(r[0] for k, r in mine if k == n), sum(r[1] for k, r in mine if k == n)) for n in range(5)]
    return sum(r[2] for _k, r in mine), sum(r[3] for _k, r in mine), table


def agree(school, at) -> bool:
    """The counters equal the recount, and each class's page shows the recount of its members' logs."""
    db.session.expire_all()
    counts = recount()
    if counters() != counts:
        return False
    for class_id in (school.a.id, school.b.id):
        data = review_class.get_class_review(class_id, course(), at)
        shown = (data.missed, data.recovered, [(c.reviews, c.right) for c in data.calibration])
        if shown != class_figures(class_id, counts):
            return False
    return True


def test_first_reviews_lapses_and_later_reviews_are_counted_as_the_log_says(app, school):
    at = utcnow() + timedelta(hours=1)
    assert agree(school, at) and not counters()  # first answers alone are no reviews
    review_once(school.l2, "where", at, choice="b")  # missed at first, right at the first review: recovered
    review_once(school.l3, "where", at, choice="c")  # missed at first, wrong again
    review_once(school.l3, "method", at, text="post")
    review_once(school.l4, "where", at, choice="b")  # class B
    assert agree(school, at)
    data = review_class.get_class_review(school.a.id, course(), at)
    assert (data.missed, data.recovered) == (3, 2)
    later = at + timedelta(days=3)
    review_once(school.l3, "where", later, choice="b")  # a second review: calibration only
    review_once(school.l1, "where", later + timedelta(days=40), choice="a")  # right at first, lapsed at low recall
    assert agree(school, later)
    data = review_class.get_class_review(school.a.id, course(), later)
    assert (data.missed, data.recovered) == (3, 2) and sum(c.reviews for c in data.calibration) == 5


def test_members_who_join_or_leave_bring_or_take_their_outcomes(app, school):
    at = utcnow() + timedelta(hours=1)
    review_once(school.l4, "where", at, choice="b")
    review_once(school.l2, "where", at, choice="b")
    classes.join_class(school.l4.id, school.a.join_code)
    assert agree(school, at)
    assert review_class.get_class_review(school.a.id, course(), at).missed == 2
    assert roster.remove_learner(school.a.id, classes.Viewer(school.alice.id, False), school.l2.id)
    assert agree(school, at)
    assert review_class.get_class_review(school.a.id, course(), at).missed == 1


def test_a_card_reset_by_a_new_answer_key_counts_its_first_review_again(app, school, tmp_path):
    at = utcnow() + timedelta(hours=1)
    review_once(school.l2, "where", at, choice="b")
    tree = tmp_path / "courses"
    shutil.copytree(DATA / "courses", tree)
    basics = tree / "demo" / "01-basics.md"
    basics.write_text(basics.read_text().replace("- [ ] In the browser", "- [x] In the browser", 1))
    load_courses(tree)
    ask(school.l2, "where", choice="c")  # the new key's first answer: missed, the card made new
    review_once(school.l2, "where", at + timedelta(hours=1), choice="a")  # right on the new key: recovered
    assert agree(school, at)
    assert review_class.get_class_review(school.a.id, course(), at).missed == 2
