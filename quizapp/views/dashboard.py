"""The instructor dashboard."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from quizapp.services import reports
from quizapp.views.access import roles_required

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@roles_required("instructor", "admin")
def overview():
    """Show learners by lessons and each question's first-attempt facility."""
    page = request.args.get("page", "1")
    data = reports.get_overview(int(page) if page.isdigit() and len(page) < 7 else 1)
    return render_template("dashboard/overview.html", data=data)
