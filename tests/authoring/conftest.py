"""Authoring fixtures: a writable copy of the test content, a signed-in author."""

from __future__ import annotations

import shutil

import pytest
from support import DATA, login, make_user


@pytest.fixture
def tree(tmp_path):
    """A writable copy of tests/data/courses (the demo course) to edit and reload."""
    root = tmp_path / "content"
    shutil.copytree(DATA / "courses", root)
    return root


@pytest.fixture
def author(app, client):
    """A signed-in author."""
    user = make_user("author@example.org", role="author")
    login(client, user.email)
    return user
