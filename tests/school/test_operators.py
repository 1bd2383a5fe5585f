"""Operators: one JSON line per request without personal data, and /metrics behind its setting."""

from __future__ import annotations

import json
import logging
import re
import time
import urllib.request

import pytest
from support import login, make_user, served_by_gunicorn

from quizapp.telemetry import LOGGER


class Lines(logging.Handler):
    """Collect the request lines."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def request_lines():
    handler = Lines()
    LOGGER.addHandler(handler)
    yield handler.lines
    LOGGER.removeHandler(handler)


def value(text: str, series: str) -> float:
    found = re.search(rf"^{re.escape(series)} (\S+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


def test_each_request_is_one_json_line_with_status_time_and_user_id_only(client, request_lines, demo_course):
    user = make_user("kim.secret@example.org")
    login(client, user.email)
    request_lines.clear()
    client.get("/join/SECRETCODE1")
    client.get("/progress")
    first, second = (json.loads(line) for line in request_lines)
    assert first["route"] == "/join/<code>" and first["status"] == 404 and first["user_id"] == user.id
    assert second["endpoint"] == "progress.mine" and second["status"] == 200 and second["ms"] >= 0
    assert set(second) == {"ts", "event", "method", "endpoint", "route", "status", "ms", "user_id", "pid"}
    text = "\n".join(request_lines)
    assert "kim.secret" not in text and "SECRETCODE1" not in text and "127.0.0.1" not in text


def test_metrics_are_off_by_default(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_count_requests_latencies_answers_and_need_the_token_when_set(make_app, tmp_path, demo_course):
    app = make_app(METRICS_ENABLED=True, METRICS_DIR=str(tmp_path / "metrics"), METRICS_TOKEN="scrape-me")
    client = app.test_client()
    with app.app_context():
        assert client.get("/metrics").status_code == 401
        before = client.get("/metrics", headers={"Authorization": "Bearer scrape-me"}).get_data(as_text=True)
        make_user("kim@example.org")
        login(client, "kim@example.org")
        client.post("/courses/demo/basics/where", data={"action": "answer", "choice": "a", "submission_key": "m1"})
        client.post("/courses/demo/basics/where", data={"action": "answer", "choice": "a", "submission_key": "m1"})
        after = client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
    text = after.get_data(as_text=True)
    assert after.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "# TYPE quizapp_requests_total counter" in text and "# TYPE quizapp_request_seconds histogram" in text
    answers = 'quizapp_answers_stored_total'
    assert value(text, answers) - value(before, answers) == 1  # the resubmission is not a second answer
    series = 'quizapp_requests_total{endpoint="learn.question",status="200"}'
    assert value(text, series) - value(before, series) == 2
    bucket = 'quizapp_request_seconds_bucket{endpoint="learn.question",le="+Inf"}'
    assert value(text, bucket) >= 2
    assert "quizapp_database_errors_total" in text and "kim@example.org" not in text


def test_gunicorn_workers_counts_are_added_up_and_logs_are_json(make_app, database_url, tmp_path):
    with make_app().app_context():
        make_user("kim@example.org")
    log = tmp_path / "gunicorn.log"
    with served_by_gunicorn(database_url, log, workers=2, METRICS_ENABLED="1", RATELIMIT_ENABLED="0",
                            METRICS_DIR=str(tmp_path / "m")) as base:
        for _ in range(20):
            with urllib.request.urlopen(f"{base}/healthz") as response:
                response.read()
        total = 0.0
        for _ in range(30):  # each worker writes its counts about once a second
            with urllib.request.urlopen(f"{base}/metrics") as response:
                text = response.read().decode()
            total = value(text, 'quizapp_requests_total{endpoint="health.healthz",status="200"}')
            if total >= 21:
                break
            time.sleep(0.2)  # polling a server: no clock of the test's own is read
        assert total >= 21  # 20 here and the start-up check, whichever worker answered
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert len({line["pid"] for line in lines}) >= 1 and all("status" in line for line in lines)
    assert '"GET /healthz' not in log.read_text()  # gunicorn's own access log is off
