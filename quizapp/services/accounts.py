"""Create accounts and check passwords; the rules live here so the CLI and the sign-up form agree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.direct import Prepared, read_one
from quizapp.extensions import db
from quizapp.models import ROLES, AccountMixin, User
from quizapp.services.tokens import revoke_all_tokens

EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]{2,}$")
# Passwords every cracking list tries first; long enough to pass the length rule, so refused by name.
COMMON_PASSWORDS = frozenset({
    "1234567890", "12345678910", "123456789012", "0123456789", "password123", "password1234",
    "passwordpassword", "qwertyuiop", "qwertyuiop123", "1q2w3e4r5t", "iloveyou123", "letmein123",
    "welcome123", "administrator", "abcdefghij", "abc1234567", "changeme123", "football123",
})
# The KDF for new hashes; set once at start-up from PASSWORD_HASH_METHOD (see configure()).
HASH_METHOD = {"method": "scrypt"}
# A throwaway hash, so a login for an unknown email costs as much as one for a known email.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(ValueError):
    """A sign-up or account change that cannot be accepted; the message says how to fix it."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def configure(hash_method: str) -> None:
    """Choose the KDF for new password hashes (existing hashes name their own method)."""
    HASH_METHOD["method"] = hash_method


def normalise_email(email: str) -> str:
    """Fold an email for storage and lookup (case-insensitive, trimmed)."""
    return (email or "").strip().lower()


def check_password_rules(password: str, *, email: str = "", min_length: int = 10) -> None:
    """Refuse passwords that are short, absurdly long, or the email itself."""
    if len(password) < min_length:
        raise AccountError(f"Use a password of at least {min_length} characters.", "password")
    if len(password) > 256:
        raise AccountError("Use a password of at most 256 characters.", "password")
    if email and password.strip().lower() == email:
        raise AccountError("Your password must not be your email address.", "password")
    if len(set(password)) < 4:
        raise AccountError("Use a password with more variety than a few repeated characters.", "password")
    if password.strip().lower() in COMMON_PASSWORDS:
        raise AccountError("That password is on every list attackers try first; choose another.", "password")


def create_user(email: str, password: str, *, role: str = "learner", min_length: int = 10) -> User:
    """Store a new account with a scrypt-hashed password; refuse bad emails, weak passwords, duplicates."""
    email = normalise_email(email)
    if not EMAIL.match(email) or len(email) > 254:
        raise AccountError("Enter an email address like name@example.org.", "email")
    if role not in ROLES:
        raise AccountError(f"Unknown role '{role}'; use one of: {', '.join(ROLES)}.", "role")
    check_password_rules(password, email=email, min_length=min_length)
    user = User(email=email, password_hash=generate_password_hash(password, method=HASH_METHOD["method"]), role=role)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError("An account with this email already exists; log in instead.", "email") from None
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user whose email and password match, else None (in constant-ish time)."""
    user = get_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


def get_user_by_email(email: str) -> User | None:
    """Find an account by email, whatever its case; input no stored email could match finds nothing."""
    email = normalise_email(email)
    if not email or len(email) > 254 or "\x00" in email:
        return None
    return db.session.scalar(select(User).where(User.email == email))


@dataclass(frozen=True, eq=False)
class SessionUser(AccountMixin):
    """The signed-in account as every request sees it: four columns, not a full ORM entity (it is hot)."""

    id: int
    email: str
    role: str
    session_version: int


_SESSION_USER = Prepared(select(User.id, User.email, User.role, User.session_version).where(User.id == bindparam("id")))


def get_user_for_session(session_id: str) -> SessionUser | None:
    """Load the account a session cookie names, unless its password changed since (see User.get_id)."""
    user_id, _, version = (session_id or "").partition("-")
    if not (user_id.isdigit() and version.isdigit()) or len(session_id) > 40:
        return None
    row = read_one(_SESSION_USER, {"id": int(user_id)})
    return SessionUser(*row) if row is not None and row.session_version == int(version) else None


def get_user(user_id: int) -> User | None:
    """Load an account by id, as a full ORM entity (the session loader is ``get_user_for_session``)."""
    return db.session.get(User, user_id)


def set_role(email: str, role: str) -> User:
    """Change an account's role (a change revokes the account's API tokens)."""
    if role not in ROLES:
        raise AccountError(f"Unknown role '{role}'; use one of: {', '.join(ROLES)}.", "role")
    user = get_user_by_email(email)
    if user is None:
        raise AccountError(f"No account with email {normalise_email(email)}.", "email")
    if user.role != role:
        revoke_all_tokens(user.id)  # API tokens were scoped for the old role
    user.role = role
    db.session.commit()
    return user


def reset_password(user_id: int, password: str, *, min_length: int = 10) -> None:
    """Set a new password after checking the same rules as sign-up; revoke the account's API tokens."""
    user = db.session.get(User, user_id)
    if user is None:
        raise AccountError("That account no longer exists.", "email")
    check_password_rules(password, email=user.email, min_length=min_length)
    user.password_hash = generate_password_hash(password, method=HASH_METHOD["method"])
    user.session_version += 1  # signs out every other session of this account
    revoke_all_tokens(user.id)  # and ends every API token
    db.session.commit()


def change_password(user_id: int, current: str, new: str, *, min_length: int = 10) -> None:
    """Replace a password after checking the current one and the sign-up rules for the new one."""
    user = db.session.get(User, user_id)
    if user is None or not check_password_hash(user.password_hash, current or ""):
        raise AccountError("Your current password is not right.", "current")
    if check_password_hash(user.password_hash, new or ""):
        raise AccountError("Choose a password different from the current one.", "password")
    reset_password(user_id, new, min_length=min_length)

