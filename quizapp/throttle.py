"""Throttles for the account forms. Sign-in counts failures, not sign-ins, so a class behind one school
address signs in freely while guessing one account's password stays slow from anywhere.

Sign-in (the view calls ``check_login`` before checking the password, then ``login_failed`` or
``login_succeeded``):

- **Per account**, whatever address the guesses come from: the first ``LOGIN_ACCOUNT_FREE_FAILURES``
  wrong passwords (5) cost nothing; after that each wrong password doubles the wait before the account
  can be tried again: 1, 2, 4 ... seconds, never more than ``LOGIN_ACCOUNT_MAX_DELAY`` (60 s), so a
  stranger can keep a pupil waiting a minute at most. Failures are forgotten ``LOGIN_ACCOUNT_MEMORY``
  seconds (1 hour) after the last one, and when the right password is given. The account is named by its
  email, whether or not an account has it, so a 429 tells nothing about who has an account.
- **Per device**: a browser that signed in to the account before carries a signed device cookie
  (``LOGIN_DEVICE_DAYS``, 90) and is exempt from the account's wait; its own failures count against the
  device instead, with the same backoff. So a stranger's guessing never delays the pupil's own browser.
- **Per address**: ``LOGIN_ADDRESS_LIMIT`` failures (300 per 10 minutes) from one address, then 429
  until the window ends. 30 pupils with a few typos each make a tenth of that.

Sign-up (``SIGNUP_RATE_LIMIT``) and password reset (``RESET_RATE_LIMIT``, the forgot and the reset forms)
count every post per address (``@throttled``); a reset mail goes to one address at most
``RESET_MAIL_LIMIT`` times (later requests get the same answer, and no mail). Password change counts
wrong current passwords per account with the sign-in backoff.

Counters live in quizapp/counters.py (per host by default, across hosts with Redis). If Redis cannot be
reached, the request fails (the error page) unless ``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED`` lets each
worker count alone meanwhile. ``RATELIMIT_ENABLED = False`` turns it all off (load tests on loopback).
The client address is ``request.remote_addr`` (ProxyFix sets it when TRUSTED_PROXIES says so).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse
from werkzeug.exceptions import TooManyRequests

from quizapp.counters import Count, MemoryStore, Store, open_store

DEVICE_COOKIE = "quizapp_device"
DEVICE_SALT = "quizapp.device"


def init_app(app: Flask) -> None:
    """Open the counters' storage (a SQLite file in the instance folder unless configured)."""
    store = open_store(str(app.config["RATELIMIT_STORAGE_URI"]), app.instance_path)
    fallback = MemoryStore() if app.config.get("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED") else None
    app.extensions["quizapp.throttle"] = Throttle(store, fallback, app.config.get("RATELIMIT_KEY_PREFIX") or "quizapp")


class Throttle:
    """The counters, under one key prefix, with a per-worker fallback if allowed; ``clock`` gives the time."""

    def __init__(self, store: Store, fallback: Store | None, prefix: str) -> None:
        self.store, self.fallback, self.prefix = store, fallback, prefix
        self.clock: Callable[[], float] = time.time

    def add(self, key: str, ttl: float, sliding: bool = False) -> Count:
        """Count one hit on ``key``."""
        return self._use(lambda store: store.add(f"{self.prefix}:{key}", self.clock(), ttl, sliding))

    def read(self, key: str) -> Count:
        """Read ``key``'s counter."""
        return self._use(lambda store: store.read(f"{self.prefix}:{key}", self.clock()))

    def clear(self, key: str) -> None:
        """Forget ``key``'s counter."""
        self._use(lambda store: store.clear(f"{self.prefix}:{key}"))

    def _use(self, action):
        try:
            return action(self.store)
        except Exception:  # the shared storage is unreachable
            if self.fallback is None:
                raise
            current_app.logger.warning("throttle storage unreachable; counting in this worker meanwhile")
            return action(self.fallback)


def _throttle() -> Throttle:
    return current_app.extensions["quizapp.throttle"]


def _enabled() -> bool:
    return bool(current_app.config["RATELIMIT_ENABLED"])


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _refuse(until: float) -> None:
    raise TooManyRequests(retry_after=max(1, math.ceil(until - _throttle().clock())))


def count_post(setting: str) -> None:
    """Count one post under ``setting`` per client address; refuse it with a 429 once over that limit."""
    limit = parse(str(current_app.config[setting]))
    hit = _throttle().add(f"post:{setting}:{request.remote_addr or 'unknown'}", limit.get_expiry())
    if hit.count > limit.amount:
        _refuse(hit.expires)


def over_limit(setting: str, key: str) -> float | None:
    """Count one use by ``key`` (e.g. an API token) against the limit in config ``setting``; give the seconds to
    wait when it is over, else None. Shared by every worker like the sign-in counters."""
    limit = parse(str(current_app.config[setting]))
    throttle = _throttle()
    hit = throttle.add(f"use:{setting}:{key}", limit.get_expiry())
    if hit.count > limit.amount:
        return max(1.0, hit.expires - throttle.clock())
    return None


def throttled(setting: str) -> Callable:
    """Count a view's POSTs per client address against the limit in config ``setting`` (e.g. "30 per hour");
    every view marked with the same setting adds to the same count."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def counted(*args, **kwargs):
            if request.method == "POST" and _enabled():
                count_post(setting)
            return view(*args, **kwargs)

        return counted

    return decorate


def backoff_until(count: Count) -> float:
    """Give the time from which the next try is allowed after ``count`` failures (0: at once)."""
    free = int(current_app.config["LOGIN_ACCOUNT_FREE_FAILURES"])
    if count.count < free:
        return 0.0
    return count.last + min(float(current_app.config["LOGIN_ACCOUNT_MAX_DELAY"]), 2.0 ** (count.count - free))


def _failure_key(email: str, device: str | None) -> str:
    return f"fail:device:{device}" if device else f"fail:account:{_digest(email)}"


def check_login(email: str) -> str | None:
    """Refuse (429) a sign-in from an address or for an account that must wait; give the trusted device."""
    if not _enabled():
        return None
    throttle, limit = _throttle(), parse(str(current_app.config["LOGIN_ADDRESS_LIMIT"]))
    address = throttle.read(f"fail:address:{request.remote_addr or 'unknown'}")
    if address.count >= limit.amount:
        _refuse(address.expires)
    device = trusted_device(email)
    until = backoff_until(throttle.read(_failure_key(email, device)))
    if until > throttle.clock():
        _refuse(until)
    return device


def login_failed(email: str, device: str | None) -> None:
    """Count a wrong password against the address and the account (or the trusted device)."""
    if not _enabled():
        return
    throttle, limit = _throttle(), parse(str(current_app.config["LOGIN_ADDRESS_LIMIT"]))
    throttle.add(f"fail:address:{request.remote_addr or 'unknown'}", limit.get_expiry())
    throttle.add(_failure_key(email, device), float(current_app.config["LOGIN_ACCOUNT_MEMORY"]), sliding=True)


def login_succeeded(email: str, device: str | None, response) -> None:
    """Forget the account's (or device's) failures, and mark this browser as a device that signed in."""
    if _enabled():
        key = _failure_key(email, device)
        throttle = _throttle()
        if throttle.read(key).count:
            throttle.clear(key)
    if device is None:
        days = int(current_app.config["LOGIN_DEVICE_DAYS"])
        value = _devices().dumps({"a": _digest(email), "n": secrets.token_urlsafe(16)})
        response.set_cookie(DEVICE_COOKIE, value, max_age=days * 86400, httponly=True, samesite="Lax",
                            secure=bool(current_app.config["SESSION_COOKIE_SECURE"]))


def trusted_device(email: str) -> str | None:
    """Give the id of this browser's device cookie if it signed in to this account before, else None."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value or len(value) > 200:
        return None
    try:
        data = _devices().loads(value, max_age=int(current_app.config["LOGIN_DEVICE_DAYS"]) * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != _digest(email) or not isinstance(data.get("n"), str):
        return None
    return data["n"]


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def check_password_change(user_id: int) -> None:
    """Refuse (429) a password change while the account's wrong current passwords make it wait."""
    if _enabled():
        until = backoff_until(_throttle().read(f"fail:change:{user_id}"))
        if until > _throttle().clock():
            _refuse(until)


def password_change_failed(user_id: int) -> None:
    """Count a wrong current password on the change form."""
    if _enabled():
        _throttle().add(f"fail:change:{user_id}", float(current_app.config["LOGIN_ACCOUNT_MEMORY"]), sliding=True)


def may_mail(email: str) -> bool:
    """Count a reset mail to ``email``; say whether it is still within RESET_MAIL_LIMIT."""
    if not _enabled():
        return True
    limit = parse(str(current_app.config["RESET_MAIL_LIMIT"]))
    return _throttle().add(f"mail:{_digest(email)}", limit.get_expiry()).count <= limit.amount
