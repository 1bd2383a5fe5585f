"""Per-token rate limits on the API: requests and answers counted apart, 429 with Retry-After past them."""

from __future__ import annotations

from api_helpers import bearer, token_for
from support import load_courses, make_user

ANSWER = "/api/v1/courses/demo/lessons/basics/questions/where/answers"


def test_each_token_is_limited_on_requests_and_on_answers(make_app):
    app = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="6 per minute", API_ANSWER_RATE_LIMIT="2 per minute")
    with app.app_context():
        load_courses()
        user = make_user("busy@example.org")
        first, second = bearer(token_for(user)), bearer(token_for(user))
        client = app.test_client()
        assert [client.post(ANSWER, json={"choices": ["a"]}, headers=first).status_code for _ in range(3)] == \
            [200, 200, 429]
        refused = client.post(ANSWER, json={"choices": ["a"]}, headers=first)
        assert refused.mimetype == "application/problem+json" and 1 <= int(refused.headers["Retry-After"]) <= 60
        assert "too many" in refused.get_json()["detail"]
        assert [client.get("/api/v1/me", headers=first).status_code for _ in range(3)] == [200, 200, 429]
        assert client.get("/api/v1/me", headers=second).status_code == 200  # counted per token
        assert client.post(ANSWER, json={"choices": ["b"]}, headers=second).status_code == 200


def test_the_defaults_are_600_requests_and_120_answers_a_minute(app):
    assert app.config["API_RATE_LIMIT"] == "600 per minute"
    assert app.config["API_ANSWER_RATE_LIMIT"] == "120 per minute"
