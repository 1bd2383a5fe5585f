"""Classes: an instructor creates one, learners join it by code, and only its instructor (or an admin) sees it.

Every class-scoped lookup takes the viewer and answers None for a class that is not theirs, so views
can answer 404 and never reveal that another instructor's class exists.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models import Classroom, Enrollment, User

JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: codes are read aloud and typed
JOIN_CODE_LENGTH = 8
MAX_NAME = 200


class ClassError(ValueError):
    """A class change that cannot be accepted; the message says how to fix it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Viewer:
    """Who is looking: instructors see their own classes, admins see every class."""

    id: int
    admin: bool = False


@dataclass(frozen=True)
class ClassInfo:
    """A class as lists and headings show it."""

    id: int
    name: str
    join_code: str
    instructor_id: int
    instructor_email: str
    archived: bool
    created_at: datetime
    learners: int


def new_join_code() -> str:
    """Draw a random join code from the unambiguous alphabet."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_code(code: str) -> str:
    """Fold a typed code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (code or "").upper() if ch not in " -\t")[:32]


def create_class(instructor_id: int, name: str) -> ClassInfo:
    """Store a new class with a fresh join code (redrawn on the rare collision)."""
    name = _clean_name(name)
    for _ in range(5):
        classroom = Classroom(name=name, join_code=new_join_code(), instructor_id=instructor_id)
        db.session.add(classroom)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        return _infos(Classroom.id == classroom.id)[0]
    raise ClassError("Could not draw a free join code; try again.")


def rename_class(class_id: int, viewer: Viewer, name: str) -> ClassInfo | None:
    """Rename a class the viewer teaches; None when it is not theirs."""
    classroom = _owned(class_id, viewer)
    if classroom is None:
        return None
    classroom.name = _clean_name(name)
    db.session.commit()
    return get_class_for_viewer(class_id, viewer)


def set_archived(class_id: int, viewer: Viewer, archived: bool) -> ClassInfo | None:
    """Archive (closed to joining, hidden from learners' lists) or restore a class the viewer teaches."""
    classroom = _owned(class_id, viewer)
    if classroom is None:
        return None
    classroom.archived = archived
    db.session.commit()
    return get_class_for_viewer(class_id, viewer)


def get_classes_for_viewer(viewer: Viewer) -> list[ClassInfo]:
    """List the classes a viewer may open, newest first (one query)."""
    return _infos(None if viewer.admin else Classroom.instructor_id == viewer.id)


def get_class_for_viewer(class_id: int, viewer: Viewer) -> ClassInfo | None:
    """Load one class if the viewer may open it, else None (one query)."""
    condition = Classroom.id == class_id
    if not viewer.admin:
        condition = condition & (Classroom.instructor_id == viewer.id)
    found = _infos(condition)
    return found[0] if found else None


def is_enrolled(class_id: int, user_id: int) -> bool:
    """Say whether a user is a member of a class."""
    query = select(Enrollment.id).where(Enrollment.classroom_id == class_id, Enrollment.user_id == user_id)
    return db.session.scalar(query) is not None


def find_open_class(code: str) -> ClassInfo | None:
    """Find the class a join code names, unless it is archived."""
    found = _infos((Classroom.join_code == normalise_code(code)) & Classroom.archived.is_(False))
    return found[0] if found else None


def join_class(user_id: int, code: str) -> ClassInfo | None:
    """Enrol a user in the class a code names; joining twice is harmless; None for an unknown code.

    Roster pupils join no class by code: only their instructor enrols them (services/roster.py).
    """
    found = find_open_class(code)
    if found is None or db.session.scalar(select(User.pupil).where(User.id == user_id)):
        return None
    if not is_enrolled(found.id, user_id):
        db.session.add(Enrollment(classroom_id=found.id, user_id=user_id))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # the same join arrived twice at once: already a member
    return found


def get_classes_for_learner(user_id: int) -> list[ClassInfo]:
    """List the open classes a user has joined."""
    member = select(Enrollment.classroom_id).where(Enrollment.user_id == user_id)
    return _infos(Classroom.id.in_(member) & Classroom.archived.is_(False))


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ClassError("Give the class a name.")
    if len(name) > MAX_NAME:
        raise ClassError(f"Use a name of at most {MAX_NAME} characters.")
    return name


def _owned(class_id: int, viewer: Viewer) -> Classroom | None:
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or not (viewer.admin or classroom.instructor_id == viewer.id):
        return None
    return classroom


def _infos(condition) -> list[ClassInfo]:
    counts = (
        select(Enrollment.classroom_id, func.count().label("n")).group_by(Enrollment.classroom_id).subquery()
    )
    query = (
        select(Classroom, User.email, func.coalesce(counts.c.n, 0))
        .join(User, User.id == Classroom.instructor_id)
        .outerjoin(counts, counts.c.classroom_id == Classroom.id)
        .order_by(Classroom.archived, Classroom.created_at.desc(), Classroom.id.desc())
    )
    if condition is not None:
        query = query.where(condition)
    return [
        ClassInfo(c.id, c.name, c.join_code, c.instructor_id, email, c.archived, c.created_at, n)
        for c, email, n in db.session.execute(query)
    ]
