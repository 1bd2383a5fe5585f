"""Grade learners' answers without Flask or a database: parse the raw form, then grade the response.

Parsing is separate from grading so that malformed input (``ResponseError``) costs no attempt and a
stored response can be regraded against its answer key snapshot.
"""

from .base import Form, Grade, Grader, ResponseError
from .registry import GRADERS, grade, grade_form, grader_for, parse_response

__all__ = [
    "GRADERS",
    "Form",
    "Grade",
    "Grader",
    "ResponseError",
    "grade",
    "grade_form",
    "grader_for",
    "parse_response",
]
