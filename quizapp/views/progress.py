"""The learner's own progress page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from quizapp.services import progress as progress_service

bp = Blueprint("progress", __name__)


@bp.get("/progress")
@login_required
def mine():
    """Show correct/total per course and lesson, and what to study next."""
    courses = progress_service.get_progress_for_user(current_user.id)
    return render_template("progress/mine.html", courses=courses, step=progress_service.next_step(courses))
