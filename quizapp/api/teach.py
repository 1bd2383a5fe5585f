"""The instructor's door as JSON: their classes and, per class and course, the reports the dashboard shows.

The same services and viewer rule as the dashboard (quizapp.views.teaching.dashboard): another instructor's class
is a 404, as on the pages. Lists that grow (learners, attempts) are paged by an opaque cursor.
"""

from __future__ import annotations

from flask_smorest import Blueprint, abort

from quizapp.api.auth import authenticate, scoped, viewer
from quizapp.api.errors import ProblemSchema
from quizapp.api.teach_schemas import (
    AttemptsSchema,
    ClassSchema,
    CursorArgsSchema,
    ItemsSchema,
    MistakesSchema,
    OverviewSchema,
    PageArgsSchema,
)
from quizapp.services.teaching import analytics, classes, exports, reports

bp = Blueprint("api_teach", __name__, url_prefix="/api/v1/classes",
               description="An instructor's classes and their reports.")
bp.before_request(authenticate)
PER_CLASS = "/<int:class_id>/courses/<course>"
MISSING = {"schema": ProblemSchema, "content_type": "application/problem+json"}


@bp.route("", methods=["GET"])
@scoped("teach")
@bp.response(200, ClassSchema(many=True))
def class_list():
    """List the classes the token's instructor teaches (an admin: every class)."""
    return classes.get_classes_for_viewer(viewer())


@bp.route(PER_CLASS + "/overview", methods=["GET"])
@scoped("teach")
@bp.arguments(CursorArgsSchema(), location="query", as_kwargs=True)
@bp.response(200, OverviewSchema)
@bp.alt_response(404, **MISSING)
def overview(class_id: int, course: str, cursor: str | None = None):
    """Give the class's learners in a course, by name, a page at a time (pages of the dashboard's size)."""
    ref = _class_course(class_id, course)
    page = int(cursor) if cursor else 1
    found = reports.get_overview(class_id, ref, reports.OverviewQuery(page=page))
    slugs = {lesson.id: lesson.key.rsplit("/", 1)[-1] for lesson in found.lessons}
    more = found.query.page == page and page * reports.PAGE_SIZE < found.matched
    return {"course": ref.key, "class_size": found.class_size, "behind": found.behind, "average": found.average,
            "total": sum(lesson.total for lesson in found.lessons),
            "learners": [{"id": r.id, "name": r.name, "username": r.username, "email": r.email,
                          "correct": r.correct, "answered": r.answered, "last_active": r.last_active,
                          "behind": r.behind,
                          "lessons": {slugs.get(k, str(k)): v for k, v in r.lessons.items()}} for r in found.rows],
            "next_cursor": str(page + 1) if more else None}


@bp.route(PER_CLASS + "/items", methods=["GET"])
@scoped("teach")
@bp.response(200, ItemsSchema)
@bp.alt_response(404, **MISSING)
def items(class_id: int, course: str):
    """Give item analysis: per question, facility, discrimination, flags and how often each option was picked."""
    ref = _class_course(class_id, course)
    found = analytics.get_item_analysis(class_id, ref)
    return {"course": ref.key, "items": [
        {"key": i.key, "title": i.title, "lesson_title": i.lesson_title, "kind": i.kind, "attempts": i.attempts,
         "learners": i.learners, "first_correct": i.first_correct, "ever_correct": i.ever_correct,
         "facility": i.facility, "discrimination": i.discrimination, "flags": list(i.flags),
         "options": [{"id": o.id, "html": o.html, "correct": o.correct, "feedback_html": o.feedback_html,
                      "learners": o.learners} for o in i.options]} for i in found.items]}


@bp.route(PER_CLASS + "/mistakes", methods=["GET"])
@scoped("teach")
@bp.response(200, MistakesSchema)
@bp.alt_response(404, **MISSING)
def mistakes(class_id: int, course: str):
    """Give the most common named mistakes, most learners first."""
    ref = _class_course(class_id, course)
    found = analytics.get_item_analysis(class_id, ref)
    keys = {i.id: i.key for i in found.items}
    return {"course": ref.key, "mistakes": [
        {"question_key": keys.get(m.question_id, ""), "question_title": m.question_title, "option_id": m.option_id,
         "option_text": m.option_text, "feedback_html": m.feedback_html, "learners": m.learners}
        for m in found.mistakes]}


@bp.route(PER_CLASS + "/attempts", methods=["GET"])
@scoped("teach")
@bp.arguments(PageArgsSchema(), location="query", as_kwargs=True)
@bp.response(200, AttemptsSchema)
@bp.alt_response(404, **MISSING)
def attempts(class_id: int, course: str, limit: int = 50, cursor: str | None = None):
    """Give the class's attempts on a course, oldest first, ``limit`` at a time."""
    ref = _class_course(class_id, course)
    rows = list(exports.attempt_rows(class_id, ref, after_id=int(cursor or 0), limit=limit + 1))
    page = rows[:limit]
    return {"course": ref.key, "attempts": [_attempt(row) for row in page],
            "next_cursor": str(page[-1][0]) if len(rows) > limit else None}


def _class_course(class_id: int, course: str) -> reports.CourseRef:
    if classes.get_class_for_viewer(class_id, viewer()) is None:
        abort(404, detail="There is no such class among yours.")
    ref = reports.pick_course(reports.list_courses(), course)
    if ref is None or ref.key != course:
        abort(404, detail=f"There is no course '{course}'.")
    return ref


def _attempt(row: tuple) -> dict:
    (attempt_id, user_id, email, _course, slug, key, version, current, created, correct, score, response, matched,
     hints, seconds, name, username) = row
    return {"id": attempt_id, "user_id": user_id, "name": name, "username": username, "email": email,
            "lesson": slug, "question": key.rsplit("/", 1)[-1],
            "version": version, "current_version": current, "created_at": created, "correct": correct,
            "score": score, "response": response, "matched": matched, "hints_used": hints, "seconds": seconds}
