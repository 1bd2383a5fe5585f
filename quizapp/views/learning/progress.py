"""The learner's own progress page, and a download of everything stored about them."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required

from quizapp import charts
from quizapp.clock import review_now
from quizapp.services.accounts import data_export
from quizapp.services.learning import progress as progress_service
from quizapp.services.learning import review_progress

bp = Blueprint("progress", __name__)


@bp.get("/progress")
@login_required
def mine():
    """Show correct/total per course and lesson, what to study next, and the review cards per course."""
    courses = progress_service.get_progress_for_user(current_user.id)
    reviews = review_progress.get_review_progress(current_user.id, review_now())
    return render_template("progress/mine.html", courses=courses, step=progress_service.next_step(courses),
                           reviews=reviews, charts=charts)


@bp.get("/progress/export.json")
@login_required
def export_json():
    """Download the signed-in learner's account and attempts as JSON."""
    data = data_export.export_user_data(current_user.id)
    return _download(data_export.to_json(data), "application/json", "json")


@bp.get("/progress/export.csv")
@login_required
def export_csv():
    """Download the signed-in learner's attempts as CSV."""
    data = data_export.export_user_data(current_user.id)
    return _download(data_export.attempts_csv(data), "text/csv", "csv")


def _download(text: str, mimetype: str, extension: str) -> Response:
    response = Response(text, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="quizapp-my-data.{extension}"'
    response.headers["Cache-Control"] = "no-store"
    return response
