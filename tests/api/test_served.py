"""The API through the production server (gunicorn, two workers), real HTTP, a token made by the CLI:
the walk-through of docs/api.md, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta

from sqlalchemy import update
from support import load_courses, make_user, served_by_gunicorn

from quizapp.database import close_all
from quizapp.extensions import db
from quizapp.models import ReviewCard, utcnow


def call(method: str, url: str, token: str | None = None, body: dict | None = None, **headers: str):
    """Send one request; give (status, headers, parsed body)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={
        **({"Authorization": f"Bearer {token}"} if token else {}),
        **({"Content-Type": "application/json"} if data is not None else {}), **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read())


def test_the_walk_through_of_docs_api_md(app, runner, database_url, tmp_path):
    load_courses()
    make_user("ada@example.org")
    made = runner.invoke(args=["tokens", "create", "--email", "ada@example.org", "--name", "phone",
                               "--scope", "learn", "--expires-days", "30"])
    token = made.stdout.strip().splitlines()[-1]
    close_all()
    with served_by_gunicorn(database_url, tmp_path / "gunicorn.log", RATELIMIT_ENABLED="0") as base:
        status, headers, body = call("GET", f"{base}/api/v1/me")
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
        assert headers["Content-Type"] == "application/problem+json"
        assert call("GET", f"{base}/api/v1/me", token)[2]["email"] == "ada@example.org"
        status, _, lesson = call("GET", f"{base}/api/v1/courses/demo/lessons/basics", token)
        assert status == 200 and lesson["questions"][0]["key"] == "where"
        answer = f"{base}/api/v1/courses/demo/lessons/basics/questions/where/answers"
        replies = [call("POST", answer, token, {"choices": ["a"]}, **{"Idempotency-Key": "answer-1"})
                   for _ in range(4)]  # a retried request, served by either worker
        assert [r[0] for r in replies] == [200] * 4
        assert [r[2]["replayed"] for r in replies] == [False, True, True, True]
        assert replies[0][2]["feedback_html"] == [
            "<p>Calling a function from the browser does not move its body there.</p>"]
        assert call("POST", answer, token, {"choices": ["b"]}, **{"Idempotency-Key": "answer-1"})[0] == 409
        progress = call("GET", f"{base}/api/v1/progress", token)[2]
        assert progress["courses"][0]["lessons"][0]["answered"] == 1
        spec = call("GET", f"{base}/api/openapi.json")
        assert spec[0] == 200 and spec[2]["openapi"] == "3.1.0"
        review_a_card(base, token, answer)


def review_a_card(base: str, token: str, answer: str) -> None:
    """The review walk-through of docs/api.md: the missed card waits, falls due (moved back here, as no
    server clock is stepped), is answered with its round and rated once however often the answer is sent."""
    waiting = call("GET", f"{base}/api/v1/review", token)[2]
    assert (waiting["due"], waiting["next_in"], waiting["this_week"]) == (0, "in 1 minute", 1)
    db.session.execute(update(ReviewCard).values(due=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    queue = call("GET", f"{base}/api/v1/review?course=demo", token)[2]
    assert queue["due"] == 1 and queue["cards"][0]["question"]["key"] == "where"
    url = f"{answer}?round={queue['cards'][0]['round']}"
    replies = [call("POST", url, token, {"choices": ["b"]}, **{"Idempotency-Key": "review-1"}) for _ in range(3)]
    assert [r[2]["review"]["rating"] for r in replies] == ["good"] * 3
    assert [r[2]["replayed"] for r in replies] == [False, True, True]
    assert call("GET", f"{base}/api/v1/review", token)[2]["due"] == 0
