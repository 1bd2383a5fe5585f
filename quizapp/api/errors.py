"""Problem details (RFC 9457) for every failure under /api/: a status, a title, a clear detail, never a page.

The HTML error pages (quizapp.views.errors) keep every other path: the handlers registered here hand a
failure to them unless the request was for the API.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, jsonify, request
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from quizapp.extensions import db

PROBLEM = "application/problem+json"
DETAILS = {
    400: "The request could not be read: send JSON with the fields this operation documents.",
    401: "Send a personal access token: Authorization: Bearer qz_... (see docs/api.md).",
    403: "This token's scopes or the account's role do not allow this operation.",
    404: "There is nothing at this address, or it is not yours to see.",
    405: "This address does not accept that method.",
    409: "This conflicts with what was sent before.",
    413: "What you sent is too large.",
    415: "Send the body as application/json.",
    422: "Some values are not valid; see errors.",
    429: "Too many requests for this token; wait for Retry-After seconds.",
    500: "Something went wrong on our side; nothing was saved. Try again.",
}


class ProblemSchema(Schema):
    """A problem detail (RFC 9457), with the invalid fields named."""

    type = fields.String(metadata={"description": "Always about:blank: the status says what happened"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "Field name -> what is wrong with it (422)"})


def init_app(app: Flask) -> None:
    """Answer API failures with problem details; hand every other path to the handlers already there."""
    pages = app.error_handler_spec[None][None]
    for kind in (HTTPException, Exception):
        app.register_error_handler(kind, _either(pages.get(kind), _problem_for_http if kind is HTTPException
                                                 else _problem_for_unexpected))


def _either(page: Callable | None, problem: Callable) -> Callable:
    def handle(error):
        if request.path.startswith("/api/") or page is None:
            return problem(error)
        return page(error)

    return handle


def problem(status: int, detail: str | None = None, *, title: str | None = None, headers: dict | None = None,
            errors: dict | None = None):
    """Give a problem+json response."""
    body = {"type": "about:blank", "title": title or _title(status), "status": status,
            "detail": detail or DETAILS.get(status, "")}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    response.headers.update(headers or {})
    return response


def problem_response(status: int) -> dict:
    """Document a problem response for the spec (no wrapper around the view, unlike alt_response)."""
    return {"description": _title(status),
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _title(status: int) -> str:
    return _NAMES.get(status, "Error")


def _problem_for_http(error: HTTPException):
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        headers["Retry-After"] = str(int(retry_after) if not hasattr(retry_after, "timestamp") else 60)
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="quizapp"'
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    errors = _flatten(data.get("messages") or data.get("errors") or {})
    detail = data.get("detail") or _detail_for(status, errors, error)
    return problem(status, detail, title=error.name, headers=headers, errors=errors)


def _detail_for(status: int, errors: dict, error: HTTPException) -> str:
    if errors:
        first = next(iter(errors.items()))
        return f"{first[0]}: {first[1][0]}" + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")
    return DETAILS.get(status) or error.description or ""


def _flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """Turn webargs' {location: {field: [message]}} into {field: [message]} (nested fields dotted)."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            if prefix == "" and key in ("json", "query", "headers", "view_args", "path"):
                name = ""
            if isinstance(value, dict):
                out.update(_flatten(value, name))
            else:
                out[name or "body"] = [str(m) for m in (value if isinstance(value, list) else [value])]
    return out


def _problem_for_unexpected(error: Exception):
    db.session.rollback()
    if isinstance(error, HTTPException):
        return _problem_for_http(error)
    current_app.logger.exception("unhandled error in the API")
    return problem(500)


_NAMES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
          409: "Conflict", 413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
          429: "Too Many Requests", 500: "Internal Server Error"}
