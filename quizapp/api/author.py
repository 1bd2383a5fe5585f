"""The author's door as JSON: check a lesson's Markdown inside its course, as the editor's preview does."""

from __future__ import annotations

from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, fields, validate

from quizapp.api.auth import authenticate, scoped
from quizapp.api.errors import ProblemSchema
from quizapp.services.authoring import editor as authoring
from quizapp.services.learning import catalog

bp = Blueprint("api_author", __name__, url_prefix="/api/v1/content", description="Checking content.")
bp.before_request(authenticate)
MAX_MARKDOWN = 1_000_000


class CheckSchema(Schema):
    """A lesson file to check: its course, its file name and its Markdown."""

    class Meta:
        unknown = RAISE

    course = fields.String(required=True, validate=validate.Length(min=1, max=100))
    filename = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Za-z0-9][A-Za-z0-9_-]{0,120}\.md$", error="Name the file like 02-loops.md."))
    markdown = fields.String(required=True, validate=validate.Length(max=MAX_MARKDOWN))


class ProblemLineSchema(Schema):
    """One thing the checker found, at the line to fix."""

    file = fields.String(required=True)
    line = fields.Integer(required=True)
    column = fields.Integer(allow_none=True, required=True)
    severity = fields.String(required=True, metadata={"description": "error, warning or note"})
    message = fields.String(required=True)
    rule = fields.String(required=True, metadata={"description": "the teaching check's name; '' for the format"})


class CheckResultSchema(Schema):
    """The checker's verdict on a lesson."""

    ok = fields.Boolean(required=True, metadata={"description": "no errors (warnings may remain)"})
    title = fields.String(allow_none=True, required=True)
    questions = fields.Integer(required=True)
    problems = fields.List(fields.Nested(ProblemLineSchema), required=True)


@bp.route("/check", methods=["POST"])
@scoped("author")
@bp.arguments(CheckSchema())
@bp.response(200, CheckResultSchema)
@bp.alt_response(404, schema=ProblemSchema, content_type="application/problem+json")
def check(body: dict):
    """Check a lesson's Markdown in its course with the content checker; nothing is saved."""
    if catalog.get_course_info(body["course"]) is None:
        abort(404, detail=f"There is no course '{body['course']}'.")
    preview = authoring.preview_lesson(body["course"], body["filename"], body["markdown"])
    if preview is None:
        abort(404, detail=f"There is no course '{body['course']}'.")
    problems = [{"file": p.file, "line": p.line, "column": p.column, "severity": p.severity, "message": p.message,
                 "rule": p.rule} for p in preview.problems]
    lesson = preview.lesson
    return {"ok": not any(p["severity"] == "error" for p in problems), "title": lesson.title if lesson else None,
            "questions": len(lesson.questions) if lesson else 0, "problems": problems}
