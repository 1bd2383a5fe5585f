"""A small school: two instructors with a class each, learners who answered through the real door, an admin."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from dashboard_helpers import add_learners, answer_class_a, ask, question_id
from support import login, make_user

from quizapp.services.teaching import classes


@pytest.fixture
def school(app, demo_course):
    """Class A (alice): l1, l2, l3 answered, l6 never did; class B (bob): l4, l5. Plus an admin.

    First attempts in class A (1 = right), W=where P=pick M=method S=status O=only:
        l1: W1 P1 M1 S0 O1  (total 4)    l2: W0 P0 M0 S1 O0  (total 1)    l3: W0 P1 M0 S0 O0  (total 1)
    Later attempts: l1 gets S right; l2 gets W right; l3 tries S again with the named 404.
    l2 also orders 'steps' with no item in place (score 0), so nobody is right on it.
    """
    alice = make_user("alice@example.org", role="instructor")
    bob = make_user("bob@example.org", role="instructor")
    admin = make_user("root@example.org", role="admin")
    a = classes.create_class(alice.id, "Class A")
    b = classes.create_class(bob.id, "Class B")
    l1, l2, l3, l6 = (make_user(f"{n}@example.org") for n in ("l1", "l2", "l3", "l6"))
    l4, l5 = make_user("l4@example.org"), make_user("l5@example.org")
    for user in (l1, l2, l3, l6):
        classes.join_class(user.id, a.join_code)
    for user in (l4, l5):
        classes.join_class(user.id, b.join_code)
    answer_class_a(l1, l2, l3)
    for user in (l4, l5):  # class B: if it leaked into class A, W 'a' and O 'b' would count more
        ask(user, "where", choice="a")
        ask(user, "only", choice="b")
    return SimpleNamespace(alice=alice, bob=bob, admin=admin, a=a, b=b, l1=l1, l2=l2, l3=l3, l4=l4, l5=l5, l6=l6)


@pytest.fixture
def as_user(client):
    """Log the test client in as a given user."""

    def sign_in(user):
        client.post("/logout")
        login(client, user.email)
        return client

    return sign_in


@pytest.fixture
def qid(app):
    """Look up demo question ids by anchor."""
    return question_id


@pytest.fixture
def crowd(app):
    """Enrol ``count`` quick learners in a class."""
    return add_learners
