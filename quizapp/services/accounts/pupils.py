"""Pupils' own doors: sign in with a username, choose a password after a one-time code."""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.extensions import db
from quizapp.models import User
from quizapp.services.accounts import accounts

_DUMMY_HASH = generate_password_hash("not a real password")


def authenticate_pupil(username: str, password: str) -> User | None:
    """Return the enabled pupil whose username and password (or one-time code) match, else None."""
    username = (username or "").strip().lower()[:40]
    user = db.session.scalar(select(User).where(User.username == username)) if username else None
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    matches = check_password_hash(user.password_hash, (password or "").strip())
    return user if matches and not user.disabled else None


def choose_password(user_id: int, password: str, *, min_length: int = 10) -> None:
    """Replace a pupil's one-time code with a password of their own (other sessions end)."""
    user = db.session.get(User, user_id)
    if user is None:
        raise accounts.AccountError("That account no longer exists.", "password")
    if check_password_hash(user.password_hash, password or ""):
        raise accounts.AccountError("Choose a password of your own, not the code from the card.", "password")
    accounts.check_password_rules(password, min_length=min_length)
    user.password_hash = accounts.hash_password(password)
    user.must_change_password = False
    user.session_version += 1
    db.session.commit()
