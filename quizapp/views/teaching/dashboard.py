"""The instructor dashboard: classes, a class's overview, a learner's drill-down, item analysis, CSV exports.

A class that is not the viewer's, and a learner not in the class, answer 404 rather than 403, so that
changing ids in a URL tells nobody what exists.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from quizapp import charts
from quizapp.services.teaching import analytics, class_page, exports, learner_report, reports
from quizapp.services.teaching import classes as class_service
from quizapp.views.access import allowed_if
from quizapp.views.teaching.viewer import class_or_404, viewer

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
teachers = allowed_if("can_teach")
EXPORTS = {
    "overview": (exports.OVERVIEW_COLUMNS, exports.overview_rows),
    "items": (exports.ITEM_COLUMNS, exports.item_rows),
    "options": (exports.OPTION_COLUMNS, exports.option_rows),
    "attempts": (exports.ATTEMPT_COLUMNS, exports.attempt_rows),
}


@bp.get("")
@teachers
def overview():
    """List the viewer's classes (every class for an admin) with a form to create one."""
    return render_template("dashboard/index.html", classes=class_service.get_classes_for_viewer(viewer()))


@bp.post("/classes")
@teachers
def create_class():
    """Create a class taught by the viewer and open it."""
    try:
        info = class_service.create_class(current_user.id, request.form.get("name", ""))
    except class_service.ClassError as error:
        flash(error.message, "error")
        return redirect(url_for("dashboard.overview"))
    flash(f"Class created. Learners join with code {info.join_code}.", "ok")
    return redirect(url_for("dashboard.classroom", class_id=info.id))


@bp.post("/classes/<int:class_id>/rename")
@teachers
def rename_class(class_id: int):
    """Rename a class the viewer teaches."""
    try:
        info = class_service.rename_class(class_id, viewer(), request.form.get("name", ""))
    except class_service.ClassError as error:
        flash(error.message, "error")
        info = class_or_404(class_id)
    if info is None:
        abort(404)
    return redirect(url_for("dashboard.classroom", class_id=class_id))


@bp.post("/classes/<int:class_id>/archive")
@teachers
def archive_class(class_id: int):
    """Archive a class (closed to joining) or restore it."""
    if class_service.set_archived(class_id, viewer(), request.form.get("archived") == "1") is None:
        abort(404)
    return redirect(url_for("dashboard.classroom", class_id=class_id))


@bp.get("/classes/<int:class_id>")
@teachers
def classroom(class_id: int):
    """Show a class's learners by lessons, who is behind, and its progress charts."""
    info = class_or_404(class_id)
    courses = reports.list_courses()
    course = reports.pick_course(courses, request.args.get("course"))
    if course is None:
        return render_template("dashboard/classroom.html", info=info, courses=courses, data=None)
    page = class_page.get_class_page(class_id, course, _overview_query())
    return render_template("dashboard/classroom.html", info=info, courses=courses, data=page.overview,
                           activity=page.activity, buckets=page.buckets, charts=charts,
                           page_args=_page_args(course.key))


@bp.get("/classes/<int:class_id>/learners/<int:user_id>")
@teachers
def learner(class_id: int, user_id: int):
    """Show one learner's progress per lesson and their attempts, newest first."""
    info = class_or_404(class_id)
    member = learner_report.get_member_name(class_id, user_id)
    course = reports.pick_course(reports.list_courses(), request.args.get("course"))
    if member is None or course is None:
        abort(404)
    progress = learner_report.get_learner_lessons(user_id, course)
    timeline = learner_report.get_timeline(user_id, course.id, _int_arg("page", 1))
    return render_template("dashboard/learner.html", info=info, member=member, user_id=user_id, course=course,
                           lessons=progress, timeline=timeline)


@bp.get("/classes/<int:class_id>/items")
@teachers
def items(class_id: int):
    """Show every question's statistics for the class and the most common named mistakes."""
    info = class_or_404(class_id)
    courses = reports.list_courses()
    course = reports.pick_course(courses, request.args.get("course"))
    if course is None:
        abort(404)
    analysis = analytics.get_item_analysis(class_id, course)
    return render_template("dashboard/items.html", info=info, courses=courses, analysis=analysis)


@bp.get("/classes/<int:class_id>/items/<int:question_id>")
@teachers
def item(class_id: int, question_id: int):
    """Show one question's statistics and how many learners gave each answer."""
    info = class_or_404(class_id)
    course = reports.pick_course(reports.list_courses(), request.args.get("course"))
    analysis = analytics.get_item_analysis(class_id, course) if course else None
    found = next((i for i in analysis.items if i.id == question_id), None) if analysis else None
    if found is None:
        abort(404)
    return render_template("dashboard/item.html", info=info, course=course, item=found, charts=charts)


@bp.get("/classes/<int:class_id>/export/<name>.csv")
@teachers
def export(class_id: int, name: str):
    """Stream a CSV export (columns documented in docs/exports.md)."""
    class_or_404(class_id)
    course = reports.pick_course(reports.list_courses(), request.args.get("course"))
    if name not in EXPORTS or course is None:
        abort(404)
    columns, rows = EXPORTS[name]
    lines = exports.csv_lines(columns, rows(class_id, course))
    response = Response(stream_with_context(lines), mimetype="text/csv")
    filename = f"class-{class_id}-{course.key}-{name}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"  # personal data: no browser or proxy may keep a copy
    return response




def _overview_query() -> reports.OverviewQuery:
    sort = request.args.get("sort", "name")
    return reports.OverviewQuery(
        sort=sort if sort in reports.SORTS else "name",
        descending=request.args.get("dir") == "desc",
        text=request.args.get("q", "")[:100],
        behind_only=request.args.get("behind") == "1",
        page=_int_arg("page", 1),
    )


def _page_args(course_key: str) -> dict:
    """Keep the current sort and filters in links that change one of them."""
    args = {"course": course_key}
    for name in ("sort", "dir", "q", "behind"):
        if request.args.get(name):
            args[name] = request.args[name][:100]
    return args


def _int_arg(name: str, default: int) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else default
