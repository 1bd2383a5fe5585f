"""Health check for load balancers and uptime monitors."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from quizapp.database import schema_state

bp = Blueprint("health", __name__)

ADVICE = {
    "behind": "the database schema is older than this release: run `quizapp db upgrade`",
    "unreachable": "the database does not answer: check QUIZAPP_DATABASE_URL and the database server",
}


@bp.get("/healthz")
def healthz():
    """Report 200 when the database answers at this release's schema, else 503 with what to do."""
    state = schema_state(current_app.extensions["quizapp.schema_head"])
    if state == "ok":
        return jsonify(status="ok", database="ok")
    return jsonify(status="error", database=state, fix=ADVICE[state]), 503
