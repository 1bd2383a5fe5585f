"""School fixtures: clients whose requests each get a fresh app context, an admin and an instructor."""

from __future__ import annotations

import pytest
from support import login, make_user


class Door:
    """A test client whose every request runs in its own app context, as in production, so that several
    people's clients can take turns in one test (Flask-Login caches the signed-in user in ``g``)."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def open(self, *args, **kwargs):
        """Send one request in a fresh app context and read its body there."""
        with self.app.app_context():
            response = self.client.open(*args, **kwargs)
            response.get_data()
        return response

    def get(self, *args, **kwargs):
        """Send a GET."""
        return self.open(*args, method="GET", **kwargs)

    def post(self, *args, **kwargs):
        """Send a POST."""
        return self.open(*args, method="POST", **kwargs)


@pytest.fixture
def door(app):
    """Make a fresh client (one per person)."""
    return lambda: Door(app)


@pytest.fixture
def client(app):
    """The test's main client, with fresh app contexts per request."""
    return Door(app)


@pytest.fixture
def admin(app, client):
    """A signed-in admin."""
    user = make_user("head@example.org", role="admin")
    login(client, user.email)
    return user


@pytest.fixture
def teacher(app, client):
    """A signed-in instructor."""
    user = make_user("teacher@example.org", role="instructor")
    login(client, user.email)
    return user
