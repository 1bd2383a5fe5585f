"""Security headers on every response (a CSP with no inline script, no framing, no sniffing), and a
guard that turns NUL characters and impossible ids into a clear 400/404 before any view runs.

The headers are added at the WSGI edge (``SecurityHeaders``), to the plain list of header pairs the
response starts with: the same headers as an after-request hook would set on each Response's Headers
object, for a tenth of the cost (every header added there is parsed and checked again).
"""

from __future__ import annotations

from flask import Flask, abort, request
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
    """Add the security headers and the input guard; trust the configured number of reverse proxies."""
    headers = dict(HEADERS)
    if app.config.get("SESSION_COOKIE_SECURE"):
        # Served over HTTPS (docs/deploy.md): browsers must never fall back to plain HTTP for a year.
        headers["Strict-Transport-Security"] = "max-age=31536000"
    app.wsgi_app = SecurityHeaders(app.wsgi_app, headers)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Without this, every visitor behind nginx shares one address (and one login limit) and links are http://.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.before_request(_refuse_impossible_input)


class SecurityHeaders:
    """WSGI middleware: give every response ``headers`` (those a view did not set itself), and HTML pages
    ``Cache-Control: no-store`` unless the view chose its own caching (pages differ per user; shared caches
    must never keep them)."""

    def __init__(self, app, headers: dict[str, str]) -> None:
        self.app = app
        self._headers = tuple((name.lower(), name, value) for name, value in headers.items())

    def __call__(self, environ, start_response):
        def start(status: str, headers: list[tuple[str, str]], exc_info=None):
            present = {name.lower(): value for name, value in headers}
            headers.extend((name, value) for lower, name, value in self._headers if lower not in present)
            if "cache-control" not in present and present.get("content-type", "").startswith("text/html"):
                headers.append(("Cache-Control", "no-store"))
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def _refuse_impossible_input() -> None:
    """Stop NUL characters and out-of-range ids at the door: nothing of ours holds them, databases refuse them."""
    if "\x00" in request.path or any(
        isinstance(value, int) and not 0 <= value <= MAX_ID for value in (request.view_args or {}).values()
    ):
        abort(404)
    query = request.query_string  # a NUL in any decoded name or value is "%00" or a raw NUL here: no parsing
    if query and (b"%00" in query or b"\x00" in query):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in FORM_TYPES and any(
        "\x00" in key or "\x00" in value for key, value in request.form.items(multi=True)
    ):
        abort(400)
