"""Every API route, every role, through the real door: a token per role (every scope the role allows).

docs/access.md holds the rules (`token`, `scope-learn`, `scope-teach`, `scope-teach-owner`,
`scope-author`); this walks each API row as no token, a bad token, and each role's token.
"""

from __future__ import annotations

import pytest
from security_helpers import fill
from test_access_matrix import TABLE

from quizapp.services.accounts import tokens

API_ROWS = sorted((m, r) for (m, r), access in TABLE.items() if r.startswith("/api/v1/"))
SCOPE = {"token": None, "scope-learn": "learn", "scope-teach": "teach", "scope-teach-owner": "teach",
         "scope-author": "author"}
BODIES = {"answers": {"choices": ["b"]}, "check": {"course": "demo", "filename": "09-x.md", "markdown": "# x\n"}}


def expected(access: str, role: str, person) -> int:
    """Give the status class a role's token should get: 2 (allowed), 403 or 404."""
    scope = SCOPE[access]
    if scope is not None and scope not in tokens.scopes_for_role(person.role):
        return 403
    if access == "scope-teach-owner" and role == "instructor":
        return 404
    return 2


@pytest.mark.parametrize(("method", "rule"), API_ROWS, ids=[f"{m} {r}" for m, r in API_ROWS])
def test_api_route_answers_each_token_as_the_table_says(app, world, people, method, rule):
    access = TABLE[(method, rule)]
    url = fill(rule, world)
    body = BODIES.get(url.rsplit("/", 1)[-1])
    client = app.test_client()
    for header in ({}, {"Authorization": "Bearer qz_not-a-real-token"}, {"Authorization": "Basic eDp5"}):
        response = client.open(url, method=method, json=body, headers=header)
        assert response.status_code == 401, (url, header, response.status_code)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.mimetype == "application/problem+json"
    wrong = []
    for role, person in people.items():
        _info, secret = tokens.create_token(person.id, f"walk {rule}", tokens.scopes_for_role(person.role))
        if rule.endswith("/suspension"):  # a card to suspend: the learner's first answer makes it
            client.post(url.removesuffix("suspension") + "answers", json=BODIES["answers"],
                        headers={"Authorization": f"Bearer {secret}"})
        response = client.open(url, method=method, json=body, headers={"Authorization": f"Bearer {secret}"})
        got = response.status_code
        assert got < 500, (role, url, response.get_data(as_text=True))
        want = expected(access, role, person)
        if (want == 2 and got // 100 != 2) or (want != 2 and got != want):
            wrong.append(f"{role}: got {got}, expected {want}: {response.get_data(as_text=True)[:200]}")
    assert not wrong, f"{method} {url} ({access}): " + "; ".join(wrong)


def test_a_token_without_the_scope_gets_403_even_when_the_role_allows_it(app, world, people):
    _info, secret = tokens.create_token(people["admin"].id, "learn only", ["learn"])
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/classes", headers=headers).status_code == 403
    assert client.post("/api/v1/content/check", json=BODIES["check"], headers=headers).status_code == 403
    assert client.get("/api/v1/courses", headers=headers).status_code == 200
