"""Authoring fixtures: a writable copy of the test content, a signed-in author."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select
from support import DATA, grant_courses, load_courses, login, make_user

from quizapp.extensions import db
from quizapp.models import User


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
    grant_courses(user.email)  # rights per course: the tests' author edits every course loaded
    login(client, user.email)
    return user


@pytest.fixture
def demo_course(app):
    """The demo course, loaded, with every author so far made its editor."""
    report = load_courses()
    for email in db.session.scalars(select(User.email).where(User.role == "author")):
        grant_courses(email)
    return report
