"""Session cookies are verified once per worker and CSRF tokens signed once per worker (quizapp/sessions.py):
the same rules as Flask and Flask-WTF, with none of a session's changes leaking into the kept copy."""

from __future__ import annotations

import time

import itsdangerous.timed
from flask import request
from support import PASSWORD, csrf_token_in, login, make_user

from quizapp import sessions


def cookie_for(app, contents: dict, key: str | None = None) -> str:
    """Sign a session cookie as an app with this key would."""
    if key is not None:
        app = type(app)(app.import_name)
        app.secret_key = key
    return sessions.KeptCookieSessions().get_signing_serializer(app).dumps(contents)


def opened(app, cookie: str):
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        return app.session_interface.open_session(app, request)


def test_a_kept_session_is_a_fresh_copy_each_time(app):
    cookie = cookie_for(app, {"_user_id": "1-0", "_flashes": [("info", "Saved.")]})
    first = opened(app, cookie)
    assert dict(first) == {"_user_id": "1-0", "_flashes": [("info", "Saved.")]}
    first["_flashes"].append(("error", "Changed in place"))  # as flash() does
    first["_user_id"] = "2-0"
    second = opened(app, cookie)
    assert dict(second) == {"_user_id": "1-0", "_flashes": [("info", "Saved.")]}
    assert not second.modified


def test_a_tampered_or_foreign_cookie_gives_an_empty_session(app):
    cookie = cookie_for(app, {"_user_id": "1-0"})
    assert opened(app, cookie)["_user_id"] == "1-0"  # now kept
    payload, _, signature = cookie.rpartition(".")
    assert dict(opened(app, payload + "." + signature[::-1])) == {}
    assert dict(opened(app, cookie_for(app, {"_user_id": "1-0"}, key="another key"))) == {}
    assert dict(opened(app, "not-a-cookie")) == {}


def test_an_expired_cookie_is_refused_even_when_kept(app, monkeypatch):
    cookie = cookie_for(app, {"_user_id": "1-0"})
    assert opened(app, cookie)["_user_id"] == "1-0"
    lifetime = app.permanent_session_lifetime.total_seconds()
    now = sessions.time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: now + lifetime + 5)
    assert dict(opened(app, cookie)) == {}


def signed_in(app):
    client = app.test_client()
    assert login(client, "learner@example.org").status_code == 302
    return client


def token_on(client, path: str) -> str:
    return csrf_token_in(client.get(path).get_data(as_text=True))


def test_one_token_per_session_and_every_worker_accepts_it(make_app, monkeypatch):
    worker, other_worker = make_app(WTF_CSRF_ENABLED=True), make_app(WTF_CSRF_ENABLED=True)
    with worker.app_context():
        make_user("learner@example.org")
    client = signed_in(worker)
    token = token_on(client, "/")
    later = time.time() + 60  # a token signed again now would carry a different timestamp
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    assert token_on(client, "/progress") == token  # signed once for this session, in this worker
    assert token_on(client, "/") == token
    assert client.post("/logout", data={"csrf_token": token[:-3] + "abc"}).status_code == 400
    elsewhere = other_worker.test_client()
    elsewhere.set_cookie("session", client.get_cookie("session").value)
    assert elsewhere.post("/logout", data={"csrf_token": token}).status_code == 302


def test_tokens_never_expire_so_a_kept_one_is_never_too_old(make_app):
    assert make_app(WTF_CSRF_TIME_LIMIT=3600).config["WTF_CSRF_TIME_LIMIT"] is None


def test_a_kept_cookie_is_refused_once_its_key_is_retired(app):
    cookie = cookie_for(app, {"_user_id": "1-0"})
    assert opened(app, cookie)["_user_id"] == "1-0"  # now kept
    old = app.secret_key
    app.secret_key = "a rotated key"
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    assert opened(app, cookie)["_user_id"] == "1-0"  # still signed by a key the app accepts
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert dict(opened(app, cookie)) == {}


def test_a_kept_token_still_has_to_be_this_sessions_own(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("learner@example.org")
        make_user("other@example.org")
    mine, theirs = signed_in(app), app.test_client()
    assert login(theirs, "other@example.org").status_code == 302
    token = token_on(mine, "/")  # signed here, so kept as verified
    assert theirs.post("/logout", data={"csrf_token": token}).status_code == 400
    assert theirs.post("/logout", data={}).status_code == 400
    assert mine.post("/logout", data={"csrf_token": token}).status_code == 302


def test_over_https_a_kept_token_still_needs_a_same_origin_referrer(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("learner@example.org")
    client, https = app.test_client(), "https://localhost"
    token = csrf_token_in(client.get("/login", base_url=https).get_data(as_text=True))  # signed here: kept
    form = {"csrf_token": token, "email": "learner@example.org", "password": PASSWORD}
    # The same token is good (the last post), so these are refused for their referrer alone.
    assert client.post("/login", data=form, base_url=https).status_code == 400
    assert app.extensions["quizapp.csrf_verified"].get((token, app.secret_key))  # kept: checked once
    elsewhere = client.post("/login", data=form, base_url=https, headers={"Referer": "https://evil.example/"})
    assert elsewhere.status_code == 400
    here = client.post("/login", data=form, base_url=https, headers={"Referer": "https://localhost/login"})
    assert here.status_code == 302


def test_an_unchanged_session_writes_no_cookie_but_still_varies_on_it(make_app):
    app = make_app()
    with app.app_context():
        make_user("learner@example.org")
    client = signed_in(app)
    client.get("/progress")  # the first page puts a CSRF token in the session
    page = client.get("/progress")  # reads the session, changes nothing
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert "Cookie" in page.headers.get("Vary", "")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Shown once.")]
    shown = client.get("/progress")  # the flash is taken out of the session: the cookie is written again
    assert "Shown once." in shown.get_data(as_text=True) and "session=" in shown.headers.get("Set-Cookie", "")
    assert "Cookie" in shown.headers.get("Vary", "")
