"""Password-reset and sign-up confirmation tokens: signed, expiring, and void once the password they were
issued for changes (each carries a digest of the password hash)."""

from __future__ import annotations

import hashlib
import hmac

from itsdangerous import BadSignature, URLSafeTimedSerializer

from quizapp.extensions import db
from quizapp.models import User

SALT = "quizapp.password-reset"
CONFIRM_SALT = "quizapp.confirm-signup"


def _serializer(secret_key: str, salt: str = SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=salt)


def _fingerprint(user: User) -> str:
    """A short digest of the current password hash: a new password makes old links useless."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def make_reset_token(user: User, secret_key: str, salt: str = SALT) -> str:
    """Sign the user's id and password fingerprint into a URL-safe, timestamped token."""
    return _serializer(secret_key, salt).dumps({"u": user.id, "p": _fingerprint(user)})


def make_confirm_token(user: User, secret_key: str) -> str:
    """Sign a sign-up confirmation: it confirms the account only while it has this sign-up's password."""
    return make_reset_token(user, secret_key, CONFIRM_SALT)


def read_confirm_token(token: str, secret_key: str, max_age: int) -> User | None:
    """Give the unconfirmed account a confirmation token was issued for, or None."""
    user = read_reset_token(token, secret_key, max_age, CONFIRM_SALT)
    return user if user is not None and not user.confirmed else None


def read_reset_token(token: str, secret_key: str, max_age: int, salt: str = SALT) -> User | None:
    """Give the user a token was issued for, or None if it is forged, expired, used or malformed."""
    if not token or len(token) > 512:
        return None
    try:
        data = _serializer(secret_key, salt).loads(token, max_age=max_age)
    except BadSignature:  # also covers SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("p"), str):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not hmac.compare_digest(_fingerprint(user), data["p"]):
        return None
    return user
