"""The authoring area: list, edit with live preview, upload, import GIFT, export; for authors and admins."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.services.authoring import bundles, course_rights, overview
from quizapp.services.authoring import editor as authoring
from quizapp.views.access import allowed_if

bp = Blueprint("author", __name__, url_prefix="/author")
MAX_TITLE = 200


@bp.before_request
@allowed_if("can_author")
def _only_authors() -> None:
    """Guard every page of the area: others get 403, visitors are sent to log in."""


@bp.get("/")
def index():
    """List every course with its lessons, and the forms to add, upload and import."""
    return _index()


@bp.route("/courses/<course_key>/lessons/<slug>/edit", methods=["GET", "POST"])
def edit(course_key: str, slug: str):
    """Edit a lesson's Markdown: preview re-renders, save loads it through the checker."""
    _may_edit_or_403(course_key)
    draft = authoring.get_draft(course_key, slug)
    if draft is None:
        abort(404)
    if request.method == "GET":
        return _editor(draft, authoring.preview_lesson(course_key, draft.filename, draft.text))
    base_hash = request.form.get("base_hash", "")[:64]
    draft = authoring.Draft(course_key, draft.filename, _text(), draft.title, slug, base_hash=base_hash)
    return _preview_or_save(draft, new=False)


@bp.post("/courses/<course_key>/lessons/new")
def new(course_key: str):
    """Start a lesson from the scaffold (action=start), then preview or save it like any edit."""
    _may_edit_or_403(course_key)
    title = request.form.get("title", "").strip()[:MAX_TITLE]
    if request.form.get("action") == "start":
        if not title:
            return _index({"title": "Give the lesson a title."}, status=422)
        draft = authoring.new_draft(course_key, title)
        if draft is None:
            abort(404)
        return _editor(draft, authoring.preview_lesson(course_key, draft.filename, draft.text))
    filename = request.form.get("filename", "")[:120]
    return _preview_or_save(authoring.Draft(course_key, filename, _text(), title), new=True)


@bp.post("/preview")
def preview():
    """Render the live preview fragment for the editor's script."""
    _may_edit_or_403(request.form.get("course_key", ""))
    result = authoring.preview_lesson(request.form.get("course_key", ""), request.form.get("filename", ""), _text())
    if result is None:
        abort(404)
    return render_template("author/_preview.html", preview=result, filename=request.form.get("filename", ""))


@bp.post("/upload")
def upload():
    """Load an uploaded lesson file into a course, or a zipped course folder; ask first if it retires lessons."""
    name, data = _uploaded()
    if data is None:
        return _index({"file": "Choose a .md lesson file or a .zip of a course folder (an upload waiting for "
                               "confirmation is kept for an hour)."}, status=422)
    confirmed = request.form.get("confirm_retire") == "1"
    course_key = request.form.get("course", "")
    if name.lower().endswith(".zip"):
        outcome = authoring.upload_course_zip(data, name, _editor_of_request(), retire_ok=confirmed)
    elif name.lower().endswith(".md"):
        if not course_key:
            return _index({"course": "Pick the course the lesson belongs to."}, status=422)
        _may_edit_or_403(course_key)
        outcome = authoring.save_lesson(course_key, name, data, retire_ok=confirmed)
    else:
        return _index({"file": "Upload a lesson (.md) or a zipped course folder (.zip)."}, status=422)
    if outcome.retiring:
        token = bundles.stash_upload(data, _stash())
        return render_template("author/confirm_retire.html", outcome=outcome, name=name, token=token,
                               course=course_key)
    if not outcome.saved:
        return _index(upload_problems=outcome.problems, status=422)
    _flash_saved(outcome)
    return redirect(url_for("author.index"))


def _uploaded() -> tuple[str, bytes | None]:
    """Give the uploaded file's name and bytes: from the form, or stashed while the author confirmed."""
    if pending := request.form.get("pending"):
        name = request.form.get("name", "")[:200].replace("\\", "/").rsplit("/", 1)[-1]
        return name, bundles.take_upload(pending, _stash())
    file = request.files.get("file")
    if file is None or not file.filename:
        return "", None
    return file.filename.replace("\\", "/").rsplit("/", 1)[-1], file.read()


def _stash() -> Path:
    return Path(current_app.instance_path) / "pending-uploads"


@bp.post("/import-gift")
def import_gift():
    """Convert a Moodle GIFT file into a lesson shown in the editor; nothing is saved until Save."""
    file = request.files.get("file")
    title = request.form.get("title", "").strip()[:MAX_TITLE]
    errors = {}
    if file is None or not file.filename:
        errors["gift_file"] = "Choose a GIFT file (.gift or .txt) exported from Moodle."
    if not title:
        errors["gift_title"] = "Give the new lesson a title."
    if errors:
        return _index(errors, status=422)
    _may_edit_or_403(request.form.get("course", ""))
    draft = authoring.gift_draft(request.form.get("course", ""), file.read(), title, file.filename)
    if draft is None:
        return _index({"gift_course": "Pick the course to add the lesson to."}, status=422)
    preview_result = authoring.preview_lesson(draft.course_key, draft.filename, draft.text)
    return _editor(draft, preview_result, extra=draft.problems)


@bp.get("/courses/<course_key>/export.zip")
def export(course_key: str):
    """Download a course as a zip of our Markdown, built from the database (browser edits included)."""
    _may_edit_or_403(course_key)
    bundle = bundles.export_course(course_key)
    if bundle is None:
        abort(404)
    response = Response(bundles.zip_bytes(bundle), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{course_key}.zip"'
    response.headers["Cache-Control"] = "no-store"  # personal data: no browser or proxy may keep a copy
    return response


def _preview_or_save(draft: authoring.Draft, *, new: bool):
    if request.form.get("action") != "save":
        return _editor(draft, authoring.preview_lesson(draft.course_key, draft.filename, draft.text))
    outcome = authoring.save_lesson(draft.course_key, draft.filename, draft.text.encode(), new=new,
                                    base_hash=draft.base_hash)
    if not outcome.saved:
        if outcome.theirs is not None:  # the next save, after merging, goes over their version on purpose
            draft = replace(draft, base_hash=outcome.theirs.base_hash)
        result = authoring.preview_lesson(draft.course_key, draft.filename, draft.text)
        shown = result.problems if result else ()
        extra = tuple(p for p in outcome.problems if p not in shown)
        return _editor(draft, result, extra=extra, status=422, failed=True, theirs=outcome.theirs)
    _flash_saved(outcome)
    slug = authoring.lesson_slug(draft.filename)
    return redirect(url_for("author.edit", course_key=draft.course_key, slug=slug))


def _editor(draft: authoring.Draft, result: authoring.Preview | None, *, extra=(), status: int = 200,
            failed: bool = False, theirs: authoring.Draft | None = None):
    if result is None:
        result = authoring.Preview(None, tuple(extra))
    elif extra:
        result = authoring.Preview(result.lesson, tuple(extra) + result.problems)
    action = (url_for("author.edit", course_key=draft.course_key, slug=draft.slug) if draft.slug
              else url_for("author.new", course_key=draft.course_key))
    course_title = dict(overview.course_choices()).get(draft.course_key, draft.course_key)
    return render_template("author/edit.html", draft=draft, preview=result, action=action, course_title=course_title,
                           failed=failed, theirs=theirs), status


def _editor_of_request() -> course_rights.Editor:
    return course_rights.Editor(current_user.id, current_user.is_admin)


def _may_edit_or_403(course_key: str) -> None:
    """Refuse (403) an author who is neither an owner nor an editor of the course; admins edit all.

    An unknown course passes, so the view answers 404 for it as before.
    """
    if course_rights.course_exists(course_key) and not course_rights.may_edit(_editor_of_request(), course_key):
        abort(403)


def _index(errors: dict | None = None, *, upload_problems=(), status: int = 200):
    keys = course_rights.editable_keys(_editor_of_request())
    courses = [c for c in overview.list_courses() if keys is None or c.key in keys]
    choices = [c for c in overview.course_choices() if keys is None or c[0] in keys]
    return render_template("author/index.html", courses=courses, choices=choices, errors=errors or {},
                           upload_problems=upload_problems, form=request.form), status


def _text() -> str:
    return request.form.get("text", "")


def _flash_saved(outcome: authoring.Outcome) -> None:
    title = dict(overview.course_choices()).get(outcome.course_key, outcome.course_key)
    summary = outcome.report.summary() if outcome.report else "nothing changed"
    flash(f"Saved “{title}”: {summary[0].lower() + summary[1:]}.", "success")
