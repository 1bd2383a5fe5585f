"""Who may enter: role checks for views, and the safe-redirect rule for ``next=``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user, login_required


def allowed_if(predicate: str) -> Callable:
    """Let only signed-in users whose role has ``predicate`` (quizapp.models.roles: is_admin, can_teach, can_author)
    through; others get 403 (anonymous: log in)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not getattr(current_user, predicate):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def safe_next(target: str | None, default: str) -> str:
    """Return ``target`` only if it is a path on this site; anything else becomes ``default``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return default
    return target


def current_user_id() -> int | None:
    """Give the signed-in user's id, or None for a visitor."""
    return current_user.id if current_user.is_authenticated else None
