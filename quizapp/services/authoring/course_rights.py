"""Who may edit which course: its owners and editors, and admins; admins assign them.

A course nobody owns (loaded with `quizapp content load`, or from before rights existed) is editable by
admins only until an admin names an owner: the safer default (docs/school.md). A course first uploaded
in the browser is owned by its uploader. The CLI load is the operator's door and checks no rights.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from quizapp.extensions import db
from quizapp.models import Course, User
from quizapp.models.school import COURSE_ROLES, CourseMember
from quizapp.services.accounts import audit
from quizapp.services.accounts.accounts import get_user_by_email


class RightsError(ValueError):
    """A rights change that cannot be done; the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Editor:
    """Who wants to edit: an author's id, and whether they are an admin (admins edit every course)."""

    id: int
    admin: bool = False


@dataclass(frozen=True)
class Member:
    """An owner or editor of a course."""

    user_id: int
    email: str
    role: str


def may_edit(editor: Editor, course_key: str) -> bool:
    """Say whether an author may edit (or replace) a course."""
    if editor.admin:
        return True
    query = (select(CourseMember.role).join(Course, Course.id == CourseMember.course_id)
             .where(Course.key == course_key, CourseMember.user_id == editor.id))
    return db.session.scalar(query) is not None


def editable_keys(editor: Editor) -> set[str] | None:
    """Give the keys of the courses an author may edit (None: all of them, for admins)."""
    if editor.admin:
        return None
    query = select(Course.key).join(CourseMember, CourseMember.course_id == Course.id).where(
        CourseMember.user_id == editor.id)
    return set(db.session.scalars(query))


def course_exists(course_key: str) -> bool:
    """Say whether a course with this key was ever loaded (retired ones included)."""
    return db.session.scalar(select(Course.id).where(Course.key == course_key)) is not None


def claim_new_course(editor: Editor, course_key: str) -> None:
    """Make the uploader of a new course its owner."""
    course_id = db.session.scalar(select(Course.id).where(Course.key == course_key))
    if course_id is None or db.session.get(CourseMember, (course_id, editor.id)) is not None:
        return
    db.session.add(CourseMember(course_id=course_id, user_id=editor.id, role="owner"))
    db.session.commit()


def get_members(course_key: str) -> list[Member] | None:
    """List a course's owners and editors (None: no such course)."""
    course_id = db.session.scalar(select(Course.id).where(Course.key == course_key))
    if course_id is None:
        return None
    query = (select(User.id, User.email, CourseMember.role).join(CourseMember, CourseMember.user_id == User.id)
             .where(CourseMember.course_id == course_id).order_by(CourseMember.role.desc(), User.email))
    return [Member(*row) for row in db.session.execute(query)]


def set_member(actor_id: int, course_key: str, email: str, role: str) -> None:
    """Make an author (or admin) an owner or editor of a course (an admin's action, audited)."""
    course_id = db.session.scalar(select(Course.id).where(Course.key == course_key))
    user = get_user_by_email(email)
    if course_id is None:
        raise RightsError("No such course.")
    if role not in COURSE_ROLES:
        raise RightsError("Choose owner or editor.")
    if user is None or user.disabled or not user.can_author:
        raise RightsError("Give rights to an enabled author's (or admin's) email.")
    member = db.session.get(CourseMember, (course_id, user.id))
    if member is None:
        db.session.add(CourseMember(course_id=course_id, user_id=user.id, role=role))
    else:
        member.role = role
    audit.record(actor_id, "course-" + role, user.id, course_key)
    db.session.commit()


def remove_member(actor_id: int, course_key: str, user_id: int) -> None:
    """Take away an author's rights on a course (an admin's action, audited)."""
    course_id = db.session.scalar(select(Course.id).where(Course.key == course_key))
    if course_id is None:
        raise RightsError("No such course.")
    db.session.execute(delete(CourseMember).where(CourseMember.course_id == course_id,
                                                  CourseMember.user_id == user_id))
    audit.record(actor_id, "course-remove", user_id, course_key)
    db.session.commit()


def list_course_keys() -> list[tuple[str, str]]:
    """List every course's key and title, for the admin's rights page."""
    return [tuple(row) for row in db.session.execute(select(Course.key, Course.title).order_by(Course.key))]
