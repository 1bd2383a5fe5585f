"""The operators' door: /metrics in the Prometheus text format, when METRICS_ENABLED is on."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, abort, current_app, request

from quizapp import metrics

bp = Blueprint("operators", __name__)


@bp.get("/metrics")
def prometheus():
    """Give every worker's counters added up (404 while the setting is off; 401 without the token, if set)."""
    if not current_app.config["METRICS_ENABLED"]:
        abort(404)
    token = str(current_app.config["METRICS_TOKEN"] or "")
    if token and not hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}"):
        abort(401)
    response = Response(metrics.render(), mimetype="text/plain")
    response.headers["Content-Type"] = "text/plain; version=0.0.4; charset=utf-8"
    response.headers["Cache-Control"] = "no-store"
    return response
