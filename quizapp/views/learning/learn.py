"""Courses, lessons and answering questions: pages that work without JavaScript, fragments for fetch."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp import telemetry
from quizapp.services.learning import catalog, lesson_arc, practice, progress
from quizapp.services.learning.presenter import present
from quizapp.services.teaching import assignments
from quizapp.views.access import current_user_id
from quizapp.views.fragments import authored_question, lesson_body, lesson_head, question_html
from quizapp.views.layout import page

bp = Blueprint("learn", __name__)


@bp.get("/")
def home():
    """List the courses with the learner's progress and what to study next."""
    courses = progress.get_progress_for_user(current_user_id())
    due = assignments.get_due_for_learner(current_user_id()) if current_user_id() else []
    return render_template("learn/home.html", courses=courses, step=progress.next_step(courses), due=due,
                           now=datetime.now(UTC))


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


@bp.get("/courses/<course_key>/<lesson_slug>/next")
@login_required
def next_question(course_key: str, lesson_slug: str):
    """Go on from a question: to the next one not yet answered, or to the lesson's summary."""
    head = lesson_head(course_key, lesson_slug)
    if head is None:
        abort(404)
    lesson_url = url_for("learn.lesson", course_key=course_key, lesson_slug=lesson_slug)
    anchor = lesson_arc.next_unanswered(head, current_user.id, request.args.get("after", "")[:100])
    return redirect(f"{lesson_url}#q-{anchor}" if anchor else f"{lesson_url}/summary")


@bp.get("/courses/<course_key>/<lesson_slug>/summary")
@login_required
def summary(course_key: str, lesson_slug: str):
    """Show how the lesson went: right first time, right after a retry, missed, and what to review."""
    head = lesson_head(course_key, lesson_slug)
    if head is None:
        abort(404)
    report = lesson_arc.lesson_summary(head, current_user.id)
    lesson_url = url_for("learn.lesson", course_key=course_key, lesson_slug=lesson_slug)
    return render_template("learn/summary.html", head=head, report=report, lesson_url=lesson_url)


@bp.route("/courses/<course_key>/<lesson_slug>/<anchor>", methods=["GET", "POST"])
def question(course_key: str, lesson_slug: str, anchor: str):
    """Show one question; POST grades an answer, reveals the next hint, or shows the solution."""
    if request.method == "POST" and not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    authored = authored_question(course_key, lesson_slug, anchor)
    if authored is None:
        abort(404)
    user_id = current_user_id()
    state = practice.get_state(user_id, authored.view.id)
    shown, status = _act(authored, state, user_id) if request.method == "POST" else (present(
        authored, state, user_id=user_id), 200)
    lesson_url = url_for("learn.lesson", course_key=course_key, lesson_slug=lesson_slug)
    if request.headers.get("X-Requested-With") == "fetch":
        level = 1 if request.form.get("heading_level") == "1" else 3  # keep the page's outline
        return question_html("learn/_question.html", shown, lesson_url=lesson_url, heading_level=level), status
    content = question_html("learn/_question_page.html", shown, lesson_url=lesson_url, course_key=course_key,
                            course_title=authored.course_title, lesson_title=authored.lesson_title)
    return page(shown.title, content), status


def _act(authored: practice.Authored, state, user_id: int):
    """Do what the form asked (a hint, the solution, or grading an answer); give what to show and the status."""
    form = request.form.to_dict(flat=False)
    action = request.form.get("action")
    key = (request.form.get("submission_key") or "")[:64] or uuid.uuid4().hex
    if action == "hint":
        state = practice.take_hint(user_id, authored, state)
        return present(authored, state, user_id=user_id, echo=practice.echo_form(form)), 200
    if action == "solution":
        return present(authored, practice.ask_solution(user_id, authored, state, submission_key=key),
                       user_id=user_id), 200
    result = practice.submit_answer(user_id, authored.key, form, submission_key=key, hints_used=state.hints,
                                    seconds=_elapsed(request.form.get("shown_at")))
    if result.error:
        return present(authored, state, user_id=user_id, error=result.error, echo=result.response), 422
    if result.standing is not None:
        telemetry.answer_stored()
    return present(authored, practice.state_after(state, result), user_id=user_id), 200


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


def _elapsed(shown_at: str | None) -> int | None:
    start = _int(shown_at, -1)
    return int(time.time()) - start if start > 0 else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None and len(value) < 12 else default
    except ValueError:
        return default
