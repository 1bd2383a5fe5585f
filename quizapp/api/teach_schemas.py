"""The instructor's bodies: classes, the overview, item analysis, common mistakes and attempts."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from quizapp.api.schemas import UtcDateTime


class ClassSchema(Schema):
    """A class the token's instructor teaches (an admin: every class)."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    join_code = fields.String(required=True)
    instructor_email = fields.String(required=True)
    archived = fields.Boolean(required=True)
    created_at = UtcDateTime(required=True)
    learners = fields.Integer(required=True)


class CursorArgsSchema(Schema):
    """Where a list resumes: the next_cursor of the page before (opaque)."""

    cursor = fields.String(validate=validate.Regexp(r"^[0-9]{1,12}$", error="Use the next_cursor of a page."))


class PageArgsSchema(CursorArgsSchema):
    """Where a list resumes, and how many to give."""

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class LearnerRowSchema(Schema):
    """A learner's standing in a course."""

    id = fields.Integer(required=True)
    name = fields.String(required=True, metadata={"description": "a pupil's roster name, anyone else's email"})
    username = fields.String(allow_none=True, required=True, metadata={"description": "a roster pupil's username"})
    email = fields.String(required=True, metadata={"description": "empty for a pupil without an address"})
    correct = fields.Integer(required=True)
    answered = fields.Integer(required=True)
    last_active = UtcDateTime(allow_none=True, required=True)
    behind = fields.Boolean(required=True)
    lessons = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                          metadata={"description": "lesson key -> questions right"})


class OverviewSchema(Schema):
    """A class's overview of a course, one page of learners (by name)."""

    course = fields.String(required=True)
    class_size = fields.Integer(required=True)
    behind = fields.Integer(required=True)
    average = fields.Float(required=True)
    total = fields.Integer(required=True, metadata={"description": "questions in the course"})
    learners = fields.List(fields.Nested(LearnerRowSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class OptionStatSchema(Schema):
    """How many learners picked an option (or gave an anticipated answer)."""

    id = fields.String(required=True)
    html = fields.String(required=True)
    correct = fields.Boolean(required=True)
    feedback_html = fields.String(required=True)
    learners = fields.Integer(required=True)


class ItemSchema(Schema):
    """A question's statistics in a class."""

    key = fields.String(required=True)
    title = fields.String(required=True)
    lesson_title = fields.String(required=True)
    kind = fields.String(required=True)
    attempts = fields.Integer(required=True)
    learners = fields.Integer(required=True)
    first_correct = fields.Integer(required=True)
    ever_correct = fields.Integer(required=True)
    facility = fields.Float(allow_none=True, required=True)
    discrimination = fields.Float(allow_none=True, required=True)
    flags = fields.List(fields.String(), required=True)
    options = fields.List(fields.Nested(OptionStatSchema), required=True)


class ItemsSchema(Schema):
    """Item analysis of a course in a class."""

    course = fields.String(required=True)
    items = fields.List(fields.Nested(ItemSchema), required=True)


class MistakeSchema(Schema):
    """A named mistake and how many learners made it."""

    question_key = fields.String(required=True)
    question_title = fields.String(required=True)
    option_id = fields.String(required=True)
    option_text = fields.String(required=True)
    feedback_html = fields.String(required=True)
    learners = fields.Integer(required=True)


class MistakesSchema(Schema):
    """The most common mistakes in a course in a class."""

    course = fields.String(required=True)
    mistakes = fields.List(fields.Nested(MistakeSchema), required=True)


class AttemptSchema(Schema):
    """One stored answer of a learner in the class."""

    id = fields.Integer(required=True)
    user_id = fields.Integer(required=True)
    name = fields.String(required=True, metadata={"description": "a pupil's roster name, anyone else's email"})
    username = fields.String(allow_none=True, required=True, metadata={"description": "a roster pupil's username"})
    email = fields.String(required=True, metadata={"description": "empty for a pupil without an address"})
    lesson = fields.String(required=True)
    question = fields.String(required=True)
    version = fields.Integer(required=True)
    current_version = fields.Boolean(required=True)
    created_at = UtcDateTime(required=True)
    correct = fields.Boolean(required=True)
    score = fields.Float(required=True)
    response = fields.String(required=True, metadata={"description": "the answer as stored, JSON text"})
    matched = fields.String(required=True)
    hints_used = fields.Integer(required=True)
    seconds = fields.Integer(allow_none=True, required=True)


class AttemptsSchema(Schema):
    """One page of attempts, oldest first."""

    course = fields.String(required=True)
    attempts = fields.List(fields.Nested(AttemptSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)
