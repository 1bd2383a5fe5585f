"""Helpers for the security tests: fill route placeholders, sign in directly, count rows, read CSRF tokens."""

from __future__ import annotations

import re

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.services.accounts import accounts

ROLES = ("anonymous", "learner", "author", "instructor", "admin", "owner")


def fill(rule: str, values: dict) -> str:
    """Turn '/x/<int:class_id>' into a real address with the world's values."""

    def one(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        assert name in values, f"no placeholder value for <{name}> in {rule}; add one to the world fixture"
        return str(values[name])

    url = re.sub(r"<([^>]+)>", one, rule)
    return url + ("?course=demo" if rule.startswith("/dashboard/classes/<") else "")


def post_data(values: dict) -> dict:
    """Form fields that let a POST reach past 'which thing?' to the access decision."""
    return {"code": values["code"], "course_key": values["course_key"], "filename": "01-basics.md"}


def sign_in(client, user) -> None:
    """Put a user in the client's session directly (the login form itself is tested elsewhere)."""
    if user is None:
        return
    login = accounts.start_login(user, 3600)  # a login on the server, as the form makes
    with client.session_transaction() as session:
        session["_user_id"] = login.get_id()
        session["_fresh"] = True


def row_counts() -> dict[str, int]:
    """Count the rows of every table, to prove a refused request stored nothing."""
    db.session.rollback()
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name != "account_login"  # the test's own sign-ins (sign_in) add these
    }


def csrf_token_from(html: str) -> str:
    """Read the CSRF token a page put in its forms."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no csrf_token in the page"
    return match.group(1)
