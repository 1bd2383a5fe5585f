"""Security headers and CSP on every page, no inline script in any template, cookie flags."""

from __future__ import annotations

import re

import pytest
from security_helpers import sign_in
from support import PASSWORD, ROOT, load_courses, login, make_user

TEMPLATES = ROOT / "quizapp" / "templates"
PAGES = ["/", "/courses/demo", "/courses/demo/basics", "/courses/demo/basics/where", "/login", "/signup",
         "/password/forgot", "/progress", "/dashboard", "/author/", "/classes", "/no-such-page", "/healthz"]


def script_sources(csp: str) -> str:
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if " " in part.strip())
    return directives.get("script-src", directives.get("default-src", ""))


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_the_security_headers(app, people, url):
    load_courses()
    client = app.test_client()
    sign_in(client, people["admin"])
    response = client.get(url)
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    scripts = script_sources(csp)
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts and "*" not in scripts
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    if response.mimetype == "text/html":
        assert "no-store" in headers["Cache-Control"]
        html = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> in " + url
        assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler in " + url


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text, re.I):
            if "src=" not in match.group(0):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        for match in re.finditer(r"<[^>]*\son[a-z]+\s*=[^>]*>", text, re.I):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)[:80]}")
        if re.search(r"javascript:", text, re.I):
            offenders.append(f"{path.relative_to(ROOT)}: javascript: URL")
    assert not offenders, offenders


def test_session_cookie_is_httponly_and_lax_and_not_secure_by_default(app, client):
    make_user()
    response = login(client, "learner@example.org")
    cookie = _cookie(response, "session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_flag_when_configured(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    with app.app_context():
        make_user()
        client = app.test_client()
        response = client.post("/login", data={"email": "learner@example.org", "password": PASSWORD,
                                               "remember": "y"}, base_url="https://localhost")
        for name in ("session", "remember_token"):
            cookie = _cookie(response, name)
            assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
        assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_no_hsts_when_the_site_is_not_configured_for_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def _cookie(response, name: str) -> str:
    found = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(name + "=")]
    assert found, f"no {name} cookie in {response.headers.getlist('Set-Cookie')}"
    return found[0]


def test_headers_a_view_sets_itself_are_kept_and_never_doubled(make_app):
    app = make_app()

    @app.get("/own-headers")
    def own_headers():
        return "<p>kept</p>", 200, {"Content-Security-Policy": "default-src 'none'", "Cache-Control": "max-age=60"}

    @app.get("/plain-text")
    def plain_text():
        return "text", 200, {"Content-Type": "text/plain"}

    response = app.test_client().get("/own-headers")
    assert response.headers.getlist("Content-Security-Policy") == ["default-src 'none'"]
    assert response.headers.getlist("Cache-Control") == ["max-age=60"]
    assert response.headers["X-Frame-Options"] == "DENY"  # the ones it did not set are added
    plain = app.test_client().get("/plain-text")
    assert "Cache-Control" not in plain.headers and plain.headers["X-Content-Type-Options"] == "nosniff"
