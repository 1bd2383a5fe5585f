"""Sessions and CSRF are the upstream libraries' own, as shipped: Flask's signed-cookie sessions and
Flask-WTF's CSRFProtect, with no per-worker memory of verified signatures in front of them."""

from __future__ import annotations

import importlib.util

from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from support import PASSWORD, csrf_token_in, login, make_user

from quizapp.extensions import csrf


def test_sessions_and_csrf_are_the_upstream_classes(app):
    assert type(app.session_interface) is SecureCookieSessionInterface
    assert type(csrf) is CSRFProtect
    assert importlib.util.find_spec("quizapp.sessions") is None
    assert not [name for name in app.extensions if "csrf_verified" in name or "csrf_tokens" in name]


def signed_in(app, email="learner@example.org"):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def token_on(client, path: str) -> str:
    return csrf_token_in(client.get(path).get_data(as_text=True))


def test_every_worker_accepts_a_sessions_token_and_refuses_a_tampered_one(make_app):
    worker, other_worker = make_app(WTF_CSRF_ENABLED=True), make_app(WTF_CSRF_ENABLED=True)
    with worker.app_context():
        make_user("learner@example.org")
    client = signed_in(worker)
    token = token_on(client, "/")
    assert client.post("/logout", data={"csrf_token": token[:-3] + "abc"}).status_code == 400
    elsewhere = other_worker.test_client()
    elsewhere.set_cookie("session", client.get_cookie("session").value)
    assert elsewhere.post("/logout", data={"csrf_token": token}).status_code == 302


def test_a_token_has_to_be_this_sessions_own(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("learner@example.org")
        make_user("other@example.org")
    mine, theirs = signed_in(app), signed_in(app, "other@example.org")
    token = token_on(mine, "/")
    assert theirs.post("/logout", data={"csrf_token": token}).status_code == 400
    assert theirs.post("/logout", data={}).status_code == 400
    assert mine.post("/logout", data={"csrf_token": token}).status_code == 302


def test_over_https_a_token_still_needs_a_same_origin_referrer(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("learner@example.org")
    client, https = app.test_client(), "https://localhost"
    token = csrf_token_in(client.get("/login", base_url=https).get_data(as_text=True))
    form = {"csrf_token": token, "email": "learner@example.org", "password": PASSWORD}
    assert client.post("/login", data=form, base_url=https).status_code == 400
    elsewhere = client.post("/login", data=form, base_url=https, headers={"Referer": "https://evil.example/"})
    assert elsewhere.status_code == 400
    here = client.post("/login", data=form, base_url=https, headers={"Referer": "https://localhost/login"})
    assert here.status_code == 302
