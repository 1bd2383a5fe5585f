"""Operators' view of each request: one JSON line on stderr, and the counters behind /metrics.

A line says when, which endpoint and route template (never the address as typed: it can hold a reset
token or a join code), the method, the status, the milliseconds and the signed-in account's id. No
email, name, client address, query string or form field is ever written.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app, g, request
from sqlalchemy import event

from quizapp import metrics
from quizapp.extensions import db
from quizapp.speed import direct

LOGGER = logging.getLogger("quizapp.requests")


def init_app(app: Flask) -> None:
    """Log every request as a JSON line (REQUEST_LOG) and count it (METRICS_ENABLED)."""
    if app.config["REQUEST_LOG"] and not LOGGER.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        LOGGER.addHandler(handler)
        LOGGER.setLevel(logging.INFO)
        LOGGER.propagate = False
    if app.config["METRICS_ENABLED"]:
        metrics.configure(metrics_folder(app))
        with app.app_context():
            event.listen(db.engine, "handle_error", _database_error)
        if _database_error_hook not in direct.error_hooks:
            direct.error_hooks.append(_database_error_hook)
    app.before_request(_start)
    app.after_request(_finish)


def metrics_folder(app: Flask) -> str:
    """Give the folder where workers share their counts (METRICS_DIR, else instance/metrics)."""
    return str(app.config["METRICS_DIR"] or Path(app.instance_path) / "metrics")


def answer_stored() -> None:
    """Count an answer stored by this request."""
    if current_app.config["METRICS_ENABLED"]:
        metrics.add("quizapp_answers_stored_total")


def _start() -> None:
    g.telemetry_started = time.perf_counter()


def _finish(response):
    started = g.get("telemetry_started")
    if started is None:
        return response
    seconds = time.perf_counter() - started
    endpoint = request.endpoint or "unmatched"
    if current_app.config["METRICS_ENABLED"]:
        metrics.observe_request(endpoint, response.status_code, seconds)
    if current_app.config["REQUEST_LOG"]:
        LOGGER.info(json.dumps(_line(endpoint, response.status_code, seconds), separators=(",", ":")))
    return response


def _line(endpoint: str, status: int, seconds: float) -> dict:
    user = g.get("_login_user")  # Flask-Login's cache: the id only if this request already loaded the account
    return {
        "ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": "request", "method": request.method,
        "endpoint": endpoint, "route": request.url_rule.rule if request.url_rule else None, "status": status,
        "ms": round(seconds * 1000, 1), "user_id": user.id if user is not None and user.is_authenticated else None,
        "pid": os.getpid(),
    }


def _database_error(_context) -> None:
    metrics.add("quizapp_database_errors_total")


def _database_error_hook() -> None:
    metrics.add("quizapp_database_errors_total")
