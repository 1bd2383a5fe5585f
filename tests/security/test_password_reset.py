"""Password reset by signed, expiring, single-use link; the strength rules; changing a password."""

from __future__ import annotations

import logging
import re

import pytest
from support import PASSWORD, login, make_user

from quizapp.services.accounts import accounts

NEW = "a much better passphrase"


def request_link(client, caplog, email="learner@example.org") -> str | None:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="quizapp.mail"):
        response = client.post("/password/forgot", data={"email": email})
        assert client.application.extensions["quizapp.mail"].wait()
    assert response.status_code == 302 and response.location.endswith("/login")
    found = re.search(r"http://127\.0\.0\.1:8000(/password/reset/\S+)", caplog.text)
    return found.group(1) if found else None


def test_forgot_gives_the_same_answer_whether_or_not_the_account_exists(app, client, caplog):
    make_user()
    known = client.post("/password/forgot", data={"email": "learner@example.org"}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert request_link(client, caplog, "nobody@example.org") is None


def test_link_from_the_log_sets_a_new_password_once(app, client, caplog):
    make_user()
    link = request_link(client, caplog)
    assert link and "learner@example.org" in caplog.text
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.location.endswith("/login")
    assert accounts.authenticate("learner@example.org", NEW) is not None
    assert accounts.authenticate("learner@example.org", PASSWORD) is None
    # Used once: the password fingerprint inside the token no longer matches.
    again = client.post(link, data={"password": "yet another passphrase", "confirm": "yet another passphrase"})
    assert again.status_code == 400 and "expired or was already used" in again.get_data(as_text=True)
    assert accounts.authenticate("learner@example.org", NEW) is not None


def test_expired_tampered_and_garbage_tokens_are_refused(make_app, caplog):
    app = make_app(PASSWORD_RESET_MAX_AGE=-1)
    with app.app_context():
        make_user()
        client = app.test_client()
        link = request_link(client, caplog)
        assert client.get(link).status_code == 400  # already expired
        for bad in [link[:-3] + "abc", "/password/reset/x", "/password/reset/" + "A" * 600, "/password/reset/..%2F"]:
            response = client.post(bad, data={"password": NEW, "confirm": NEW})
            assert response.status_code in (400, 404), bad
        assert accounts.authenticate("learner@example.org", PASSWORD) is not None


def test_token_signed_with_another_key_is_refused(make_app, app, client, caplog):
    make_user()
    link = request_link(client, caplog)
    other = make_app(SECRET_KEY="another-secret")
    assert other.test_client().get(link).status_code == 400


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 10 characters"),
        ("aaaaaaaaaaaaaaaaaaaa", "more variety"),
        ("learner@example.org", "must not be your email"),
        ("password123", "attackers try first"),
        ("x" * 257 + "yzw", "256 characters"),
    ],
)
def test_reset_applies_the_strength_rules(app, client, caplog, password, message):
    make_user()
    link = request_link(client, caplog)
    response = client.post(link, data={"password": password, "confirm": password})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert accounts.authenticate("learner@example.org", PASSWORD) is not None


def test_mismatched_confirmation_is_refused(app, client, caplog):
    make_user()
    link = request_link(client, caplog)
    response = client.post(link, data={"password": NEW, "confirm": NEW + "!"})
    assert response.status_code == 400 and "The two passwords differ." in response.get_data(as_text=True)


def test_a_failing_mail_sender_does_not_reveal_the_account(make_app, caplog):
    app = make_app(MAIL_SENDER="tests_mail_helpers.BrokenSender", PUBLIC_URL="https://quiz.example.org")
    with app.app_context():
        make_user()
        response = app.test_client().post("/password/forgot", data={"email": "learner@example.org"})
        assert response.status_code == 302
        assert app.extensions["quizapp.mail"].wait()
        assert "could not send mail" in caplog.text


def test_pluggable_sender_receives_the_message(make_app):
    from tests_mail_helpers import MemorySender

    app = make_app(MAIL_SENDER="tests_mail_helpers.MemorySender", PUBLIC_URL="https://quiz.example.org")
    with app.app_context():
        make_user()
        app.test_client().post("/password/forgot", data={"email": "learner@example.org"})
        assert app.extensions["quizapp.mail"].wait()
    ((to, subject, body),) = MemorySender.sent
    assert to == "learner@example.org" and "Reset" in subject
    assert "https://quiz.example.org/password/reset/" in body


def test_login_page_links_to_forgot_password(client):
    assert "/password/forgot" in client.get("/login").get_data(as_text=True)


def test_signed_in_user_changes_password(app, client):
    make_user()
    login(client, "learner@example.org")
    wrong = client.post("/password/change", data={"current": "nope nope nope", "password": NEW, "confirm": NEW})
    assert wrong.status_code == 400 and "current password is not right" in wrong.get_data(as_text=True)
    same = client.post("/password/change", data={"current": PASSWORD, "password": PASSWORD, "confirm": PASSWORD})
    assert same.status_code == 400
    done = client.post("/password/change", data={"current": PASSWORD, "password": NEW, "confirm": NEW})
    assert done.status_code == 302
    assert accounts.authenticate("learner@example.org", NEW) is not None


@pytest.mark.parametrize("proxies", [0, 1])
def test_reset_link_never_comes_from_the_requests_host(make_app, caplog, proxies):
    """H1: a forgot-password POST with Host or X-Forwarded-Host evil.example mailed a link to evil.example."""
    app = make_app(TRUSTED_PROXIES=proxies, PUBLIC_URL="https://quiz.example.org/school")
    with app.app_context():
        make_user()
        with caplog.at_level(logging.WARNING, logger="quizapp.mail"):
            app.test_client().post("/password/forgot", data={"email": "learner@example.org"},
                                   headers={"Host": "evil.example", "X-Forwarded-Proto": "https",
                                            "X-Forwarded-Host": "evil.example"})
            assert app.extensions["quizapp.mail"].wait()
        assert "https://quiz.example.org/school/password/reset/" in caplog.text
        assert "evil.example" not in caplog.text


def test_without_public_url_the_log_sender_links_to_the_bound_address(make_app, caplog):
    app = make_app(BIND="0.0.0.0:8080")
    with app.app_context():
        make_user()
        with caplog.at_level(logging.WARNING, logger="quizapp.mail"):
            app.test_client().post("/password/forgot", data={"email": "learner@example.org"},
                                   headers={"Host": "evil.example"})
            assert app.extensions["quizapp.mail"].wait()
        assert "http://0.0.0.0:8080/password/reset/" in caplog.text and "evil.example" not in caplog.text


def test_real_mail_without_public_url_refuses_to_start(make_app):
    with pytest.raises(RuntimeError, match="PUBLIC_URL is not set"):
        make_app(MAIL_SENDER="tests_mail_helpers.MemorySender")
    with pytest.raises(RuntimeError, match="PUBLIC_URL must look like"):
        make_app(PUBLIC_URL="quiz.example.org")


def test_mail_and_flash_state_the_configured_expiry(make_app, caplog):
    """L9: the mail and the flash said 'one hour' whatever PASSWORD_RESET_MAX_AGE was."""
    app = make_app(PASSWORD_RESET_MAX_AGE=5400)
    with app.app_context():
        make_user()
        client = app.test_client()
        with caplog.at_level(logging.WARNING, logger="quizapp.mail"):
            page = client.post("/password/forgot", data={"email": "learner@example.org"}, follow_redirects=True)
            assert app.extensions["quizapp.mail"].wait()
        assert "within 1 hour 30 minutes" in caplog.text and "one hour" not in caplog.text
        assert "It works for 1 hour 30 minutes, once." in page.get_data(as_text=True)
        assert "1 hour 30 minutes" in client.get("/password/forgot").get_data(as_text=True)


def test_the_mail_leaves_after_the_request(make_app):
    """I6: a slow mail server must not make forgot-password slower for an existing account."""
    from tests_mail_helpers import HeldSender

    app = make_app(MAIL_SENDER="tests_mail_helpers.HeldSender", PUBLIC_URL="https://quiz.example.org")
    with app.app_context():
        make_user()
        response = app.test_client().post("/password/forgot", data={"email": "learner@example.org"})
        assert response.status_code == 302 and HeldSender.sent == []  # the sender is still blocked
        HeldSender.release.set()
        assert app.extensions["quizapp.mail"].wait()
    assert [to for to, _subject, _body in HeldSender.sent] == ["learner@example.org"]


def test_changing_the_password_signs_out_other_sessions_but_not_this_one(app):
    make_user()
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        with app.app_context():
            login(device, "learner@example.org")
    with app.app_context():
        assert laptop.post("/password/change",
                           data={"current": PASSWORD, "password": NEW, "confirm": NEW}).status_code == 302
    with app.app_context():
        assert laptop.get("/progress").status_code == 200  # the device that changed it stays signed in
    with app.app_context():
        response = phone.get("/progress")
        assert response.status_code == 302 and "/login" in response.location  # every other one is signed out


def test_a_password_reset_signs_out_every_session(app, caplog):
    make_user()
    phone, browser = app.test_client(), app.test_client()
    with app.app_context():
        login(phone, "learner@example.org")
    with app.app_context():
        link = request_link(browser, caplog)
        assert browser.post(link, data={"password": NEW, "confirm": NEW}).status_code == 302
    with app.app_context():
        assert phone.get("/progress").status_code == 302


def test_a_cookie_with_a_bare_or_garbled_id_loads_nobody(app):
    user = make_user()
    login_id = accounts.start_login(user, 3600).login_id
    for session_id in (str(user.id), f"{user.id}-x", f"{user.id}-1", f"{user.id}-99-{login_id}", "-", "9" * 50,
                       f"{user.id}-1-{'x' * 22}", f"{user.id}-1-{login_id}-", f"{user.id + 1}-1-{login_id}"):
        assert accounts.get_user_for_session(session_id) is None, session_id
    loaded = accounts.get_user_for_session(f"{user.id}-1-{login_id}")
    assert (loaded.id, loaded.email, loaded.login_id) == (user.id, user.email, login_id)
