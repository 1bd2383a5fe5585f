"""CSRF: every state-changing request needs the form's token; without it, a clear 400 and nothing stored."""

from __future__ import annotations

import pytest
from security_helpers import csrf_token_from, fill, post_data, row_counts, sign_in
from support import PASSWORD, load_courses

from quizapp.extensions import db
from quizapp.models import Attempt, User

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def csrf_app(make_app):
    """The app with CSRF protection on, as in production."""
    return make_app(WTF_CSRF_ENABLED=True)


def test_every_post_route_without_a_token_is_refused_and_stores_nothing(app, csrf_app, world, people):
    routes = [
        (method, rule.rule)
        for rule in csrf_app.url_map.iter_rules()
        if not rule.rule.startswith("/api/")  # no cookie opens the JSON API, so CSRF has nothing to guard there
        for method in sorted(rule.methods & STATE_CHANGING)
    ]
    assert len(routes) >= 5
    before = row_counts()
    for role in ("anonymous", "learner", "admin", "owner"):
        for method, rule in routes:
            client = csrf_app.test_client()
            sign_in(client, people.get(role))
            response = client.open(fill(rule, world), method=method, data=post_data(world))
            body = response.get_data(as_text=True)
            assert response.status_code == 400, (role, method, rule, response.status_code)
            assert "Form expired" in body and "nothing was saved" in body, (role, rule)
            # A token from another session is no better than none.
            forged = client.open(fill(rule, world), method=method, data={**post_data(world), "csrf_token": "x" * 91})
            assert forged.status_code == 400, (role, rule)
    assert row_counts() == before


def test_api_posts_with_a_session_cookie_and_no_token_are_refused_and_store_nothing(app, csrf_app, world, people):
    before = row_counts()
    for rule in [r.rule for r in csrf_app.url_map.iter_rules() if r.rule.startswith("/api/") and "POST" in r.methods]:
        client = csrf_app.test_client()
        sign_in(client, people["admin"])
        response = client.post(fill(rule, world), json={"choices": ["b"]})
        assert response.status_code == 401 and response.mimetype == "application/problem+json", rule
    assert row_counts() == before


def test_fetch_requests_get_the_short_message(app, csrf_app, world, people):
    client = csrf_app.test_client()
    sign_in(client, people["learner"])
    response = client.post(fill("/courses/<course_key>/<lesson_slug>/<anchor>", world),
                           data={"choice": "b"}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 400 and "<html" not in response.get_data(as_text=True)


def test_with_the_token_sign_up_log_in_answer_and_log_out_work(app, csrf_app):
    load_courses()
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/signup").get_data(as_text=True))
    response = client.post("/signup", data={"email": "new@example.org", "password": PASSWORD,
                                            "confirm": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    token = csrf_token_from(client.get("/courses/demo/basics/where").get_data(as_text=True))
    response = client.post("/courses/demo/basics/where",
                           data={"action": "answer", "choice": "b", "submission_key": "k1", "csrf_token": token})
    assert response.status_code == 200 and "Correct." in response.get_data(as_text=True)
    assert db.session.query(Attempt).count() == 1
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": "new@example.org", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert db.session.query(User).count() == 1


def test_logout_is_post_only(client):
    assert client.get("/logout").status_code == 405
