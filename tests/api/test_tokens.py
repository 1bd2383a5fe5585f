"""Personal access tokens: shown once, stored as a hash, scoped by role, revoked by password or role changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from api_helpers import bearer, token_for
from support import PASSWORD, make_user

from quizapp.extensions import db
from quizapp.models import ApiToken, utcnow
from quizapp.services.accounts import accounts, admin, tokens


def test_cli_prints_a_token_once_and_stores_only_its_hash(app, runner):
    make_user("cli@example.org", role="instructor")
    result = runner.invoke(args=["tokens", "create", "--email", "cli@example.org", "--name", "grades",
                                 "--scope", "learn", "--scope", "teach", "--expires-days", "30"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith("qz_") and len(secret) > 40
    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert secret not in (stored.token_hash, stored.name, stored.scopes)
    assert stored.token_hash == tokens.hash_token(secret) and stored.scopes == "learn teach"
    listed = runner.invoke(args=["tokens", "list", "--email", "cli@example.org"])
    assert "grades" in listed.output and secret not in listed.output
    assert app.test_client().get("/api/v1/me", headers=bearer(secret)).status_code == 200
    revoked = runner.invoke(args=["tokens", "revoke", "--email", "cli@example.org", "--name", "grades"])
    assert revoked.exit_code == 0, revoked.output
    assert app.test_client().get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_cli_refuses_scopes_beyond_the_role(app, runner):
    make_user("plain@example.org")
    result = runner.invoke(args=["tokens", "create", "--email", "plain@example.org", "--name", "x", "--scope", "teach"])
    assert result.exit_code != 0 and "may hold only these scopes: learn" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_cli_revokes_by_id(app, runner):
    user = make_user("byid@example.org")
    info, secret = tokens.create_token(user.id, "phone")
    result = runner.invoke(args=["tokens", "revoke", "--email", "byid@example.org", "--id", str(info.id)])
    assert result.exit_code == 0, result.output
    assert tokens.get_token_user(secret) is None
    again = runner.invoke(args=["tokens", "revoke", "--email", "byid@example.org", "--id", str(info.id)])
    assert again.exit_code != 0


@pytest.mark.parametrize("change", ["password change", "password reset", "role change"])
def test_password_and_role_changes_revoke_every_token(app, change):
    user = make_user("changes@example.org", role="author")
    secrets_ = [token_for(user), token_for(user, "learn")]
    if change == "password change":
        accounts.change_password(user.id, PASSWORD, "another long passphrase", min_length=10)
    elif change == "password reset":
        accounts.reset_password(user.id, "another long passphrase", min_length=10)
    else:
        accounts.set_role(user.email, "learner")
    client = app.test_client()
    for secret in secrets_:
        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    assert tokens.list_tokens(user.id) == []


def test_setting_the_same_role_keeps_tokens(app):
    user = make_user("same@example.org", role="author")
    secret = token_for(user)
    accounts.set_role(user.email, "author")
    assert tokens.get_token_user(secret) is not None


def test_expired_tokens_stop_working(app):
    user = make_user("old@example.org")
    secret = token_for(user)
    db.session.execute(sa.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = app.test_client().get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert tokens.list_tokens(user.id) == []


def test_last_used_is_written_at_most_once_a_minute(app):
    user = make_user("used@example.org")
    secret = token_for(user)
    client = app.test_client()
    client.get("/api/v1/me", headers=bearer(secret))
    first = tokens.list_tokens(user.id)[0].last_used_at
    assert first is not None
    client.get("/api/v1/me", headers=bearer(secret))
    assert tokens.list_tokens(user.id)[0].last_used_at == first
    token = tokens.get_token_user(secret)
    tokens.touch_token(token, now=first + timedelta(seconds=61))
    db.session.expire_all()
    assert tokens.list_tokens(user.id)[0].last_used_at > first


@pytest.mark.parametrize(("role", "allowed"), [("learner", ("learn",)), ("author", ("learn", "author")),
                                               ("instructor", ("learn", "teach")),
                                               ("admin", ("learn", "teach", "author"))])
def test_scopes_follow_roles(role, allowed):
    assert tokens.scopes_for_role(role) == allowed


def test_names_are_checked(app):
    user = make_user("names@example.org")
    tokens.create_token(user.id, "phone")
    with pytest.raises(tokens.TokenError, match="already has this name"):
        tokens.create_token(user.id, "phone")
    with pytest.raises(tokens.TokenError, match="1 to 100"):
        tokens.create_token(user.id, "  ")
    with pytest.raises(tokens.TokenError, match="expiry"):
        tokens.create_token(user.id, "far", expires_days=100000)


def test_disabling_deleting_or_changing_the_role_of_an_account_ends_its_tokens(app):
    """Issue 23 with issue 21: an admin's change in the admin area ends the account's API tokens at once."""
    admin_user = make_user("boss@example.org", role="admin")
    for email, change in (("a@example.org", lambda uid: admin.set_disabled(admin_user.id, uid, True)),
                          ("b@example.org", lambda uid: admin.change_role(admin_user.id, uid, "author")),
                          ("c@example.org", lambda uid: admin.delete_account(admin_user.id, uid))):
        user = make_user(email)
        secret = token_for(user)
        assert app.test_client().get("/api/v1/me", headers=bearer(secret)).status_code == 200
        change(user.id)
        assert app.test_client().get("/api/v1/me", headers=bearer(secret)).status_code == 401, email
