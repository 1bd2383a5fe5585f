"""Assignments for instructors: assign a course or some of its lessons to a class with a due date."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, flash, redirect, render_template, request, url_for

from quizapp.services.teaching import assignments
from quizapp.services.teaching.classes import ClassError
from quizapp.services.teaching.reports import lesson_columns, list_courses
from quizapp.views.access import allowed_if
from quizapp.views.teaching.viewer import class_or_404, viewer

bp = Blueprint("assignments", __name__, url_prefix="/dashboard/classes/<int:class_id>/assignments")
teachers = allowed_if("can_teach")
DUE_TIME = time(23, 59, tzinfo=UTC)  # a date's assignments are due at the end of that day, UTC


@bp.get("")
@teachers
def index(class_id: int):
    """List the class's assignments with who is late, and the form to add one."""
    info = class_or_404(class_id)
    courses = [(c, lesson_columns(c.id)) for c in list_courses()]
    return render_template("assignments/index.html", info=info, courses=courses, now=datetime.now(UTC),
                           assignments=assignments.get_class_assignments(class_id))


@bp.post("")
@teachers
def create(class_id: int):
    """Assign a course, or the ticked lessons of it, due at the end of a day."""
    class_or_404(class_id)
    lesson_ids = [int(v) for v in request.form.getlist("lesson") if v.isdigit() and len(v) < 10]
    try:
        assignments.create_assignment(class_id, viewer(), request.form.get("course", "")[:100], lesson_ids,
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
    class_or_404(class_id)
    assignments.delete_assignment(class_id, viewer(), assignment_id)
    flash("Assignment withdrawn.", "ok")
    return redirect(url_for("assignments.index", class_id=class_id)), 303


def _due(text: str) -> datetime | None:
    try:
        day = datetime.strptime(text.strip()[:10], "%Y-%m-%d").date()
    except ValueError:
        return None
    return datetime.combine(day, DUE_TIME)




