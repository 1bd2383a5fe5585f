"""A lesson page's data, in the parts that change at different rates.

- The course's stamp moves whenever anything in the course is loaded anew (content_sync): one small
  query per view. Everything below may be kept by a caller for as long as the stamp is the same.
- The heads (titles, neighbours) of all the course's lessons: one query.
- A lesson's content (rendered body, its questions as authored): two queries.
- The learner's state on each question (record, latest answer, help taken) changes with every answer:
  one query.

So a lesson page whose course is kept is two statements for a visitor and three for a learner (with
the session's user), whatever the lesson's size.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, bindparam, cast, func, or_, select

from quizapp.models import Course, LearnerQuestion, Lesson, Question, QuestionHelp, QuestionVersion
from quizapp.services.learning.practice import Authored, authored_from
from quizapp.services.learning.presenter import QuestionState
from quizapp.services.learning.question_rows import (
    CURRENT_KEY,
    QUESTION_COLUMNS,
    STANDING_COLUMNS,
    learner_states,
    state_from,
)
from quizapp.speed.direct import Prepared, read, read_one


@dataclass(frozen=True)
class LessonHead:
    """What a lesson page shows besides the lesson itself; equal heads render the same page."""

    id: int
    stamp: str  # the course's stamp: changes whenever anything in the course is loaded anew
    course_key: str
    course_title: str
    reveal: str  # the course's reveal rule
    slug: str
    title: str
    minutes: int | None
    previous: tuple[str, str] | None  # (slug, title)
    next: tuple[str, str] | None


@dataclass(frozen=True)
class LessonContent:
    """The learner-independent part: the rendered lesson and its questions as authored."""

    body_html: str
    questions: tuple[Authored, ...]


def get_course_stamp(course_key: str) -> str | None:
    """Give the stamp of an active course, or None if there is no such course."""
    row = read_one(_STAMP, {"key": course_key})
    return None if row is None else row.stamp


def get_lesson_heads(course_key: str, stamp: str) -> dict[str, LessonHead]:
    """Give every active lesson of an active course by slug, with its neighbours (one query)."""
    heads = {}
    for row in read(_HEADS, {"key": course_key}):
        heads[row.slug] = LessonHead(
            row.id, stamp, course_key, row.course_title, row.reveal, row.slug, row.title, row.minutes,
            (row.prev_slug, row.prev_title) if row.prev_slug is not None else None,
            (row.next_slug, row.next_title) if row.next_slug is not None else None,
        )
    return heads


def get_lesson_content(head: LessonHead) -> LessonContent:
    """Load a lesson's rendered body and its active questions in order (two queries)."""
    body = read(_BODY, {"id": head.id}).scalar_one()
    rows = read(_QUESTIONS, {"lesson_id": head.id})
    place = (head.reveal, head.course_title, head.title)
    return LessonContent(body, tuple(authored_from(row, head.course_key, head.slug, place) for row in rows))


def get_states(lesson_id: int, user_id: int | None) -> dict[int, QuestionState]:
    """Map each question of a lesson the learner answered or took help on to their standing (one query): their
    state without the latest answer itself (``practice.get_state`` reads it where it is to be shown)."""
    if user_id is None:
        return {}
    rows = read(_STATES, {"lesson_id": lesson_id, "user_id": user_id})
    return {row.question_id: state_from(row) for row in rows}


# --- statements, built once ------------------------------------------------------------------


def _heads_statement():
    """A course's active lessons, with its title and each lesson's active neighbours by position."""
    window = {"order_by": Lesson.position}
    return (
        select(
            Lesson.id, Lesson.slug, Lesson.title, Lesson.minutes, Course.title.label("course_title"), Course.reveal,
            func.lag(Lesson.slug).over(**window).label("prev_slug"),
            func.lag(Lesson.title).over(**window).label("prev_title"),
            func.lead(Lesson.slug).over(**window).label("next_slug"),
            func.lead(Lesson.title).over(**window).label("next_title"),
        )
        .join(Course, Course.id == Lesson.course_id)
        .where(Course.key == bindparam("key"), Course.retired.is_(False), Lesson.retired.is_(False))
    )


# The stamp is only ever compared, so it is read as the database's own text: no timestamp is parsed per view.
_STAMP = Prepared(select(cast(Course.updated_at, String).label("stamp"))
                  .where(Course.key == bindparam("key"), Course.retired.is_(False)))
_HEADS = Prepared(_heads_statement())
_BODY = Prepared(select(Lesson.body_html).where(Lesson.id == bindparam("id")))
_QUESTIONS = Prepared(
    select(*QUESTION_COLUMNS)
    .join(QuestionVersion, CURRENT_KEY)
    .join(Lesson, Lesson.id == Question.lesson_id)
    .where(Question.lesson_id == bindparam("lesson_id"), Question.retired.is_(False))
    .order_by(Question.position)
)
_STATES = Prepared(
    learner_states(STANDING_COLUMNS)
    .where(Question.lesson_id == bindparam("lesson_id"), Question.retired.is_(False))
    .where(or_(LearnerQuestion.user_id.isnot(None), QuestionHelp.user_id.isnot(None)))  # only what they touched
)
