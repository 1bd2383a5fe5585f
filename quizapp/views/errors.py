"""Friendly error pages: every failure says what happened and what to do, never a bare 500."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from quizapp.extensions import db

ADVICE = {
    400: "The request could not be understood. Go back, reload the page and try again.",
    403: "Your account does not have access to this page.",
    404: "There is nothing at this address. Check the link, or start again from the course list.",
    405: "This address does not accept that kind of request.",
    413: "What you sent is too large. Send a smaller file or shorter text.",
    422: "Some of what you sent needs fixing; see the messages on the form.",
    429: "Too many attempts in a short time. Wait a minute and try again.",
    500: "Something went wrong on our side. Your last answer may not have been saved; please try again.",
    503: "The database is busy right now, so nothing was saved. Wait a few seconds and send it again.",
}
BUSY_RETRY_AFTER = 5  # seconds a client is asked to wait when the database did not take a write in time
_BUSY = ("database is locked", "database is busy", "database or disk is full", "disk i/o error")


def init_app(app: Flask) -> None:
    """Route HTTP errors, CSRF failures and unexpected exceptions to the error page."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_error)
    app.register_error_handler(Exception, _unexpected)


def _page(code: int, title: str, message: str):
    if request.headers.get("X-Requested-With") == "fetch":
        return render_template("errors/_message.html", code=code, title=title, message=message), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def _csrf_error(error: CSRFError):
    return _page(400, "Form expired", "This form has expired or was sent from elsewhere. "
                 "Reload the page and send it again; nothing was saved.")


def _http_error(error: HTTPException):
    code = error.code or 500
    body, status = _page(code, error.name, ADVICE.get(code, error.description or ""))
    retry_after = getattr(error, "retry_after", None)  # a 429 (or 503) says when to come back
    return body, status, ({"Retry-After": str(retry_after)} if retry_after is not None else {})


def _database_error(error: OperationalError):
    """A write the database could not take in time (locked, disk full) is a 503 to retry, never a 500."""
    db.session.rollback()
    if not any(phrase in str(error.orig).lower() for phrase in _BUSY):
        return _unexpected(error)
    current_app.logger.warning("database refused a write: %s", error.orig)
    body, status = _page(503, "Busy, please retry", ADVICE[503])
    return body, status, {"Retry-After": str(BUSY_RETRY_AFTER)}


def _unexpected(error: Exception):
    db.session.rollback()
    if isinstance(error, HTTPException):
        return _http_error(error)
    current_app.logger.exception("unhandled error")
    return _page(500, "Something went wrong", ADVICE[500])
