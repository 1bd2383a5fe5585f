"""Logout ends the login on the server (M5), remember-me lasts weeks, not a year, and the CSRF token is
renewed at sign-in and logout (L7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support import PASSWORD, csrf_token_in, make_user

from quizapp.services.accounts import accounts


@pytest.fixture
def clock(monkeypatch):
    """The logins' clock, moved by the test."""
    now = [2_000_000_000.0]
    monkeypatch.setattr(accounts, "clock", lambda: now[0])
    return now


def sign_in(app, remember: bool = False):
    client = app.test_client()
    form = {"email": "learner@example.org", "password": PASSWORD}
    if remember:
        form["remember"] = "y"
    with app.app_context():
        assert client.post("/login", data=form).status_code == 302
    return client


def opens_progress(app, cookies: dict[str, str]) -> bool:
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    with app.app_context():
        return client.get("/progress").status_code == 200


def test_a_session_cookie_captured_before_logout_is_refused_after_it(app):
    """M5: after logout the captured session cookie still opened /progress."""
    make_user()
    client = sign_in(app)
    captured = {"session": client.get_cookie("session").value}
    assert opens_progress(app, captured)
    with app.app_context():
        assert client.post("/logout").status_code == 302
    assert not opens_progress(app, captured)


def test_a_remember_token_captured_before_logout_is_refused_after_it(app):
    """M5: the captured remember_token alone still worked and was given a new session."""
    make_user()
    client = sign_in(app, remember=True)
    captured = {"remember_token": client.get_cookie("remember_token").value}
    assert opens_progress(app, captured)
    with app.app_context():
        client.post("/logout")
    assert not opens_progress(app, captured)


def test_logout_ends_only_that_login(app):
    make_user()
    laptop, phone = sign_in(app), sign_in(app)
    with app.app_context():
        laptop.post("/logout")
    with app.app_context():  # a fresh `g` per request, as in production
        assert phone.get("/progress").status_code == 200


def test_remember_me_lasts_the_configured_weeks(make_app, clock):
    app = make_app(REMEMBER_DAYS=14)
    with app.app_context():
        make_user()
    client = sign_in(app, remember=True)
    cookie = client.get_cookie("remember_token")
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=14) and cookie.expires is not None
    captured = {"remember_token": cookie.value}
    clock[0] += 14 * 86400 - 60
    assert opens_progress(app, captured)
    clock[0] += 120
    assert not opens_progress(app, captured)


def test_a_sign_in_without_remember_me_ends_on_the_server_after_the_configured_hours(make_app, clock):
    app = make_app(SIGNED_IN_HOURS=12)
    with app.app_context():
        make_user()
    client = sign_in(app)
    captured = {"session": client.get_cookie("session").value}
    clock[0] += 12 * 3600 - 60
    assert opens_progress(app, captured)
    clock[0] += 120
    assert not opens_progress(app, captured)


def raw_csrf(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("csrf_token")


def test_the_csrf_token_is_renewed_at_sign_in_and_logout(make_app):
    """L7: the raw CSRF token in the session survived login and logout."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user()
    client = app.test_client()
    with app.app_context():
        token = csrf_token_in(client.get("/login").get_data(as_text=True))
        before = raw_csrf(client)
        assert client.post("/login", data={"email": "learner@example.org", "password": PASSWORD,
                                           "csrf_token": token}).status_code == 302
        assert raw_csrf(client) != before
        signed_in_token = csrf_token_in(client.get("/progress").get_data(as_text=True))
        during = raw_csrf(client)
        assert during and during != before
        assert client.post("/logout", data={"csrf_token": token}).status_code == 400  # the old token is void
        assert client.post("/logout", data={"csrf_token": signed_in_token}).status_code == 302
        client.get("/login")
        assert raw_csrf(client) not in (before, during)


def test_cookies_are_flagged(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    with app.app_context():
        make_user()
    client = app.test_client()
    with app.app_context():
        response = client.post("/login", data={"email": "learner@example.org", "password": PASSWORD,
                                                "remember": "y"}, base_url="https://localhost")
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session=", "remember_token=", "quizapp_device="):
        (cookie,) = [c for c in cookies if c.startswith(name)]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
