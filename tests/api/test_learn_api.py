"""The learner's API through its door (a bearer token): the same presenter and grading as the pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from api_helpers import bearer, token_for
from support import login, make_user

from quizapp.extensions import db
from quizapp.models import Attempt, QuestionHelp
from quizapp.services.learning import practice
from quizapp.services.learning.presenter import present

LESSON = "/api/v1/courses/demo/lessons/basics"
WHERE = LESSON + "/questions/where"


@pytest.fixture
def learner_api(app, demo_course):
    """A learner and a client sending their token."""
    user = make_user("api-learner@example.org")
    headers = bearer(token_for(user))
    client = app.test_client()

    def call(method: str, url: str, **kwargs):
        return client.open(url, method=method, headers={**headers, **kwargs.pop("headers", {})}, **kwargs)

    call.user = user
    return call


def attempts() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Attempt))


def test_me_courses_and_progress(learner_api):
    me = learner_api("GET", "/api/v1/me").get_json()
    assert me["email"] == "api-learner@example.org" and me["role"] == "learner" and me["scopes"] == ["learn"]
    courses = learner_api("GET", "/api/v1/courses").get_json()
    assert [c["key"] for c in courses] == ["demo"]
    course = learner_api("GET", "/api/v1/courses/demo").get_json()
    assert [x["key"] for x in course["lessons"]] == ["basics", "more"]
    assert course["lessons"][0]["status"] == "not started"
    learner_api("POST", WHERE + "/answers", json={"choices": ["b"]})
    progress = learner_api("GET", "/api/v1/progress").get_json()
    assert progress["courses"][0]["lessons"][0] | {"answered": 1, "correct": 1, "status": "in progress"} == \
        progress["courses"][0]["lessons"][0]


def test_a_lesson_shows_questions_as_the_presenter_does_and_reveals_nothing(learner_api):
    response = learner_api("GET", LESSON)
    assert response.status_code == 200
    lesson = response.get_json()
    assert lesson["title"] == "Basics" and "<h2" in lesson["body_html"] and lesson["next"]["key"] == "more"
    by_key = {q["key"]: q for q in lesson["questions"]}
    assert list(by_key) == ["where", "pick", "method", "status", "steps"]
    authored = practice.load_authored("demo", "basics", "where")
    shown = present(authored, practice.get_state(learner_api.user.id, authored.view.id), user_id=learner_api.user.id)
    assert [c["id"] for c in by_key["where"]["choices"]] == [o.id for o in shown.options]
    assert by_key["steps"]["kind"] == "order" and "items" in by_key["steps"] and "choices" not in by_key["steps"]
    solved = [o.id for o in practice.load_authored("demo", "basics", "steps").view.options]
    assert [i["id"] for i in by_key["steps"]["items"]] != solved  # never shown in the solved order
    text = response.get_data(as_text=True)
    for secret in ("It runs on the server", "Server action = server", "Thinking code runs", "correct\":true",
                   "Submit, POST, run", "405."):
        assert secret not in text
    assert all(q["hints_html"] == [] and q["solution_html"] == "" for q in lesson["questions"])


def test_answers_are_graded_with_the_named_mistake_and_the_reveal_rule(learner_api):
    first = learner_api("POST", WHERE + "/answers", json={"choices": ["a"]})
    assert first.status_code == 200
    body = first.get_json()
    assert body["correct"] is False and body["score"] == 0
    assert body["feedback_html"] == ["<p>Calling a function from the browser does not move its body there.</p>"]
    assert body["question"]["try_again"] and not body["question"]["revealed"]
    assert body["question"]["solution_html"] == "" and body["question"]["mistakes_html"] == []
    second = learner_api("POST", WHERE + "/answers", json={"choices": ["b"]}).get_json()
    assert second["correct"] is True and second["question"]["revealed"]
    assert "It runs on the server" in second["question"]["solution_html"]
    assert second["question"]["done"] and second["question"]["status"] == "correct"
    steps = [o.id for o in practice.load_authored("demo", "basics", "steps").view.options]  # the authored order
    for body, kind in (({"text": "post"}, "method"), ({"number": "405"}, "status"),
                       ({"order": steps}, "steps"), ({"choices": ["a", "b"]}, "pick")):
        graded = learner_api("POST", f"{LESSON}/questions/{kind}/answers", json=body).get_json()
        assert graded["correct"] is True, (kind, graded)
    assert attempts() == 6


def test_an_idempotency_key_stores_an_answer_once_and_refuses_another_body(learner_api):
    key = {"Idempotency-Key": "phone-42"}
    first = learner_api("POST", WHERE + "/answers", json={"choices": ["a"]}, headers=key)
    again = learner_api("POST", WHERE + "/answers", json={"choices": ["a"]}, headers=key)
    assert first.status_code == again.status_code == 200
    assert not first.get_json()["replayed"] and again.get_json()["replayed"]
    assert again.get_json()["feedback_html"] == first.get_json()["feedback_html"]
    assert attempts() == 1
    other = learner_api("POST", WHERE + "/answers", json={"choices": ["b"]}, headers=key)
    assert other.status_code == 409 and other.mimetype == "application/problem+json"
    assert "Idempotency-Key" in other.get_json()["detail"]
    learner_api("POST", WHERE + "/answers", json={"choices": ["a"]})
    learner_api("POST", WHERE + "/answers", json={"choices": ["a"]})
    assert attempts() == 3  # without a key, each POST is a new attempt
    elsewhere = learner_api("POST", LESSON + "/questions/method/answers", json={"text": "post"}, headers=key)
    assert elsewhere.status_code == 200 and not elsewhere.get_json()["replayed"]  # a key is per question
    assert attempts() == 4
    bad = learner_api("POST", WHERE + "/answers", json={"choices": ["a"]}, headers={"Idempotency-Key": "x" * 61})
    assert bad.status_code == 422 and "Idempotency-Key" in bad.get_json()["errors"]
    assert attempts() == 4


def test_hints_are_counted_by_the_server_and_the_solution_is_asked_for(learner_api):
    one = learner_api("POST", WHERE + "/hints").get_json()
    assert one["hints_html"] == ["<p>Think about secrets.</p>"] and one["more_hints"]
    learner_api("POST", WHERE + "/hints")
    three = learner_api("POST", WHERE + "/hints").get_json()
    assert len(three["hints_html"]) == 2 and not three["more_hints"]
    db.session.rollback()
    assert db.session.scalar(sa.select(QuestionHelp.hints)) == 2
    solution = learner_api("POST", WHERE + "/solution").get_json()
    assert solution["revealed"] and "It runs on the server" in solution["solution_html"]
    assert solution["verdict"]["gave_up"] and attempts() == 1  # asked before a right answer: a miss


@pytest.mark.parametrize(("body", "field"), [
    ({"text": "server"}, "text"), ({"choices": ["zz"]}, "choices"), ({}, "body"),
    ({"choices": ["a"], "text": "x"}, "body"), ({"choices": "a"}, "choices"), ({"colour": "red"}, "colour"),
    ({"choices": [1]}, "choices.0"), ({"text": "x" * 3000}, "text"),
])
def test_bad_answers_are_422_with_the_field_named_and_cost_no_attempt(learner_api, body, field):
    response = learner_api("POST", WHERE + "/answers", json=body)
    assert response.status_code == 422, response.get_data(as_text=True)
    problem = response.get_json()
    assert response.mimetype == "application/problem+json" and problem["status"] == 422 and problem["detail"]
    assert field in problem["errors"], problem
    assert attempts() == 0


def test_malformed_json_is_400_and_a_huge_body_413(learner_api, app):
    response = learner_api("POST", WHERE + "/answers", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    app.config["MAX_CONTENT_LENGTH"] = 1000
    huge = learner_api("POST", WHERE + "/answers", json={"text": "x" * 5000})
    assert huge.status_code == 413 and huge.mimetype == "application/problem+json"


@pytest.mark.parametrize("url", ["/api/v1/courses/nope", "/api/v1/courses/demo/lessons/nope",
                                 "/api/v1/courses/nope/lessons/basics", "/api/v1/nothing-here"])
def test_missing_things_are_404_problems(learner_api, url):
    response = learner_api("GET", url)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert response.get_json()["detail"]


def test_missing_questions_are_404_and_a_wrong_method_405(learner_api):
    assert learner_api("POST", LESSON + "/questions/nope/answers", json={"text": "x"}).status_code == 404
    assert learner_api("POST", LESSON + "/questions/nope/hints").status_code == 404
    response = learner_api("GET", WHERE + "/answers")
    assert response.status_code == 405 and response.mimetype == "application/problem+json"


def test_a_signed_in_browser_session_never_authenticates_the_api(app, demo_course):
    make_user("browser@example.org")
    client = app.test_client()
    assert login(client, "browser@example.org").status_code in (302, 303)
    assert client.get("/progress").status_code == 200  # the session works on pages
    for method, url in (("GET", "/api/v1/me"), ("POST", WHERE + "/answers")):
        response = client.open(url, method=method, json={"choices": ["b"]})
        assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert attempts() == 0


def test_html_error_pages_are_unchanged_outside_the_api(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "There is nothing at this address" in response.get_data(as_text=True)


def test_answering_through_the_api_shows_on_the_page(learner_api, app):
    learner_api("POST", WHERE + "/answers", json={"choices": ["a"]})
    page = app.test_client()
    login(page, "api-learner@example.org")
    html = page.get("/courses/demo/basics/where").get_data(as_text=True)
    assert "Calling a function from the browser does not move its body there." in html
