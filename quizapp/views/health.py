"""Health check for load balancers and uptime monitors."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from quizapp.database import disk_state, schema_state

bp = Blueprint("health", __name__)

ADVICE = {
    "behind": "the database schema is older than this release: run `quizapp db upgrade`",
    "unreachable": "the database does not answer: check QUIZAPP_DATABASE_URL and the database server",
    "full": "the database's disk is (nearly) full, so answers cannot be saved: free some space",
}


@bp.get("/healthz")
def healthz():
    """Report 200 when the database answers at this release's schema and can write, else 503 with what to do."""
    state = schema_state(current_app.extensions["quizapp.schema_head"])
    if state == "ok":
        state = disk_state(int(current_app.config["HEALTH_MIN_FREE_BYTES"]))
    if state == "ok":
        return jsonify(status="ok", database="ok")
    return jsonify(status="error", database=state, fix=ADVICE[state]), 503
