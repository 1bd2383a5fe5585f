"""Assignments for instructors: assign a course or some of its lessons to a class with a due date."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.services.teaching import assignments
from quizapp.services.teaching.classes import ClassError, Viewer, get_class_for_viewer
from quizapp.services.teaching.reports import lesson_columns, list_courses
from quizapp.views.access import allowed_if

bp = Blueprint("assignments", __name__, url_prefix="/dashboard/classes/<int:class_id>/assignments")
teachers = allowed_if("can_teach")
DUE_TIME = time(23, 59, tzinfo=UTC)  # a date's assignments are due at the end of that day, UTC


@bp.get("")
@teachers
def index(class_id: int):
    """List the class's assignments with who is late, and the form to add one."""
    info = _class_or_404(class_id)
    courses = [(c, lesson_columns(c.id)) for c in list_courses()]
    return render_template("assignments/index.html", info=info, courses=courses, now=datetime.now(UTC),
                           assignments=assignments.get_class_assignments(class_id))


@bp.post("")
@teachers
def create(class_id: int):
    """Assign a course, or the ticked lessons of it, due at the end of a day."""
    _class_or_404(class_id)
    lesson_ids = [int(v) for v in request.form.getlist("lesson") if v.isdigit() and len(v) < 10]
    try:
        assignments.create_assignment(class_id, _viewer(), request.form.get("course", "")[:100], lesson_ids,
                                      _due(request.form.get("due", "")))
    except ClassError as error:
        flash(error.message, "error")
        return redirect(url_for("assignments.index", class_id=class_id)), 303
    flash("Assigned.", "ok")
    return redirect(url_for("assignments.index", class_id=class_id)), 303


@bp.post("/<int:assignment_id>/delete")
@teachers
def delete(class_id: int, assignment_id: int):
    """Withdraw an assignment."""
    _class_or_404(class_id)
    assignments.delete_assignment(class_id, _viewer(), assignment_id)
    flash("Assignment withdrawn.", "ok")
    return redirect(url_for("assignments.index", class_id=class_id)), 303


def _due(text: str) -> datetime | None:
    try:
        day = datetime.strptime(text.strip()[:10], "%Y-%m-%d").date()
    except ValueError:
        return None
    return datetime.combine(day, DUE_TIME)


def _viewer() -> Viewer:
    return Viewer(current_user.id, current_user.is_admin)


def _class_or_404(class_id: int):
    info = get_class_for_viewer(class_id, _viewer())
    if info is None:
        abort(404)
    return info


