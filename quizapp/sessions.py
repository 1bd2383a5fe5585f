"""Signed-cookie sessions and CSRF tokens, with the signing work done once per worker, not per request.

A learner sends the same session cookie on every request until something in it changes, and each
request's pages carry the same signed CSRF token. Checking that cookie's signature and decoding it, or
signing the token, is the same work every time, so each worker remembers the outcome:

- ``KeptCookieSessions`` verifies each distinct cookie value once (signature and age, exactly as Flask
  does) and keeps its decoded contents; a later request with the very same value gets a fresh copy of
  them, with the age checked again. A tampered or re-signed cookie is a different value: checked anew.
- ``csrf_token`` gives Flask-WTF's signed token for the session's raw token, signed once per worker. This
  relies on tokens not expiring: config pins ``WTF_CSRF_TIME_LIMIT`` to None (a token lives as long as
  its session, so no answer is lost after lunch); a kept token older than a time limit would be refused.
  Flask-WTF documents where that token lives for the request (``g.csrf_token``, the raw one in
  ``session["csrf_token"]``).
- ``KeptCSRFProtect`` is Flask-WTF's CSRF protection with each signed token's signature checked once per
  worker (under the signing key): for the same reason, a signature that was good once stays good. A
  kept token still has to carry this session's raw token, and HTTPS requests still need a same-origin
  referrer; a token never seen here goes through Flask-WTF's own ``validate_csrf``. Requests that need no
  token (GET) return before the exemption look-up.
"""

from __future__ import annotations

import copy
import hmac
import time

from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect, generate_csrf, same_origin, validate_csrf
from itsdangerous import BadSignature
from wtforms import ValidationError

from quizapp.kept import Kept

KEEP = 4096  # cookie values and tokens per worker: a few hundred bytes each
CSRF_FIELD = "csrf_token"


def init_app(app: Flask) -> None:
    """Use the kept session cookies, and the kept CSRF token in templates (after CSRFProtect's init_app)."""
    app.session_interface = KeptCookieSessions()
    app.extensions["quizapp.csrf_tokens"] = Kept(KEEP)  # the session's raw token -> the token signed for it
    app.extensions["quizapp.csrf_verified"] = Kept(KEEP)  # (signed token, key) -> the raw token it carries
    app.jinja_env.globals["csrf_token"] = csrf_token
    # Flask-WTF 1.3 also puts its own csrf_token into every template's context, which would sign the token
    # again on every page; processors run in the order they were added, so this one has the last word.
    app.context_processor(_template_globals)


class KeptCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, verifying and decoding each distinct cookie value once per worker."""

    def __init__(self) -> None:
        self._verified = Kept(KEEP)  # cookie value -> (contents, signed at)
        self._serializers = Kept(4)  # per key set: building one per request costs as much as using it

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if not app.secret_key:
            return None
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            self._serializers.put(keys, serializer)
        return serializer

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (value, max_age, serializer)  # verified under these keys and this lifetime
        known = self._verified.get(key)
        if known is None:
            try:
                contents, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
            except BadSignature:  # forged, or older than max_age: a fresh, empty session
                return self.session_class()
            known = (contents, signed_at.timestamp())
            self._verified.put(key, known)
        contents, signed_at = known
        if time.time() - signed_at > max_age:
            self._verified.drop(key)
            return self.session_class()
        # A copy per request: views may change the session (flashed messages are a list appended to).
        return self.session_class({key: item if isinstance(item, (str, int, float, bool, type(None)))
                                   else copy.deepcopy(item) for key, item in contents.items()})

    def save_session(self, app: Flask, session: SecureCookieSession, response) -> None:
        """Flask's, without its cookie settings work when there is no cookie to write (the session was read,
        not changed): only ``Vary: Cookie``, as Flask adds."""
        if session.modified or (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            super().save_session(app, session, response)
        elif session.accessed:
            if "Vary" in response.headers:
                response.vary.add("Cookie")
            else:
                response.headers["Vary"] = "Cookie"


def csrf_token() -> str:
    """Give this request's signed CSRF token (Flask-WTF's), signing each session's raw token once per worker."""
    signed = g.get(CSRF_FIELD)
    if signed is not None:
        return signed
    raw = session.get(CSRF_FIELD)
    kept = current_app.extensions["quizapp.csrf_tokens"]
    if raw is not None:
        signed = kept.get(raw)
        if signed is not None:
            setattr(g, CSRF_FIELD, signed)
            return signed
    signed = generate_csrf()
    kept.put(session[CSRF_FIELD], signed)
    current_app.extensions["quizapp.csrf_verified"].put((signed, _csrf_key()), session[CSRF_FIELD])
    return signed


class KeptCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF protection, each signed token verified once per worker (see the module's notes)."""

    def protect(self, apply_exemptions: bool = False) -> None:
        config = current_app.config
        if request.method not in config["WTF_CSRF_METHODS"]:
            return
        if apply_exemptions and (not request.endpoint or self._is_exempt()):
            return
        token, raw, key = self._get_csrf_token(), session.get(CSRF_FIELD), _csrf_key()
        verified = current_app.extensions["quizapp.csrf_verified"]
        carried = verified.get((token, key)) if token else None
        if carried is None or raw is None or config["WTF_CSRF_TIME_LIMIT"] is not None \
                or not hmac.compare_digest(carried, raw):
            try:
                validate_csrf(token)  # signature, then the session's raw token; raises with the reason
            except ValidationError as error:
                self._error_response(error.args[0])
            verified.put((token, key), raw)
        if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:
            # Over HTTPS a forged form must also come from this site (Flask-WTF's rule, kept as it is).
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True


def _template_globals() -> dict:
    return {"csrf_token": csrf_token}


def _csrf_key() -> str | bytes:
    return current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
