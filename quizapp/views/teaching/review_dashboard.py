"""The instructor's view of spaced review for a class and course ("what is fading"), and its CSV exports.

Same access as the rest of the dashboard: instructors and admins, and a class that is not the viewer's
answers 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from quizapp.clock import review_now
from quizapp.services.teaching import classes as class_service
from quizapp.services.teaching import exports, reports, review_class
from quizapp.views.access import allowed_if
from quizapp.views.teaching.viewer import viewer

bp = Blueprint("review_dashboard", __name__, url_prefix="/dashboard")
teachers = allowed_if("can_teach")
LEARNER_COLUMNS = ("class_id", "course", "learner_id", "email", "cards", "due", "due_share", "mean_recall", "name",
                   "username")
QUESTION_COLUMNS = ("class_id", "course", "question_id", "question", "lesson", "cards", "fading", "fading_share",
                    "top_mistake")


@bp.get("/classes/<int:class_id>/review")
@teachers
def fading(class_id: int):
    """Show each learner's due cards and predicted recall, what is fading, and how well the schedule predicts."""
    info, courses, course = _scope(class_id)
    page = request.args.get("page", "")
    page = int(page) if page.isdigit() and len(page) < 7 else 0
    data = review_class.get_class_review(class_id, course, review_now(), page)
    pages = max(1, -(-data.members // review_class.PAGE))
    return render_template("dashboard/review.html", info=info, courses=courses, course=course, data=data,
                           pages=pages, per_page=review_class.PAGE)


@bp.get("/classes/<int:class_id>/review/learners.csv")
@teachers
def export_learners(class_id: int):
    """Download every learner's cards, due share and mean predicted recall as CSV (docs/exports.md)."""
    course, data = _data(class_id, None)
    return _csv(f"class-{class_id}-{course.key}-review-learners.csv", LEARNER_COLUMNS, [
        (class_id, course.key, r.user_id, r.email, r.cards, r.due, r.due_share, r.recall, r.name, r.username)
        for r in data.learners])


@bp.get("/classes/<int:class_id>/review/questions.csv")
@teachers
def export_questions(class_id: int):
    """Download what is fading, per question, as CSV (docs/exports.md)."""
    course, data = _data(class_id, 0)
    return _csv(f"class-{class_id}-{course.key}-review-questions.csv", QUESTION_COLUMNS, [
        (class_id, course.key, f.question_id, f.title, f.lesson_title, f.cards, f.fading, f.share, f.mistake)
        for f in data.fading])


def _data(class_id: int, page: int | None):
    _info, _courses, course = _scope(class_id)
    return course, review_class.get_class_review(class_id, course, review_now(), page)


def _csv(filename: str, header, rows) -> Response:
    response = Response("".join(exports.csv_lines(header, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _scope(class_id: int):
    """Find the viewer's class (404 otherwise) and the course asked for."""
    info = class_service.get_class_for_viewer(class_id, viewer())
    courses = reports.list_courses()
    course = reports.pick_course(courses, request.args.get("course"))
    if info is None or course is None:
        abort(404)
    return info, courses, course
