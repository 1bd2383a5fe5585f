"""The authoring overview: every course and lesson an author may open, with the checker's warnings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from quizapp.content import parse_lesson
from quizapp.extensions import db
from quizapp.models import Course, Lesson
from quizapp.services.authoring import bundles


@dataclass(frozen=True)
class LessonSummary:
    """One lesson in the authoring overview."""

    slug: str
    title: str
    filename: str
    retired: bool
    questions: int
    warnings: tuple[str, ...]  # the checker's warnings (a loaded lesson has no errors), as 'line N: message'


@dataclass(frozen=True)
class CourseSummary:
    """One course in the authoring overview, retired ones included."""

    key: str
    title: str
    retired: bool
    lessons: tuple[LessonSummary, ...]


def list_courses() -> list[CourseSummary]:
    """List every course with its lessons, retired ones marked."""
    courses = db.session.scalars(select(Course).order_by(Course.retired, Course.position.is_(None),
                                                         Course.position, Course.key))
    return [
        CourseSummary(c.key, c.title, c.retired, tuple(
            LessonSummary(ls.slug, ls.title, bundles.lesson_filename(ls), ls.retired,
                          sum(not q.retired for q in ls.questions), _warnings(ls))
            for ls in c.lessons
        ))
        for c in courses
    ]


def course_choices() -> list[tuple[str, str]]:
    """Give (key, title) of the active courses, for 'add to course' fields."""
    return list(db.session.execute(select(Course.key, Course.title).where(Course.retired.is_(False))
                                   .order_by(Course.key)).all())


def _warnings(lesson: Lesson) -> tuple[str, ...]:
    _parsed, problems = parse_lesson(lesson.source, path=lesson.filename, slug=lesson.slug)
    return tuple(f"line {p.line}: {p.message}" + (f" [{p.rule}]" if p.rule else "") for p in problems)
