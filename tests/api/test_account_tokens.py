"""The account page's tokens: listed, made (shown once), revoked; the page says what revokes them."""

from __future__ import annotations

import re

from support import login, make_user

from quizapp.services.accounts import tokens


def test_the_account_page_makes_lists_and_revokes_tokens(app):
    user = make_user("page@example.org", role="instructor")
    client = app.test_client()
    login(client, user.email)
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "You have no live tokens" in page and "revokes every token" in page
    made = client.post("/account/tokens", data={"name": "phone", "scopes": ["learn", "teach"], "expires_days": "7"})
    html = made.get_data(as_text=True)
    secret = re.search(r'<code id="new-token">(qz_[^<]+)</code>', html).group(1)
    assert "shown only this once" in html and "learn, teach" in html
    assert client.get("/account/tokens").get_data(as_text=True).count(secret) == 0
    assert app.test_client().get("/api/v1/classes", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    live = tokens.list_tokens(user.id)
    client.post(f"/account/tokens/{live[0].id}/revoke")
    assert tokens.list_tokens(user.id) == []
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_the_page_refuses_scopes_beyond_the_role_and_another_accounts_tokens(app):
    owner = make_user("owner@example.org")
    info, _secret = tokens.create_token(owner.id, "mine")
    make_user("intruder@example.org")
    client = app.test_client()
    login(client, "intruder@example.org")
    refused = client.post("/account/tokens", data={"name": "x", "scopes": ["teach"], "expires_days": "7"})
    assert refused.status_code == 400 and "qz_" not in refused.get_data(as_text=True)
    client.post(f"/account/tokens/{info.id}/revoke")
    assert [t.id for t in tokens.list_tokens(owner.id)] == [info.id]


def test_the_page_needs_a_sign_in(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/login" in response.location
