"""Personal access tokens for the JSON API: made, listed, checked and revoked here, stored only as hashes.

A token is ``qz_`` and 43 characters of ``secrets.token_urlsafe`` (256 random bits), shown once. Only its
SHA-256 is kept: a random secret of that size needs no slow KDF, and a lookup by hash is one indexed read.
Scopes (``learn``, ``teach``, ``author``) can never exceed what the account's role allows, at creation and
again at every request; a password change or reset, or a role change, revokes them all.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update

from quizapp.extensions import db
from quizapp.models import AUTHOR_ROLES, TEACHER_ROLES, ApiToken, RolePredicates, User, utcnow
from quizapp.speed.direct import Prepared, read_one, transaction

PREFIX = "qz_"
SCOPES = ("learn", "teach", "author")
MAX_LIVE = 20  # live tokens per account
MAX_DAYS = 3650
TOUCH_EVERY = timedelta(minutes=1)  # last-used time is written at most this often per token


class TokenError(ValueError):
    """A token request that cannot be accepted; the message says how to fix it."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class TokenInfo:
    """A live token as its owner sees it (never the secret)."""

    id: int
    name: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True)
class TokenUser(RolePredicates):
    """Who a request's bearer token speaks for, and what it may do."""

    token_id: int
    user_id: int
    email: str
    role: str
    scopes: frozenset[str]
    last_used_at: datetime | None


def scopes_for_role(role: str) -> tuple[str, ...]:
    """Give the scopes an account of ``role`` may hold."""
    return tuple(s for s in SCOPES if s == "learn" or (s == "teach" and role in TEACHER_ROLES)
                 or (s == "author" and role in AUTHOR_ROLES))


def hash_token(secret: str) -> str:
    """Give the stored form of a token."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def create_token(user_id: int, name: str, scopes: list[str] | tuple[str, ...] | None = None,
                 expires_days: int | None = 90) -> tuple[TokenInfo, str]:
    """Make a token for an account; give it and its secret (shown once, never stored)."""
    user = db.session.get(User, user_id)
    if user is None:
        raise TokenError("That account no longer exists.", "email")
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise TokenError("Name the token in 1 to 100 characters, e.g. 'phone' or 'grades script'.", "name")
    wanted = tuple(dict.fromkeys(scopes or ("learn",)))
    allowed = scopes_for_role(user.role)
    refused = [s for s in wanted if s not in allowed]
    if refused:
        raise TokenError(f"A {user.role} account may hold only these scopes: {', '.join(allowed)}.", "scopes")
    if expires_days is not None and not 1 <= expires_days <= MAX_DAYS:
        raise TokenError(f"Give an expiry between 1 and {MAX_DAYS} days.", "expires_days")
    live = list_tokens(user_id)
    if len(live) >= MAX_LIVE:
        raise TokenError(f"An account may hold {MAX_LIVE} live tokens; revoke one first.", "name")
    if any(t.name == name for t in live):
        raise TokenError("A live token already has this name; choose another.", "name")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(user_id=user_id, name=name, token_hash=hash_token(secret), scopes=" ".join(wanted),
                     created_at=now, expires_at=None if expires_days is None else now + timedelta(days=expires_days))
    db.session.add(token)
    db.session.commit()
    return _info(token), secret


def list_tokens(user_id: int, now: datetime | None = None) -> list[TokenInfo]:
    """List an account's live tokens (not revoked, not expired), newest first."""
    now = now or utcnow()
    rows = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                              .order_by(ApiToken.id.desc()))
    return [_info(t) for t in rows if t.expires_at is None or _aware(t.expires_at) > now]


def revoke_token(user_id: int, token_id: int) -> bool:
    """Revoke one of an account's tokens; say whether a live one was revoked."""
    done = db.session.execute(update(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id,
                                                     ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
    db.session.commit()
    return bool(done.rowcount)


def revoke_token_named(user_id: int, name: str) -> bool:
    """Revoke an account's live token of this name; say whether there was one."""
    done = db.session.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.name == name,
                                                     ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
    db.session.commit()
    return bool(done.rowcount)


def revoke_all_tokens(user_id: int) -> None:
    """Revoke every token of an account, in the caller's ORM transaction (the caller commits)."""
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))


def get_token_user(secret: str, now: datetime | None = None) -> TokenUser | None:
    """Find who a presented token speaks for: None if unknown, revoked or expired (one indexed read)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    row = read_one(_BY_HASH, {"token_hash": hash_token(secret)})
    now = now or utcnow()
    if row is None or row.revoked_at is not None or (row.expires_at is not None and _aware(row.expires_at) <= now):
        return None
    scopes = frozenset(row.scopes.split()) & frozenset(scopes_for_role(row.role))
    return TokenUser(row.id, row.user_id, row.email, row.role, scopes, row.last_used_at)


def touch_token(token: TokenUser, now: datetime | None = None) -> None:
    """Record that a token was used, at most once a minute (no write on most requests)."""
    now = now or utcnow()
    if token.last_used_at is not None and now - _aware(token.last_used_at) < TOUCH_EVERY:
        return
    with transaction() as stored:
        stored.execute(_TOUCH, {"token_id": token.token_id, "now": now})


def _aware(moment: datetime) -> datetime:
    """Read a stored time as UTC (SQLite gives it back naive)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=utcnow().tzinfo)


def _info(token: ApiToken) -> TokenInfo:
    return TokenInfo(token.id, token.name, tuple(token.scopes.split()), _aware(token.created_at),
                     None if token.expires_at is None else _aware(token.expires_at),
                     None if token.last_used_at is None else _aware(token.last_used_at))


_BY_HASH = Prepared(
    select(ApiToken.id, ApiToken.user_id, ApiToken.scopes, ApiToken.expires_at, ApiToken.revoked_at,
           ApiToken.last_used_at, User.email, User.role)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"), User.disabled.is_(False))  # a disabled account: none
)
_TOUCH = update(ApiToken.__table__).where(ApiToken.__table__.c.id == bindparam("token_id")).values(
    last_used_at=bindparam("now"))
