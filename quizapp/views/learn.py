"""Courses, lessons and answering questions: pages that work without JavaScript, fragments for fetch."""

from __future__ import annotations

import time
import uuid
from urllib.parse import quote

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.services import catalog, practice, progress
from quizapp.views.access import current_user_id
from quizapp.views.fragments import authored_question, lesson_body, lesson_head, question_html
from quizapp.views.layout import page

bp = Blueprint("learn", __name__)


@bp.get("/")
def home():
    """List the courses with the learner's progress and what to study next."""
    courses = progress.get_progress_for_user(current_user_id())
    return render_template("learn/home.html", courses=courses, step=progress.next_step(courses))


@bp.get("/courses/<course_key>")
def course(course_key: str):
    """Show a course's introduction and its lessons in order, with the learner's status."""
    info = catalog.get_course_info(course_key)
    if info is None:
        abort(404)
    courses = progress.get_progress_for_user(current_user_id(), course_key)
    lessons = courses[0].lessons if courses else ()
    return render_template("learn/course.html", course=info, lessons=lessons, step=progress.next_step(courses))


@bp.get("/courses/<course_key>/<lesson_slug>")
def lesson(course_key: str, lesson_slug: str):
    """Show a rendered lesson and its practice questions as forms (the body is rendered once and kept)."""
    head = lesson_head(course_key, lesson_slug)
    if head is None:
        abort(404)
    lesson_url = url_for("learn.lesson", course_key=course_key, lesson_slug=lesson_slug)
    return page(head.title, lesson_body(head, current_user_id(), lesson_url))


@bp.route("/courses/<course_key>/<lesson_slug>/<anchor>", methods=["GET", "POST"])
def question(course_key: str, lesson_slug: str, anchor: str):
    """Show one question; POST grades an answer or reveals the next hint."""
    hints = _int(request.values.get("hints_used"), 0)
    if request.method == "POST" and not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    if request.method == "POST" and request.form.get("action") == "hint":
        hints += 1
    authored = authored_question(course_key, lesson_slug, anchor)
    if authored is None:
        abort(404)
    result = None
    if request.method == "POST" and request.form.get("action") != "hint":
        result = practice.submit_answer(
            current_user.id, authored.key, request.form.to_dict(flat=False),
            submission_key=(request.form.get("submission_key") or "")[:64] or uuid.uuid4().hex,
            hints_used=hints, seconds=_elapsed(request.form.get("shown_at")),
        )
    view = practice.shown_to(authored, current_user_id(), hints, result)
    state = {"hints_used": len(view.hints_html), "response": _echo(result)}
    status = 422 if result is not None and result.error else 200
    lesson_url = url_for("learn.lesson", course_key=course_key, lesson_slug=lesson_slug)
    if request.headers.get("X-Requested-With") == "fetch":
        level = 1 if request.form.get("heading_level") == "1" else 3  # keep the page's outline
        return question_html("learn/_question.html", view, result=result, state=state, lesson_url=lesson_url,
                             heading_level=level), status
    content = question_html("learn/_question_page.html", view, result=result, state=state, lesson_url=lesson_url,
                            course_key=course_key)
    return page(view.title, content), status


@bp.get("/courses/<course_key>/assets/<path:path>")
def asset(course_key: str, path: str):
    """Serve an image or download that a lesson links to."""
    found = catalog.get_asset(course_key, f"assets/{path}")
    if found is None:
        abort(404)
    response = Response(found.data, mimetype=found.mimetype)
    if not found.inline:
        _download_only(response, path)
    response.set_etag(found.etag)
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)


def _download_only(response: Response, path: str) -> None:
    """Make an asset that could run script a sandboxed download; an <img> of an SVG still shows it."""
    name = path.rsplit("/", 1)[-1]
    ascii_name = "".join(c if " " <= c < "\x7f" and c not in '"\\' else "_" for c in name)
    response.headers["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"


def _echo(result: practice.AnswerResult | None) -> dict:
    if result is not None:
        return result.response
    return practice.echo_form(request.form.to_dict(flat=False)) if request.method == "POST" else {}


def _elapsed(shown_at: str | None) -> int | None:
    start = _int(shown_at, -1)
    return int(time.time()) - start if start > 0 else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None and len(value) < 12 else default
    except ValueError:
        return default


@bp.app_template_global()
def ordered_options(options: tuple, order: list | None) -> list:
    """Show order items as the learner last arranged them, else as shuffled for them."""
    if not order:
        return list(options)
    rank = {item_id: index for index, item_id in enumerate(order)}
    return sorted(options, key=lambda option: rank.get(option.id, len(rank)))
