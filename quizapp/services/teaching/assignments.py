"""Assignments: a course, or some of its lessons, due for a class by a date; who is late, what is due.

A learner is *late* on an assignment once its due time has passed and they have not answered every active
question of its lessons correctly (current answer keys, as progress counts). Late learners count as behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, bindparam, delete, func, select

from quizapp.extensions import db
from quizapp.models import Classroom, Course, Enrollment, LearnerQuestion, Lesson, Question
from quizapp.models.school import Assignment
from quizapp.services.teaching.classes import ClassError, Viewer, get_class_for_viewer
from quizapp.services.teaching.reports import course_questions
from quizapp.speed.direct import Prepared, read_one


@dataclass(frozen=True)
class AssignmentInfo:
    """An assignment as lists show it; ``lessons`` empty means the whole course."""

    id: int
    class_id: int
    class_name: str
    course_id: int
    course_key: str
    course_title: str
    lesson_ids: tuple[int, ...]
    lessons: tuple[str, ...]
    due_at: datetime
    late: int = 0  # members late on it (instructor's list)
    done: bool = False  # the learner finished it (learner's list)

    def overdue(self, now: datetime) -> bool:
        """Say whether the due time has passed."""
        return _aware(self.due_at) < now


def create_assignment(class_id: int, viewer: Viewer, course_key: str, lesson_ids: list[int],
                      due_at: datetime | None) -> AssignmentInfo | None:
    """Assign a course (or the chosen lessons of it) to a class the viewer teaches, due at a time."""
    if get_class_for_viewer(class_id, viewer) is None:
        return None
    course = db.session.scalar(select(Course).where(Course.key == course_key, Course.retired.is_(False)))
    if course is None:
        raise ClassError("Pick a course.")
    if due_at is None:
        raise ClassError("Give a due date.")
    valid = set(db.session.scalars(select(Lesson.id).where(Lesson.course_id == course.id,
                                                           Lesson.retired.is_(False))))
    chosen = sorted(set(lesson_ids) & valid)
    assignment = Assignment(classroom_id=class_id, course_id=course.id, lesson_ids=chosen, due_at=due_at)
    db.session.add(assignment)
    db.session.commit()
    return _infos(Assignment.id == assignment.id)[0]


def delete_assignment(class_id: int, viewer: Viewer, assignment_id: int) -> bool:
    """Withdraw an assignment of a class the viewer teaches."""
    if get_class_for_viewer(class_id, viewer) is None:
        return False
    db.session.execute(delete(Assignment).where(Assignment.id == assignment_id, Assignment.classroom_id == class_id))
    db.session.commit()
    return True


def get_class_assignments(class_id: int, now: datetime | None = None) -> list[AssignmentInfo]:
    """List a class's assignments, soonest due first, each with how many members are late on it."""
    now = now or datetime.now(UTC)
    found = _infos(Assignment.classroom_id == class_id)
    return [_with(a, late=len(late_members(a, now))) for a in found]


def get_due_for_learner(user_id: int) -> list[AssignmentInfo]:
    """List what is due for a learner in their open classes, soonest first, each marked done or not.

    Most learners have nothing assigned: one prebuilt indexed read says so before any report is built."""
    if read_one(_ANY_DUE, {"user_id": user_id}) is None:
        return []
    member = select(Enrollment.classroom_id).where(Enrollment.user_id == user_id)
    found = _infos(Assignment.classroom_id.in_(member) & Classroom.archived.is_(False))
    return [_with(a, done=user_id not in _unfinished(a, [user_id])) for a in found]


def late_user_ids(class_id: int, course_id: int, now: datetime) -> set[int]:
    """Give the members late on any of the class's past-due assignments in a course."""
    found = _infos(and_(Assignment.classroom_id == class_id, Assignment.course_id == course_id,
                        Assignment.due_at < now))
    return set().union(*(late_members(a, now) for a in found)) if found else set()


def late_members(assignment: AssignmentInfo, now: datetime) -> set[int]:
    """Give the members late on an assignment (none before it is due)."""
    if not assignment.overdue(now):
        return set()
    members = list(db.session.scalars(select(Enrollment.user_id).where(
        Enrollment.classroom_id == assignment.class_id)))
    return _unfinished(assignment, members)


def due_by_lesson(class_id: int, course_id: int) -> dict[int, datetime]:
    """Give, per lesson of a course, the earliest due time of the class's assignments covering it."""
    lessons = list(db.session.scalars(select(Lesson.id).where(Lesson.course_id == course_id)))
    found: dict[int, datetime] = {}
    for a in _infos(and_(Assignment.classroom_id == class_id, Assignment.course_id == course_id)):
        for lesson_id in a.lesson_ids or lessons:
            if lesson_id not in found or _aware(a.due_at) < found[lesson_id]:
                found[lesson_id] = _aware(a.due_at)
    return found


def _unfinished(assignment: AssignmentInfo, user_ids: list[int]) -> set[int]:
    """Give those of ``user_ids`` who have not answered every question of the assignment correctly."""
    if not user_ids:
        return set()
    cq = course_questions(assignment.course_id)
    if assignment.lesson_ids:
        cq = cq.where(Question.lesson_id.in_(assignment.lesson_ids))
    cq = cq.subquery()
    total = db.session.scalar(select(func.count()).select_from(cq))
    lq = LearnerQuestion
    done = (select(lq.user_id).join(cq, and_(lq.question_id == cq.c.id, lq.version == cq.c.version))
            .where(lq.user_id.in_(user_ids), lq.ever_correct.is_(True))
            .group_by(lq.user_id).having(func.count() >= total))
    return set(user_ids) - set(db.session.scalars(done))


def _infos(condition) -> list[AssignmentInfo]:
    query = (select(Assignment, Classroom.name, Course.key, Course.title)
             .join(Classroom, Classroom.id == Assignment.classroom_id)
             .join(Course, Course.id == Assignment.course_id)
             .where(condition).order_by(Assignment.due_at, Assignment.id))
    rows = db.session.execute(query).all()
    ids = {i for a, *_ in rows for i in a.lesson_ids or ()}
    named = db.session.execute(select(Lesson.id, Lesson.title).where(Lesson.id.in_(ids))) if ids else ()
    titles = {lesson_id: title for lesson_id, title in named}
    return [AssignmentInfo(a.id, a.classroom_id, name, a.course_id, key, title, tuple(a.lesson_ids or ()),
                           tuple(titles.get(i, "") for i in a.lesson_ids or ()), _aware(a.due_at))
            for a, name, key, title in rows]


def _with(info: AssignmentInfo, **changes) -> AssignmentInfo:
    return AssignmentInfo(**{**info.__dict__, **changes})


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_ANY_DUE = Prepared(
    select(Assignment.id)
    .join(Enrollment, Enrollment.classroom_id == Assignment.classroom_id)
    .join(Classroom, Classroom.id == Assignment.classroom_id)
    .where(Enrollment.user_id == bindparam("user_id"), Classroom.archived.is_(False))
    .limit(1)
)
