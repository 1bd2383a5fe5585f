"""Who an API request speaks for: a bearer token, never a cookie; its scopes; its rate limits.

Every API blueprint runs ``authenticate`` before its views: the ``Authorization: Bearer qz_...`` header
is the only credential read (a browser's session cookie is ignored, so CSRF cannot apply and no session
can be ridden into the API). Counting uses the shared counters of ``quizapp.throttle`` through ``count``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps

from flask import current_app, g, request
from flask_smorest import abort

from quizapp import throttle
from quizapp.services.accounts import tokens
from quizapp.services.accounts.tokens import TokenUser
from quizapp.services.teaching.classes import Viewer

NO_TOKEN = "Send a personal access token: Authorization: Bearer qz_... (make one on your account page)."
BAD_TOKEN = "This token is unknown, revoked or expired; make a new one on your account page."


def authenticate() -> None:
    """Find the request's token (401 without a live one), count it, and note when it was used."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        abort(401, detail=NO_TOKEN)
    token = tokens.get_token_user(secret)
    if token is None:
        abort(401, detail=BAD_TOKEN)
    g.api_token = token
    count("API_RATE_LIMIT", token)
    tokens.touch_token(token)


def count(setting: str, token: TokenUser) -> None:
    """Count one request of a token against the limit in config ``setting``; 429 with Retry-After past it."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    wait = throttle.over_limit(setting, f"token:{token.token_id}")
    if wait is not None:
        seconds = max(1, math.ceil(wait))
        abort(429, detail=f"This token has made too many requests; try again in {seconds} seconds.",
              headers={"Retry-After": str(seconds)})


def current_token() -> TokenUser:
    """Give the token this request authenticated with."""
    return g.api_token


def viewer() -> Viewer:
    """Give the token's account as the class services' viewer (an admin sees every class)."""
    token = current_token()
    return Viewer(token.user_id, admin=token.is_admin)


def scoped(scope: str) -> Callable:
    """Refuse (403) a token without ``scope``, or whose account's role no longer allows it."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def checked(*args, **kwargs):
            if scope not in current_token().scopes:
                abort(403, detail=f"This operation needs a token with the '{scope}' scope, which only "
                      f"{_who(scope)} may hold.")
            return view(*args, **kwargs)

        return checked

    return decorate


def _who(scope: str) -> str:
    return {"learn": "every account", "teach": "instructors and admins", "author": "authors and admins"}[scope]
