"""`next=` only ever leads to a path on this site."""

from __future__ import annotations

import pytest
from support import PASSWORD, make_user

from quizapp.views.access import safe_next

HOSTILE = [
    "https://evil.example", "http://evil.example/courses", "//evil.example", "///evil.example",
    "/\\evil.example", "\\\\evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,hi",
    "/\n/evil.example", "/\t/evil.example", " //evil.example", "evil.example", "", "ftp://evil.example",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_login_ignores_next_that_leaves_the_site(app, client, target):
    make_user()
    response = client.post("/login", query_string={"next": target},
                           data={"email": "learner@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/", (target, response.location)


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example"])
def test_signup_ignores_next_that_leaves_the_site(app, client, target):
    response = client.post("/signup", query_string={"next": target},
                           data={"email": "new@example.org", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302 and response.location == "/"


def test_login_keeps_a_path_of_ours(app, client):
    make_user()
    response = client.post("/login", query_string={"next": "/courses/x?y=1"},
                           data={"email": "learner@example.org", "password": PASSWORD})
    assert response.location == "/courses/x?y=1"


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_next_refuses_every_hostile_target(target):
    assert safe_next(target, "/home") == "/home"
