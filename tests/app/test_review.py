"""Spaced review through the test client, on a controlled clock (REVIEW_CLOCK_OFFSET; nothing sleeps): cards
from first answers, the review round and its rating, honest answers, suspending, and the schedule checked
against the fsrs package's own scheduler."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta

import pytest
from fsrs import Card, Rating, Scheduler
from sqlalchemy import select
from support import DATA, load_courses

from quizapp.extensions import db
from quizapp.models import Question, ReviewCard, ReviewLog, utcnow
from quizapp.services.learning.review_schedule import card_of, utc

LESSON = "/courses/demo/basics"
WHERE = f"{LESSON}/where"
_keys = iter(range(10**6))


def post(client, url, **fields):
    data = {"action": "answer", "submission_key": fields.pop("key", None) or f"r{next(_keys)}", **fields}
    return client.post(url, data=data)


def visible(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def where_id() -> int:
    return db.session.scalar(select(Question.id).where(Question.key == "demo/basics/where"))


def card() -> ReviewCard:
    db.session.expire_all()
    return db.session.scalars(select(ReviewCard)).one()


def logs() -> list[ReviewLog]:
    db.session.expire_all()
    return list(db.session.scalars(select(ReviewLog).order_by(ReviewLog.id)))


def shift(app, **delta) -> None:
    """Move the review pages' clock to this far after the card's first answer."""
    first = utc(logs()[0].reviewed_at)
    app.config["REVIEW_CLOCK_OFFSET"] = (first + timedelta(**delta) - utcnow()).total_seconds()


def review_answer(client, **fields):
    """Open the review page and answer the card it shows (its round token and action taken from the page)."""
    page = client.get("/review").get_data(as_text=True)
    action = re.search(r'<form method="post" action="([^"]+)" class="answer-form"', page).group(1)
    token = re.search(r'name="round" value="(\d+)"', page).group(1)
    return post(client, action.replace("&amp;", "&"), round=token, **fields)


def replay(entries: list[ReviewLog]) -> list[Card]:
    """Recompute each card after each rating with fsrs's own schedulers, from the log alone."""
    default, no_steps = Scheduler(enable_fuzzing=False), Scheduler(learning_steps=(), enable_fuzzing=False)
    cards, current = [], None
    for entry in entries:
        rating, at = Rating(entry.rating), utc(entry.reviewed_at)
        if entry.first:
            scheduler = no_steps if rating == Rating.Good else default
            current, _ = scheduler.review_card(Card(card_id=0, due=at), rating, at)
        else:
            current, _ = default.review_card(current, rating, at)
        cards.append(current)
    return cards


def test_a_first_miss_makes_a_card_due_in_a_minute_and_a_first_right_one_due_in_days(client, learner, demo_course):
    post(client, WHERE, choice="a")
    missed = card()
    assert (missed.state, missed.step, missed.reviews) == (1, 0, 1)
    assert utc(missed.due) - utc(missed.last_review) == timedelta(minutes=1)
    post(client, f"{LESSON}/pick", choice=["a", "b"])  # right first time (select-all)
    db.session.expire_all()
    right = db.session.scalars(select(ReviewCard).where(ReviewCard.question_id != where_id())).one()
    assert right.state == 2 and utc(right.due) - utc(right.last_review) >= timedelta(days=1)
    assert [entry.rating for entry in logs()] == [Rating.Again, Rating.Good]


def test_later_answers_in_a_lesson_are_practice(client, learner, demo_course):
    post(client, WHERE, choice="a")
    before = card().due
    post(client, WHERE, choice="b")
    post(client, WHERE, choice="b")
    assert card().due == before and len(logs()) == 1


def test_a_card_walks_through_learning_review_lapse_and_relearning_as_fsrs_says(app, client, learner, demo_course):
    post(client, WHERE, choice="a")  # Again: learning step 1 (1 minute)
    assert "Nothing to review now" in visible(client.get("/review"))
    assert "in 1 minute" in visible(client.get("/review"))
    shift(app, minutes=2)
    assert "Where does it run?" in visible(client.get("/review"))
    assert "in 10 minutes" in visible(review_answer(client, choice="b"))  # Good: learning step 2
    shift(app, minutes=15)
    days = visible(review_answer(client, choice="b"))  # Good: graduates to Review
    assert re.search(r"comes back for review in \d+ days?\.", days)
    assert card().state == 2
    shift(app, days=30)
    assert "in 10 minutes" in visible(review_answer(client, choice="c"))  # a lapse: Again, relearning
    assert card().state == 3
    shift(app, days=30, minutes=20)
    review_answer(client, choice="b")  # Good: back to Review
    entries = logs()
    assert [e.rating for e in entries] == [Rating.Again, Rating.Good, Rating.Good, Rating.Again, Rating.Good]
    expected = replay(entries)
    assert [e.card_after for e in entries] == [c.to_dict() for c in expected]
    stored = card_of(card())
    assert (stored.state, stored.step, stored.due) == (expected[-1].state, expected[-1].step, expected[-1].due)


def test_a_second_try_in_a_round_is_feedback_and_a_resent_form_rates_once(app, client, learner, demo_course):
    post(client, WHERE, choice="a")
    shift(app, minutes=2)
    page = client.get("/review").get_data(as_text=True)
    token = re.search(r'name="round" value="(\d+)"', page).group(1)
    url = f"/review/{where_id()}"
    first = visible(post(client, url, round=token, choice="c", key="same"))
    assert "Have another go" in first and "in 1 minute" in first  # Again again: the step restarts
    post(client, url, round=token, choice="c", key="same")  # the same form sent twice
    second = visible(post(client, url, round=token, choice="b"))  # the second try: feedback, not a review
    assert "Correct." in second
    assert [e.rating for e in logs()] == [Rating.Again, Rating.Again]


def test_an_answer_to_a_card_not_due_changes_no_schedule(app, client, learner, demo_course):
    post(client, WHERE, choice="a")
    before = card()
    token = str((utc(before.due) - utc(before.due).replace(year=1970, month=1, day=1, hour=0, minute=0, second=0,
                                                          microsecond=0)) // timedelta(microseconds=1))
    post(client, f"/review/{where_id()}", round=token, choice="b")
    assert card().due == before.due and len(logs()) == 1


def test_suspending_takes_a_card_out_of_the_queue_and_undo_brings_it_back(app, client, learner, demo_course):
    post(client, WHERE, choice="a")
    shift(app, minutes=2)
    assert "Where does it run?" in visible(client.get("/review"))
    assert '<span class="due-count"' in client.get("/").get_data(as_text=True)
    page = visible(client.post(f"/review/{where_id()}/suspend", follow_redirects=True))
    assert "won't be shown again" in page and "Nothing to review now" in page
    assert "Where does it run?" in visible(client.post(f"/review/{where_id()}/restore", follow_redirects=True))


def test_a_retired_question_leaves_the_queue_and_comes_back_with_it(app, client, learner, demo_course):
    post(client, WHERE, choice="a")
    shift(app, minutes=2)
    question = db.session.get(Question, where_id())
    question.retired = True
    db.session.commit()
    assert "Nothing to review now" in visible(client.get("/review"))
    question.retired = False
    db.session.commit()
    assert "Where does it run?" in visible(client.get("/review"))


def test_a_new_answer_key_makes_the_card_new_and_keeps_its_history(app, client, learner, demo_course, tmp_path):
    post(client, WHERE, choice="b")
    assert card().state == 2
    tree = tmp_path / "courses"
    shutil.copytree(DATA / "courses", tree)
    basics = tree / "demo" / "01-basics.md"
    basics.write_text(basics.read_text().replace("- [ ] In the browser", "- [x] In the browser", 1))
    load_courses(tree)
    post(client, WHERE, choice="c")
    fresh = card()
    assert fresh.version == 2 and fresh.state == 1 and fresh.reviews == 1
    assert [(e.version, e.first) for e in logs()] == [(1, True), (2, True)]


@pytest.mark.parametrize("path", ["/review"])
def test_review_needs_an_account(client, path):
    assert client.get(path).status_code == 302


def test_right_after_a_hint_in_a_round_rates_hard_and_asking_the_solution_rates_again(app, client, learner,
                                                                                       demo_course):
    post(client, WHERE, choice="a")
    shift(app, minutes=2)
    page = client.get("/review").get_data(as_text=True)
    token = re.search(r'name="round" value="(\d+)"', page).group(1)
    hinted = visible(client.post(f"/review/{where_id()}", data={"action": "hint", "round": token}))
    assert "Hint 1" in hinted
    post(client, f"/review/{where_id()}", round=token, choice="b")
    assert logs()[-1].rating == Rating.Hard
    shift(app, minutes=30)
    page = client.get("/review").get_data(as_text=True)
    assert "Hint 1" not in visible(client.get("/review"))  # a new round starts without the last one's hints
    token = re.search(r'name="round" value="(\d+)"', page).group(1)
    shown = visible(client.post(f"/review/{where_id()}", data={"action": "solution", "round": token,
                                                                "submission_key": "gave-up"}))
    assert "It runs on the server." in shown
    assert logs()[-1].rating == Rating.Again


def test_a_review_answer_comes_back_in_place_for_javascript(app, client, learner, demo_course):
    post(client, WHERE, choice="a")
    shift(app, minutes=2)
    page = client.get("/review").get_data(as_text=True)
    token = re.search(r'name="round" value="(\d+)"', page).group(1)
    reply = client.post(f"/review/{where_id()}", data={"action": "answer", "round": token, "choice": "b",
                                                        "submission_key": "js"}, headers={"X-Requested-With": "fetch"})
    html = reply.get_data(as_text=True)
    assert html.lstrip().startswith("<section") and "comes back for review in 10 minutes" in html
    assert f'action="/review/{where_id()}"' in html


def test_the_navigation_counts_due_cards(app, client, learner, demo_course):
    post(client, WHERE, choice="a")
    post(client, f"{LESSON}/method", text="nope")
    assert '<span class="due-count"' not in client.get("/").get_data(as_text=True)
    shift(app, minutes=2)
    assert 'aria-label="2 due">2</span>' in client.get("/").get_data(as_text=True)
    assert 'aria-label="2 due">2</span>' in client.get(LESSON).get_data(as_text=True)  # the kept layout too


def test_my_progress_shows_cards_learned_due_now_and_a_forecast(app, client, learner, demo_course):
    post(client, WHERE, choice="a")  # due in a minute
    post(client, f"{LESSON}/pick", choice=["a", "b"])  # learned: due in days
    shift(app, minutes=2)
    html = client.get("/progress").get_data(as_text=True)
    text = visible(client.get("/progress"))
    assert "1 of 2 cards learned" in text and "1 due now" in text
    assert 'id="forecast-demo"' in html and "Data table: Cards due per day, Demo course" in text
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', html)
    assert len(rows) == 14 and int(rows[0][1]) == 1 and sum(int(n) for _, n in rows) == 2


def test_the_course_filter_keeps_to_one_course(app, client, learner, demo_course):
    post(client, WHERE, choice="a")
    shift(app, minutes=2)
    assert "Where does it run?" in visible(client.get("/review?course=demo"))
    other = visible(client.get("/review?course=no-such-course"))
    assert "Nothing to review now in this course" in other and "Review all courses" in other
