"""One learner seen from their class's dashboard: progress per lesson and a timeline of their attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from markupsafe import Markup, escape
from sqlalchemy import and_, func, select

from quizapp.content import render_inline
from quizapp.content.model import Answer, ChoiceAnswer, OrderAnswer
from quizapp.content.snapshots import answer_from_dict
from quizapp.extensions import db
from quizapp.models import Attempt, Enrollment, Lesson, Question, QuestionVersion, User
from quizapp.services.learning.progress import LessonProgress, get_progress_for_user
from quizapp.services.teaching.reports import PAGE_SIZE, CourseRef, course_questions


@dataclass(frozen=True)
class TimelineEntry:
    """One attempt as the drill-down shows it: what was asked, answered, and said back."""

    id: int
    created_at: datetime
    question_id: int
    question_title: str
    lesson_title: str
    answer_html: Markup  # choice and order texts rendered as the learner saw them; typed text escaped
    correct: bool
    score: float
    feedback_html: tuple[str, ...]
    hints_used: int
    seconds: int | None
    current: bool  # graded on the question's current answer key


@dataclass(frozen=True)
class Timeline:
    """A page of one learner's attempts in a course, newest first."""

    entries: tuple[TimelineEntry, ...]
    total: int
    page: int

    @property
    def pages(self) -> int:
        """Count the pages of attempts."""
        return max(1, -(-self.total // PAGE_SIZE))


def get_member_name(class_id: int, user_id: int):
    """Name a class member as staff see them (row: name, username), or None when the user is not in that class."""
    query = select(User.shown_name.label("name"), User.username).join(Enrollment, Enrollment.user_id == User.id).where(
        Enrollment.classroom_id == class_id, User.id == user_id
    )
    return db.session.execute(query).first()


def get_learner_lessons(user_id: int, course: CourseRef) -> tuple[LessonProgress, ...]:
    """Give one learner's progress per lesson of a course (three queries)."""
    courses = get_progress_for_user(user_id, course.key)
    return courses[0].lessons if courses else ()


def get_timeline(user_id: int, course_id: int, page: int = 1) -> Timeline:
    """Load a page of a learner's attempts on a course's questions, any version (two queries)."""
    in_course = Attempt.question_id.in_(select(course_questions(course_id).subquery().c.id))
    where = and_(Attempt.user_id == user_id, in_course)
    total = db.session.scalar(select(func.count()).select_from(Attempt).where(where)) or 0
    page = min(max(page, 1), max(1, -(-total // PAGE_SIZE)))
    query = (
        select(Attempt, Question.title, Question.version, Lesson.title, QuestionVersion.answer)
        .join(Question, Question.id == Attempt.question_id)
        .join(Lesson, Lesson.id == Question.lesson_id)
        .join(QuestionVersion, and_(
            QuestionVersion.question_id == Attempt.question_id, QuestionVersion.number == Attempt.version
        ))
        .where(where)
        .order_by(Attempt.created_at.desc(), Attempt.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    entries = tuple(
        TimelineEntry(
            a.id, a.created_at, a.question_id, title, lesson, describe_response(answer_from_dict(key), a.response),
            a.correct, a.score, tuple(a.feedback_html or ()), a.hints_used, a.seconds, a.version == version,
        )
        for a, title, version, lesson, key in db.session.execute(query)
    )
    return Timeline(entries, total, page)


@lru_cache(maxsize=1024)
def _inline(text: str) -> Markup:
    return Markup(render_inline(text))  # sanitised by the content renderer, as on the lesson page


def describe_response(answer: Answer, response: dict) -> Markup:
    """Show what a learner answered: the choice texts or the order as rendered in the lesson, or what they
    typed (escaped, never read as Markdown)."""
    if isinstance(answer, ChoiceAnswer):
        texts = {c.id: c.text for c in answer.choices}
        return Markup("; ").join(
            Markup("{}) {}").format(cid, _inline(texts[cid]) if cid in texts else "?")
            for cid in response.get("choices", [])
        )
    if isinstance(answer, OrderAnswer):
        texts = {i.id: i.text for i in answer.items}
        return Markup(" → ").join(_inline(texts[iid]) if iid in texts else "?" for iid in response.get("order", []))
    return escape(str(response.get("text", response.get("raw", ""))))
