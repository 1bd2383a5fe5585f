"""With real mail on, sign-up tells nobody who has an account (M4): the same answer either way, a
confirmation link to a new address, a note to an existing account's owner. A link is bound to the
password of the sign-up it was sent for, so an earlier sign-up by someone else cannot take the account."""

from __future__ import annotations

import re

import pytest
from support import PASSWORD, make_user

from quizapp.services.accounts import accounts

MAIL = {"MAIL_SENDER": "tests_mail_helpers.MemorySender", "PUBLIC_URL": "https://quiz.example.org"}
ATTACKER = "attacker's own phrase"


@pytest.fixture
def mail_app(make_app):
    from tests_mail_helpers import MemorySender

    app = make_app(**MAIL)
    app.sent = MemorySender.sent
    return app


def sign_up(app, client, email: str, password: str = PASSWORD):
    with app.app_context():
        response = client.post("/signup", data={"email": email, "password": password, "confirm": password},
                               follow_redirects=True)
        assert app.extensions["quizapp.mail"].wait()
    return response


def link_in(body: str) -> str:
    return re.search(r"https://quiz\.example\.org(/signup/confirm/\S+)", body).group(1)


def test_the_answer_is_the_same_whether_or_not_the_email_has_an_account(mail_app):
    with mail_app.app_context():
        make_user("taken@example.org")
    taken = sign_up(mail_app, mail_app.test_client(), "TAKEN@example.org ")
    free = sign_up(mail_app, mail_app.test_client(), "free@example.org")
    assert taken.status_code == free.status_code == 200
    assert taken.get_data(as_text=True) == free.get_data(as_text=True)
    assert "Check your email" in free.get_data(as_text=True)
    (to_owner, subject_owner, _), (to_new, subject_new, body_new) = mail_app.sent
    assert to_owner == "taken@example.org" and "already have" in subject_owner
    assert to_new == "free@example.org" and "Confirm" in subject_new and link_in(body_new)


def test_an_account_is_usable_only_once_confirmed(mail_app):
    client = mail_app.test_client()
    sign_up(mail_app, client, "new@example.org")
    with mail_app.app_context():
        login = {"email": "new@example.org", "password": PASSWORD}
        assert client.post("/login", data=login).status_code == 400
        link = link_in(mail_app.sent[0][2])
        assert "Confirm and sign in" in client.get(link).get_data(as_text=True)  # not the link alone
        assert accounts.authenticate("new@example.org", PASSWORD) is None
        assert client.post(link).status_code == 400  # the password chosen at sign-up is asked for
        wrong = client.post(link, data={"password": "not the one at all"})
        assert wrong.status_code == 400 and "not the password chosen" in wrong.get_data(as_text=True)
        assert client.post(link, data={"password": PASSWORD}).status_code == 302
        assert client.get("/progress").status_code == 200
        assert client.post(link, data={"password": PASSWORD}).status_code == 400  # used
        assert accounts.authenticate("new@example.org", PASSWORD) is not None


def test_an_earlier_sign_up_by_someone_else_cannot_take_the_account(mail_app):
    attacker, owner = mail_app.test_client(), mail_app.test_client()
    sign_up(mail_app, attacker, "victim@example.org", ATTACKER)
    sign_up(mail_app, owner, "victim@example.org")
    first, second = (link_in(body) for _to, _subject, body in mail_app.sent)
    with mail_app.app_context():
        assert owner.post(first, data={"password": ATTACKER}).status_code == 400  # replaced by the newer sign-up
        assert owner.post(second, data={"password": PASSWORD}).status_code == 302
        assert accounts.authenticate("victim@example.org", ATTACKER) is None
        assert accounts.authenticate("victim@example.org", PASSWORD) is not None


def test_the_owner_clicking_a_link_someone_else_asked_for_confirms_nothing(mail_app):
    sign_up(mail_app, mail_app.test_client(), "victim@example.org", ATTACKER)
    link = link_in(mail_app.sent[0][2])
    victim = mail_app.test_client()
    with mail_app.app_context():
        assert victim.post(link, data={"password": PASSWORD}).status_code == 400  # they do not know it
        assert accounts.authenticate("victim@example.org", ATTACKER) is None


def test_a_forged_or_garbled_link_confirms_nothing(mail_app):
    sign_up(mail_app, mail_app.test_client(), "new@example.org")
    link = link_in(mail_app.sent[0][2])
    client = mail_app.test_client()
    with mail_app.app_context():
        for bad in (link[:-3] + "abc", "/signup/confirm/x", "/signup/confirm/" + "A" * 600):
            assert client.post(bad, data={"password": PASSWORD}).status_code == 400, bad
        assert accounts.authenticate("new@example.org", PASSWORD) is None


def test_weak_passwords_and_bad_emails_are_still_explained(mail_app):
    response = sign_up(mail_app, mail_app.test_client(), "new@example.org", "password123")
    assert response.status_code == 400 and "attackers try first" in response.get_data(as_text=True)
    assert mail_app.sent == []


def test_without_real_mail_sign_up_signs_in_at_once_and_says_when_the_email_is_taken(app, client):
    """As docs/access.md and docs/deploy.md say: with the log-only sender, sign-up does reveal."""
    make_user("taken@example.org")
    fresh = client.post("/signup", data={"email": "free@example.org", "password": PASSWORD, "confirm": PASSWORD})
    assert fresh.status_code == 302
    taken = app.test_client().post("/signup", data={"email": "taken@example.org", "password": PASSWORD,
                                                    "confirm": PASSWORD})
    assert taken.status_code == 400 and "already exists" in taken.get_data(as_text=True)
