"""Security headers on every response (a CSP with no inline script, no framing, no sniffing), and a
guard that turns NUL characters and impossible ids into a clear 400/404 before any view runs.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
MAX_ID = 2**31 - 1  # the largest id a PostgreSQL integer column holds; larger ones cannot name a row

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Register the header hook and the input guard; trust the configured number of reverse proxies."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Without this, every visitor behind nginx shares one address (and one login limit) and links are http://.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.before_request(_refuse_impossible_input)
    app.after_request(_add_headers)
    if app.config.get("SESSION_COOKIE_SECURE"):
        # Served over HTTPS (docs/deploy.md): browsers must never fall back to plain HTTP for a year.
        app.after_request(_add_hsts)


def _refuse_impossible_input() -> None:
    """Stop NUL characters and out-of-range ids at the door: nothing of ours holds them, databases refuse them."""
    if "\x00" in request.path or any(
        isinstance(value, int) and not 0 <= value <= MAX_ID for value in (request.view_args or {}).values()
    ):
        abort(404)
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in FORM_TYPES and any(
        "\x00" in key or "\x00" in value for key, value in request.form.items(multi=True)
    ):
        abort(400)


def _add_hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def _add_headers(response: Response) -> Response:
    present = {name.lower() for name, _ in response.headers}  # one pass: a view may have set its own
    response.headers.extend([(name, value) for name, value in HEADERS.items() if name.lower() not in present])
    if response.mimetype == "text/html" and "cache-control" not in present:
        # Pages differ per user; shared caches must never keep them.
        response.headers["Cache-Control"] = "no-store"
    return response
