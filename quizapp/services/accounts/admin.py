"""The admin area's account work: list and search, change a role, disable, re-enable, delete (anonymise).

Every change is recorded in the audit log in the same transaction. No change may leave the school without
an enabled admin. Deleting keeps the account's row (attempts point at it, class statistics count it) but
removes the person: email, username, name and password go, see docs/school.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select

from quizapp.extensions import db
from quizapp.models import ADMIN_ROLE, ROLES, User
from quizapp.models.school import CourseMember
from quizapp.services.accounts import audit
from quizapp.services.accounts.tokens import revoke_all_tokens

PAGE_SIZE = 25
DELETED_DOMAIN = "deleted.invalid"  # RFC 2606: never routable, never a real person's address


class AdminError(ValueError):
    """An admin action that cannot be done; the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class AccountRow:
    """An account as the admin list shows it."""

    id: int
    name: str  # User.shown_name: a pupil's roster name, anyone else's email
    email: str  # User.shown_email: empty for a pupil without an address
    username: str | None
    role: str
    disabled: bool
    deleted: bool
    created_at: datetime


@dataclass(frozen=True)
class AccountPage:
    """One page of the account list."""

    rows: tuple[AccountRow, ...]
    text: str
    page: int
    pages: int
    total: int


def list_accounts(text: str = "", page: int = 1) -> AccountPage:
    """Search accounts by email, username or name; one page, filtered and paged in SQL."""
    text = " ".join((text or "").split())[:100].lower()
    condition = or_(User.email.contains(text, autoescape=True), User.username.contains(text, autoescape=True),
                    func.lower(User.display_name).contains(text, autoescape=True)) if text else None
    count_query = select(func.count()).select_from(User)
    query = select(User).order_by(User.shown_name, User.id)
    if condition is not None:
        count_query, query = count_query.where(condition), query.where(condition)
    total = db.session.scalar(count_query) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    users = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return AccountPage(tuple(_row(u) for u in users), text, page, pages, total)


def get_account(user_id: int) -> AccountRow | None:
    """Load one account for the admin's detail page."""
    user = db.session.get(User, user_id)
    return _row(user) if user is not None else None


def change_role(actor_id: int, user_id: int, role: str) -> AccountRow:
    """Give an account another role."""
    if role not in ROLES:
        raise AdminError(f"Unknown role '{role}'.")
    user = _live(user_id)
    if user.role == role:
        return _row(user)
    if role != ADMIN_ROLE:
        _keep_an_admin(user)
    audit.record(actor_id, "role", user.id, f"{user.role} -> {role}")
    user.role = role  # read on every request: pages the old role could open close at once
    revoke_all_tokens(user.id)  # API tokens were scoped for the old role
    db.session.commit()
    return _row(user)


def set_disabled(actor_id: int, user_id: int, disabled: bool) -> AccountRow:
    """Disable an account (it cannot sign in, its sessions end) or enable it again."""
    user = _live(user_id)
    if user.disabled == disabled:
        return _row(user)
    if disabled:
        _keep_an_admin(user)
        user.session_version += 1  # every session and remember-me cookie of the account ends
        revoke_all_tokens(user.id)  # and every API token
    audit.record(actor_id, "disable" if disabled else "enable", user.id)
    user.disabled = disabled
    db.session.commit()
    return _row(user)


def delete_account(actor_id: int, user_id: int) -> AccountRow:
    """Remove the person from an account: keep the row and its attempts for class statistics, anonymised."""
    user = _live(user_id)
    _keep_an_admin(user)
    audit.record(actor_id, "delete", user.id, f"was {user.role}")
    user.email = f"deleted-{user.id}@{DELETED_DOMAIN}"
    user.username = None
    user.display_name = None
    user.password_hash = "!deleted"  # matches no password
    user.role = "learner"
    user.disabled = True
    revoke_all_tokens(user.id)
    user.pupil = False
    user.must_change_password = False
    user.session_version += 1
    db.session.execute(delete(CourseMember).where(CourseMember.user_id == user.id))
    db.session.commit()
    return _row(user)


def is_deleted(email: str) -> bool:
    """Say whether an address is a deleted account's placeholder."""
    return email.endswith("@" + DELETED_DOMAIN)


def _live(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or is_deleted(user.email):
        raise AdminError("That account does not exist (or was deleted).")
    return user


def _keep_an_admin(user: User) -> None:
    """Refuse a change that takes away the last enabled admin."""
    if not user.is_admin or user.disabled:
        return
    others = select(func.count()).select_from(User).where(
        User.role == ADMIN_ROLE, User.disabled.is_(False), User.id != user.id)
    if not db.session.scalar(others):
        raise AdminError("This is the last enabled admin; make another account an admin first.")


def _row(user: User) -> AccountRow:
    return AccountRow(user.id, user.shown_name, user.shown_email, user.username, user.role, user.disabled,
                      is_deleted(user.email), user.created_at)
