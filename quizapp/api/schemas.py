"""The API's bodies as marshmallow schemas: what the views dump and load, and what the spec describes."""

from __future__ import annotations

from datetime import UTC

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

ID = fields.String(validate=validate.Length(min=1, max=16))


class UtcDateTime(fields.DateTime):
    """A stored time as RFC 3339 with its offset (SQLite gives stored times back without one: they are UTC)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class OptionSchema(Schema):
    """A choice or an order item in this learner's order; marked only as the reveal rule allows."""

    id = fields.String(required=True)
    html = fields.String(required=True)
    picked = fields.Boolean(required=True)
    mark = fields.String(allow_none=True, required=True,
                         metadata={"description": "right, wrong, missed (a right choice not picked) or null"})


class VerdictSchema(Schema):
    """The latest graded answer."""

    correct = fields.Boolean(required=True)
    score = fields.Float(required=True)
    gave_up = fields.Boolean(required=True, metadata={"description": "the solution was asked for first"})
    feedback_html = fields.List(fields.String(), required=True, metadata={"description": "the named mistake"})
    missed = fields.Integer(required=True, metadata={"description": "select-all: right choices left out"})


class QuestionSchema(Schema):
    """A question as this learner sees it: nothing the course's reveal rule holds back."""

    key = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    prompt_html = fields.String(required=True)
    multiple = fields.Boolean(required=True)
    choices = fields.List(fields.Nested(OptionSchema), metadata={"description": "choice questions"})
    items = fields.List(fields.Nested(OptionSchema), metadata={"description": "order questions"})
    hints_html = fields.List(fields.String(), required=True, metadata={"description": "hints revealed so far"})
    hint_count = fields.Integer(required=True)
    more_hints = fields.Boolean(required=True)
    status = fields.String(allow_none=True, required=True, metadata={"description": "null, correct or incorrect"})
    typed = fields.String(required=True, metadata={"description": "the latest text or number answer"})
    verdict = fields.Nested(VerdictSchema, allow_none=True, required=True)
    revealed = fields.Boolean(required=True, metadata={"description": "the three fields below are filled"})
    solution_html = fields.String(required=True)
    quick_check_html = fields.String(required=True)
    mistakes_html = fields.List(fields.String(), required=True)
    try_again = fields.Boolean(required=True)
    can_ask_solution = fields.Boolean(required=True)
    done = fields.Boolean(required=True)


class LessonStatusSchema(Schema):
    """A lesson in a course, with the learner's counts."""

    key = fields.String(required=True)
    title = fields.String(required=True)
    minutes = fields.Integer(allow_none=True, required=True)
    total = fields.Integer(required=True)
    answered = fields.Integer(required=True)
    correct = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"description": "not started, in progress or done"})


class CourseSchema(Schema):
    """A course with the learner's totals."""

    key = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    total = fields.Integer(required=True)
    correct = fields.Integer(required=True)


class CourseLessonsSchema(CourseSchema):
    """A course and its lessons with the learner's status."""

    lessons = fields.List(fields.Nested(LessonStatusSchema), required=True)


class CourseDetailSchema(CourseLessonsSchema):
    """A course, its introduction and its lessons with the learner's status."""

    intro_html = fields.String(required=True)


class ProgressSchema(Schema):
    """Every course with its lessons and the learner's counts."""

    courses = fields.List(fields.Nested(CourseLessonsSchema), required=True)


class NeighbourSchema(Schema):
    """A neighbouring lesson."""

    key = fields.String(required=True)
    title = fields.String(required=True)


class LessonSchema(Schema):
    """A rendered lesson and its questions as this learner sees them."""

    course = fields.String(required=True)
    key = fields.String(required=True)
    title = fields.String(required=True)
    minutes = fields.Integer(allow_none=True, required=True)
    body_html = fields.String(required=True)
    previous = fields.Nested(NeighbourSchema, allow_none=True, required=True)
    next = fields.Nested(NeighbourSchema, allow_none=True, required=True)
    questions = fields.List(fields.Nested(QuestionSchema), required=True)


class AnswerSchema(Schema):
    """One answer: exactly one of choices, text, number or order."""

    class Meta:
        unknown = RAISE

    choices = fields.List(ID, validate=validate.Length(max=50))
    text = fields.String(validate=validate.Length(max=2000))
    number = fields.String(validate=validate.Length(max=64))
    order = fields.List(ID, validate=validate.Length(min=1, max=50))

    @validates_schema
    def one_kind(self, data: dict, **_kwargs) -> None:
        """Refuse a body with none, or more than one, of the answer fields."""
        given = [name for name in ("choices", "text", "number", "order") if name in data]
        if len(given) != 1:
            raise ValidationError("Send exactly one of choices, text, number or order.", "body")


class OutcomeSchema(Schema):
    """A graded answer and the question as it now stands."""

    correct = fields.Boolean(required=True)
    score = fields.Float(required=True)
    feedback_html = fields.List(fields.String(), required=True)
    replayed = fields.Boolean(required=True, metadata={"description": "this Idempotency-Key was stored before"})
    question = fields.Nested(QuestionSchema, required=True)
    review = fields.Nested("ReviewOutcomeSchema", allow_none=True, required=True, metadata={
        "description": "the review this answer gave its card (a due card, or ?round=); null for practice"})


class MeSchema(Schema):
    """The token's account and what the token may do."""

    id = fields.Integer(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True)
    scopes = fields.List(fields.String(), required=True)
    token_id = fields.Integer(required=True)


class ReviewArgsSchema(Schema):
    """Which due cards to give."""

    course = fields.String(validate=validate.Length(min=1, max=100),
                           metadata={"description": "only this course's cards (its key)"})
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50),
                           metadata={"description": "at most this many cards, most overdue first"})


class ReviewCardSchema(Schema):
    """A due card: its question as this learner sees it in the card's review round, and where it lives."""

    course = fields.String(required=True)
    lesson = fields.String(required=True)
    course_title = fields.String(required=True)
    lesson_title = fields.String(required=True)
    due = UtcDateTime(required=True, metadata={"description": "when the card fell due"})
    round = fields.String(required=True, metadata={
        "description": "the card's review round: send it back as ?round= with answers, hints and the solution"})
    question = fields.Nested(QuestionSchema, required=True)


class ReviewQueueSchema(Schema):
    """The learner's due cards, most overdue first, and what is coming when nothing is due."""

    course = fields.String(allow_none=True, required=True, metadata={"description": "the course filter, if any"})
    due = fields.Integer(required=True, metadata={"description": "cards due now, counted up to 100 (100: 100 or more)"})
    cards = fields.List(fields.Nested(ReviewCardSchema), required=True)
    next_due = UtcDateTime(allow_none=True, required=True,
                           metadata={"description": "when the next card not yet due falls due (null: none)"})
    next_in = fields.String(allow_none=True, required=True, metadata={"description": "that in words: in 3 days"})
    this_week = fields.Integer(required=True, metadata={"description": "cards falling due in the next 7 days"})


class ReviewOutcomeSchema(Schema):
    """What an answer in a review round did to the card."""

    rating = fields.String(allow_none=True, required=True, metadata={
        "description": "again, hard or good; null for a later try in the round, which rates nothing"})
    due = UtcDateTime(required=True, metadata={"description": "when the card comes back"})
    comes_back = fields.String(required=True, metadata={"description": "that in words: in 10 minutes"})
    round = fields.String(required=True, metadata={"description": "the round, for another try in it (?round=)"})


class SuspensionSchema(Schema):
    """A card taken out of review, or put back."""

    course = fields.String(required=True)
    lesson = fields.String(required=True)
    question = fields.String(required=True)
    suspended = fields.Boolean(required=True)
