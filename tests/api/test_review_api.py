"""Spaced review through the API's door (bearer tokens), on the review clock (REVIEW_CLOCK_OFFSET; nothing
sleeps): the due queue, review answers rated exactly as on the Review page, practice that rates nothing,
idempotency, rounds, suspending, scopes and bad input."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta

import pytest
from api_helpers import bearer, token_for
from sqlalchemy import select
from support import DATA, load_courses, login, make_user

from quizapp.api.schemas import OutcomeSchema, ReviewQueueSchema
from quizapp.extensions import db
from quizapp.models import Question, ReviewCard, ReviewLog, utcnow
from quizapp.services.learning.review_schedule import utc

BASICS = "/api/v1/courses/demo/lessons/basics/questions"
WHERE = BASICS + "/where"
SECRETS = ("It runs on the server", "Server action = server", "Thinking code runs", "Think about secrets",
           "The directive names it", '"mark":"right"', '"correct":true')


def api_client(app, email: str, *scopes: str):
    """A learner and a function sending their token."""
    user = make_user(email)
    headers = bearer(token_for(user, *scopes))
    client = app.test_client()

    def call(method: str, url: str, **kwargs):
        return client.open(url, method=method, headers={**headers, **kwargs.pop("headers", {})}, **kwargs)

    call.user = user
    return call


@pytest.fixture
def api(app, demo_course):
    return api_client(app, "review-api@example.org")


def logs(user_id: int | None = None) -> list[ReviewLog]:
    db.session.expire_all()
    query = select(ReviewLog).order_by(ReviewLog.id)
    return list(db.session.scalars(query if user_id is None else query.where(ReviewLog.user_id == user_id)))


def card(user_id: int) -> ReviewCard:
    db.session.expire_all()
    return db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == user_id)).one()


def shift(app, **delta) -> None:
    """Move the review clock to this far after the first card was made."""
    first = utc(logs()[0].reviewed_at)
    app.config["REVIEW_CLOCK_OFFSET"] = (first + timedelta(**delta) - utcnow()).total_seconds()


def test_the_queue_is_empty_until_a_missed_card_falls_due_and_reveals_nothing(app, api):
    assert api("GET", "/api/v1/review").get_json() == {"course": None, "due": 0, "cards": [], "next_due": None,
                                                        "next_in": None, "this_week": 0}
    assert api("POST", WHERE + "/answers", json={"choices": ["a"]}).get_json()["review"] is None  # makes the card
    waiting = api("GET", "/api/v1/review").get_json()
    assert (waiting["due"], waiting["cards"], waiting["next_in"], waiting["this_week"]) == (0, [], "in 1 minute", 1)
    assert utc(card(api.user.id).due).isoformat().startswith(waiting["next_due"][:19])
    shift(app, minutes=2)
    response = api("GET", "/api/v1/review")
    queue = response.get_json()
    assert queue["due"] == 1 and queue["next_due"] is None and queue["this_week"] == 0
    (due,) = queue["cards"]
    assert (due["course"], due["lesson"], due["course_title"], due["lesson_title"]) == \
        ("demo", "basics", "Demo course", "Basics")
    question = due["question"]
    assert (question["key"], question["kind"], question["title"]) == ("where", "choice", "Where does it run?")
    assert sorted(c["id"] for c in question["choices"]) == ["a", "b", "c"]
    assert question["status"] is None and question["verdict"] is None and question["hints_html"] == []
    assert due["round"].isdigit()
    assert ReviewQueueSchema().validate(queue) == {}  # the body as the spec says (no field more or less)
    text = response.get_data(as_text=True)
    assert not [secret for secret in SECRETS if secret in text]


def test_the_course_filter_and_bad_queries(app, api):
    api("POST", WHERE + "/answers", json={"choices": ["a"]})
    shift(app, minutes=2)
    assert len(api("GET", "/api/v1/review?course=demo").get_json()["cards"]) == 1
    missing = api("GET", "/api/v1/review?course=no-such-course")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert "no-such-course" in missing.get_json()["detail"]
    for query in ("limit=0", "limit=51", "limit=x", "course="):
        bad = api("GET", f"/api/v1/review?{query}")
        assert bad.status_code == 422 and bad.mimetype == "application/problem+json", query


def test_the_course_filter_keeps_to_one_course(app, demo_course, tmp_path):
    tree = tmp_path / "courses"
    shutil.copytree(DATA / "courses", tree)
    shutil.copytree(tree / "demo", tree / "other")
    load_courses(tree)
    api = api_client(app, "two-courses@example.org")
    api("POST", WHERE + "/answers", json={"choices": ["a"]})
    api("POST", "/api/v1/courses/other/lessons/basics/questions/where/answers", json={"choices": ["a"]})
    shift(app, minutes=2)
    assert api("GET", "/api/v1/review").get_json()["due"] == 2
    other = api("GET", "/api/v1/review?course=other").get_json()
    assert other["due"] == 1 and [c["course"] for c in other["cards"]] == ["other"]
    assert len(api("GET", "/api/v1/review?limit=1").get_json()["cards"]) == 1


def review_on_the_page(client, **fields) -> None:
    """Answer the card the Review page shows, as its form does (the round token taken from the page)."""
    page = client.get("/review").get_data(as_text=True)
    action = re.search(r'<form method="post" action="([^"]+)" class="answer-form"', page).group(1)
    token = re.search(r'name="round" value="(\d+)"', page).group(1)
    client.post(action.replace("&amp;", "&"), data={"round": token, "submission_key": f"page-{token}", **fields})


def test_a_due_card_answered_through_the_api_is_rated_exactly_as_on_the_review_page(app, client, api):
    page_user = make_user("page@example.org")
    login(client, page_user.email)
    client.post("/courses/demo/basics/where", data={"action": "answer", "choice": "a", "submission_key": "p0"})
    api("POST", WHERE + "/answers", json={"choices": ["a"]})
    steps = [({"minutes": 2}, "hint", {"choice": "b"}), ({"minutes": 20}, None, {"choice": "b"}),
             ({"days": 30}, None, {"choice": "c"}), ({"days": 30, "minutes": 20}, None, {"choice": "b"})]
    ratings = []
    for delta, action, form in steps:
        shift(app, **delta)
        if action == "hint":
            page = client.get("/review").get_data(as_text=True)
            token = re.search(r'name="round" value="(\d+)"', page).group(1)
            client.post(f"/review/{card(page_user.id).question_id}", data={"action": "hint", "round": token})
            api("POST", WHERE + "/hints")
        review_on_the_page(client, action="answer", **form)
        reply = api("POST", WHERE + "/answers", json={"choices": form["choice"].split()}).get_json()
        ratings.append(reply["review"]["rating"])
    assert ratings == ["hard", "good", "again", "good"]
    by_page, by_api = logs(page_user.id), logs(api.user.id)
    assert len(by_page) == len(by_api) == 5

    def stored(entries):
        return [(e.rating, e.first, e.card_after["state"], e.card_after["step"], e.card_after["stability"],
                 e.card_after["difficulty"], e.elapsed_days is None or round(e.elapsed_days),
                 round((utc(_due(e)) - utc(e.reviewed_at)).total_seconds())) for e in entries]

    assert stored(by_page) == stored(by_api)
    on_page, on_api = card(page_user.id), card(api.user.id)
    assert (on_page.state, on_page.step, on_page.reviews) == (on_api.state, on_api.step, on_api.reviews)


def _due(entry: ReviewLog) -> datetime:
    return datetime.fromisoformat(entry.card_after["due"])


def test_an_answer_to_a_card_not_due_is_practice(app, api):
    api("POST", WHERE + "/answers", json={"choices": ["a"]})
    before = card(api.user.id).due
    reply = api("POST", WHERE + "/answers", json={"choices": ["b"]}).get_json()
    assert reply["review"] is None and reply["correct"] is True
    assert card(api.user.id).due == before and len(logs()) == 1


def test_a_resent_review_answer_rates_once_and_says_so_again(app, api):
    api("POST", WHERE + "/answers", json={"choices": ["a"]})
    shift(app, minutes=2)
    sent = [api("POST", WHERE + "/answers", json={"choices": ["b"]}, headers={"Idempotency-Key": "rev-1"}).get_json()
            for _ in range(3)]
    assert [s["replayed"] for s in sent] == [False, True, True]
    assert OutcomeSchema().validate(sent[0]) == {}
    assert sent[0]["review"]["rating"] == "good" and sent[0]["review"]["comes_back"] == "in 10 minutes"
    assert sent[1]["review"] == sent[2]["review"] == sent[0]["review"] | {"comes_back": sent[1]["review"]["comes_back"]}
    assert [e.rating for e in logs()] == [1, 3]


def test_a_second_try_in_the_round_is_feedback_and_rates_nothing(app, api):
    api("POST", WHERE + "/answers", json={"choices": ["a"]})
    shift(app, minutes=2)
    round_ = api("GET", "/api/v1/review").get_json()["cards"][0]["round"]
    first = api("POST", WHERE + f"/answers?round={round_}", json={"choices": ["c"]}).get_json()
    assert first["review"]["rating"] == "again" and first["review"]["round"] == round_
    assert first["question"]["try_again"] and not first["question"]["revealed"]  # the round's first try
    second = api("POST", WHERE + f"/answers?round={round_}", json={"choices": ["b"]}).get_json()
    assert second["review"]["rating"] is None and second["review"]["due"] == first["review"]["due"]
    assert second["question"]["revealed"]
    assert [e.rating for e in logs()] == [1, 1]
    for bad in ("x", "9" * 19, "-1", ""):
        refused = api("POST", WHERE + f"/answers?round={bad}", json={"choices": ["b"]})
        assert refused.status_code == 422 and refused.get_json()["errors"]["round"], bad
    no_card = api("POST", BASICS + f"/pick/answers?round={round_}", json={"choices": ["a"]})
    assert no_card.status_code == 422 and "no review card" in no_card.get_json()["detail"]


def test_asking_for_the_solution_in_a_round_rates_again(app, api):
    api("POST", WHERE + "/answers", json={"choices": ["b"]})  # right first time: due in days
    shift(app, days=40)
    shown = api("POST", WHERE + "/solution").get_json()
    assert shown["revealed"] and "It runs on the server" in shown["solution_html"]
    assert [e.rating for e in logs()] == [3, 1]


def test_suspending_takes_a_card_out_of_the_queue_and_back(app, api):
    api("POST", WHERE + "/answers", json={"choices": ["a"]})
    shift(app, minutes=2)
    suspension = WHERE + "/suspension"
    assert api("PUT", suspension).get_json() == {"course": "demo", "lesson": "basics", "question": "where",
                                                 "suspended": True}
    assert api("GET", "/api/v1/review").get_json()["due"] == 0
    assert api("POST", WHERE + "/answers", json={"choices": ["b"]}).get_json()["review"] is None
    assert api("DELETE", suspension).get_json()["suspended"] is False
    assert api("GET", "/api/v1/review").get_json()["due"] == 1
    no_card = api("PUT", BASICS + "/pick/suspension")
    assert no_card.status_code == 404 and "no review card" in no_card.get_json()["detail"]
    assert api("PUT", BASICS + "/nope/suspension").status_code == 404


def test_review_needs_a_token_with_the_learn_scope(app, demo_course):
    client = app.test_client()
    assert client.get("/api/v1/review").status_code == 401
    teacher = make_user("teacher-api@example.org", role="instructor")
    teach_only = bearer(token_for(teacher, "teach"))
    for method, url in (("GET", "/api/v1/review"), ("PUT", WHERE + "/suspension"),
                        ("DELETE", WHERE + "/suspension")):
        refused = client.open(url, method=method, headers=teach_only)
        assert refused.status_code == 403 and "learn" in refused.get_json()["detail"]
    assert client.get("/api/v1/review", headers=bearer(token_for(teacher))).status_code == 200


def test_nothing_leaks_with_hints_in_a_round(app, api):
    api("POST", WHERE + "/answers", json={"choices": ["a"]})
    shift(app, minutes=2)
    hinted = api("POST", WHERE + "/hints").get_json()
    assert hinted["hints_html"] == ["<p>Think about secrets.</p>"]
    queue = api("GET", "/api/v1/review")
    assert queue.get_json()["cards"][0]["question"]["hints_html"] == ["<p>Think about secrets.</p>"]
    text = queue.get_data(as_text=True)
    assert not [s for s in SECRETS if s in text and s != "Think about secrets"]
    assert api("POST", WHERE + "/answers", json={"choices": ["b"]}).get_json()["review"]["rating"] == "hard"
    assert db.session.scalar(select(Question.id).where(Question.key == "demo/basics/where")) == card(
        api.user.id).question_id
