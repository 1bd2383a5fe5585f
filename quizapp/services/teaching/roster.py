"""Class management: members, removing a learner, a new join code, pupils added by roster, new one-time codes.

A roster pupil gets a username and a one-time sign-in code (stored only as a password hash; shown once, on
the printed cards). They sign in with it on the pupils' page and must choose a password first. Pupils
without an email get a placeholder address in the reserved ``pupils.invalid`` domain (models.PUPIL_DOMAIN):
email stays NOT NULL (docs/school.md), and staff see them by ``User.shown_name``, never by that address.
Pupils join no class by code: only their instructor enrols them.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from quizapp.content.parsing.text import slugify
from quizapp.extensions import db
from quizapp.models import PUPIL_DOMAIN, Classroom, Enrollment, User
from quizapp.services.accounts import accounts
from quizapp.services.teaching.classes import (
    JOIN_ALPHABET,
    ClassError,
    ClassInfo,
    Viewer,
    get_class_for_viewer,
    new_join_code,
)

CODE_LENGTH = 10
MAX_ROSTER = 200
LINE = re.compile(r"^(?P<name>[^,;<\t]+?)\s*(?:[,;<\t]\s*(?P<email>[^\s,;<>]+@[^\s,;<>]+)\s*>?)?\s*$")


@dataclass(frozen=True)
class Member:
    """A class member as the management page lists them."""

    id: int
    email: str
    username: str | None
    name: str | None
    pupil: bool


@dataclass(frozen=True)
class Card:
    """What a pupil's printed card says: name, username and the one-time code (shown once)."""

    name: str
    username: str
    code: str
    email: str


@dataclass(frozen=True)
class RosterResult:
    """The cards of the pupils added, and the lines that could not be."""

    cards: tuple[Card, ...]
    refused: tuple[str, ...]


def get_members(class_id: int, viewer: Viewer) -> list[Member] | None:
    """List a class's members, for its instructor (None: not theirs)."""
    if get_class_for_viewer(class_id, viewer) is None:
        return None
    query = (select(User.id, User.shown_email, User.username, User.display_name, User.pupil)
             .join(Enrollment, Enrollment.user_id == User.id)
             .where(Enrollment.classroom_id == class_id).order_by(User.shown_name, User.id))
    return [Member(*row) for row in db.session.execute(query)]


def remove_learner(class_id: int, viewer: Viewer, user_id: int) -> bool:
    """Take a learner out of a class (their answers stay theirs); False when not the viewer's or not a member."""
    if get_class_for_viewer(class_id, viewer) is None:
        return False
    done = db.session.execute(delete(Enrollment).where(Enrollment.classroom_id == class_id,
                                                       Enrollment.user_id == user_id))
    db.session.commit()
    return bool(done.rowcount)


def rotate_join_code(class_id: int, viewer: Viewer) -> ClassInfo | None:
    """Give a class a new join code (the old one, perhaps leaked, stops working)."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or get_class_for_viewer(class_id, viewer) is None:
        return None
    for _ in range(5):
        classroom.join_code = new_join_code()
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            classroom = db.session.get(Classroom, class_id)
            continue
        return get_class_for_viewer(class_id, viewer)
    raise ClassError("Could not draw a free join code; try again.")


def add_pupils(class_id: int, viewer: Viewer, text: str) -> RosterResult | None:
    """Create an account per roster line ('Name' or 'Name, email') enrolled in the class; give their cards."""
    if get_class_for_viewer(class_id, viewer) is None:
        return None
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_ROSTER:
        raise ClassError(f"Add at most {MAX_ROSTER} pupils at a time.")
    cards, refused = [], []
    for line in lines:
        match = LINE.match(line)
        name = " ".join(match.group("name").split())[:200] if match else ""
        email = accounts.normalise_email(match.group("email") or "") if match else ""
        if not name or (email and (not accounts.EMAIL.match(email) or accounts.get_user_by_email(email))):
            refused.append(line[:200])
            continue
        cards.append(_create_pupil(class_id, name, email))
    db.session.commit()
    return RosterResult(tuple(cards), tuple(refused))


def new_code(class_id: int, viewer: Viewer, user_id: int) -> Card | None:
    """Reset a pupil's password to a new one-time code (their sessions end); None unless it is the viewer's pupil."""
    if get_class_for_viewer(class_id, viewer) is None:
        return None
    user = db.session.scalar(select(User).join(Enrollment, Enrollment.user_id == User.id).where(
        Enrollment.classroom_id == class_id, User.id == user_id, User.pupil.is_(True)))
    if user is None:
        return None
    code = _draw_code()
    user.password_hash = accounts.hash_password(code)
    user.must_change_password = True
    user.session_version += 1
    db.session.commit()
    return Card(user.display_name or "", user.username or "", code, user.shown_email)


def _create_pupil(class_id: int, name: str, email: str) -> Card:
    username = _free_username(name)
    code = _draw_code()
    user = User(email=email or f"{username}@{PUPIL_DOMAIN}", username=username, display_name=name, pupil=True,
                must_change_password=True, role="learner",
                password_hash=accounts.hash_password(code))
    db.session.add(user)
    db.session.flush()
    db.session.add(Enrollment(classroom_id=class_id, user_id=user.id))
    return Card(name, username, code, email)


def _free_username(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = (slugify(plain).replace("-", ".") or "pupil")[:30]
    for _ in range(50):
        candidate = f"{base}.{secrets.randbelow(900) + 100}"
        if db.session.scalar(select(User.id).where(User.username == candidate)) is None:
            return candidate
    return f"{base}.{secrets.token_hex(4)}"


def _draw_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(CODE_LENGTH))
