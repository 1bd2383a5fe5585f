"""Password-reset tokens: signed, expiring, and void once the password they were issued for changes."""

from __future__ import annotations

import hashlib
import hmac

from itsdangerous import BadSignature, URLSafeTimedSerializer

from quizapp.extensions import db
from quizapp.models import User

SALT = "quizapp.password-reset"


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def _fingerprint(user: User) -> str:
    """A short digest of the current password hash: a new password makes old links useless."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def make_reset_token(user: User, secret_key: str) -> str:
    """Sign the user's id and password fingerprint into a URL-safe, timestamped token."""
    return _serializer(secret_key).dumps({"u": user.id, "p": _fingerprint(user)})


def read_reset_token(token: str, secret_key: str, max_age: int) -> User | None:
    """Give the user a token was issued for, or None if it is forged, expired, used or malformed."""
    if not token or len(token) > 512:
        return None
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except BadSignature:  # also covers SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("p"), str):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not hmac.compare_digest(_fingerprint(user), data["p"]):
        return None
    return user
