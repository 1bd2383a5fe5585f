"""Fuzz every POST route in the url_map with hostile values: never a 5xx, never anything stored half-way.

Field names come from the route's own form (when it has a GET page) plus every field name the app
reads anywhere; each hostile value goes into every field at once, then fields are repeated, then the
body is made of bytes that are not UTF-8. A refused request (4xx) must leave every table as it was,
and no hostile sign-up may ever create an account.
"""

from __future__ import annotations

import re

import pytest
from security_helpers import fill, row_counts, sign_in
from werkzeug.datastructures import MultiDict

from quizapp.models import User

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
FIELDS = {
    "email", "password", "confirm", "current", "remember", "choice", "text", "number", "action", "submission_key",
    "hints_used", "shown_at", "name", "code", "archived", "course", "course_key", "filename", "title", "source",
    "gift", "csrf_token", "next",
}
HOSTILE = [
    "", " ", "\t\n", "z", "../", "../../etc/passwd", "..\\..\\boot.ini", "%00", "\u202eevil", "\ufffd", "😀" * 50,
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR 1=1 --", "'; DROP TABLE attempt; --",
    "-1", "0", "1e309", "NaN", "-inf", "9" * 40, "0x41", "true", "null", "[]", "{}", "{{7*7}}", "${7*7}",
    "a" * 100_000, "=cmd|' /C calc'!A0", "\r\nSet-Cookie: x=1", "position-0", "b",
]


def post_routes(app) -> list[tuple[str, str]]:
    return sorted(
        (method, rule.rule) for rule in app.url_map.iter_rules() for method in rule.methods & STATE_CHANGING
    )


def field_names(client, url: str) -> set[str]:
    page = client.get(url)
    names = set(re.findall(r'name="([^"]+)"', page.get_data(as_text=True))) if page.status_code == 200 else set()
    return (names | FIELDS) - {"csrf_token"}


@pytest.fixture
def targets(app, world, people):
    """(method, url, field names) for every state-changing route, filled with real ids."""
    client = app.test_client()
    sign_in(client, people["admin"])
    found = []
    for method, rule in post_routes(app):
        url = fill(rule, world)
        found.append((method, url, field_names(client, url)))
    assert len(found) >= 8
    return found


def send(app, people, method: str, url: str, **kwargs):
    client = app.test_client()
    sign_in(client, people["admin"])
    with app.app_context():  # a fresh `g` per request, as in production
        response = client.open(url, method=method, **kwargs)
        response.get_data()
        response.close()
    return response


def check(app, people, method, url, before_users, label, **kwargs) -> str | None:
    before = row_counts()
    response = send(app, people, method, url, **kwargs)
    after = row_counts()
    if response.status_code >= 500:
        return f"{method} {url} [{label}]: {response.status_code}"
    if response.status_code >= 400 and after != before:
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        return f"{method} {url} [{label}]: refused with {response.status_code} but stored {changed}"
    if after[User.__tablename__] != before_users:
        return f"{method} {url} [{label}]: created an account from hostile input"
    return None


@pytest.mark.parametrize("chunk", range(4))
def test_hostile_values_in_every_field(app, people, targets, chunk):
    users = row_counts()[User.__tablename__]
    problems = []
    for value in HOSTILE[chunk::4]:
        for method, url, names in targets:
            fields = {name: value for name in names} | {"position-" + value[:8]: value}
            problem = check(app, people, method, url, users, repr(value[:20]), data=fields)
            if problem:
                problems.append(problem)
    assert not problems, "\n".join(problems)


def test_repeated_fields_and_broken_encodings(app, people, targets):
    users = row_counts()[User.__tablename__]
    problems = []
    for method, url, names in targets:
        repeated = [(name, value) for name in sorted(names) for value in ("b", "a", "../", "")]
        raw = "&".join(f"{name}=%FF%FE%C3%28" for name in sorted(names)).encode() + b"&text=\xff\xfe"
        for label, kwargs in [
            ("repeated", {"data": MultiDict(repeated)}),
            ("non-utf8", {"data": raw, "content_type": "application/x-www-form-urlencoded"}),
            ("bad-multipart", {"data": b"--x\r\nbroken", "content_type": "multipart/form-data; boundary=x"}),
            ("json-body", {"data": '{"email": 1}', "content_type": "application/json"}),
            ("no-body", {}),
        ]:
            problem = check(app, people, method, url, users, label, **kwargs)
            if problem:
                problems.append(problem)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("value", ["..", "%2e%2e%2f", "x" * 3000, "%ff%fe", "<b>", "0", "-1", "9" * 30, "%20"])
def test_hostile_values_in_every_address_placeholder(app, world, people, value):
    problems = []
    for rule in app.url_map.iter_rules():
        if "<" not in rule.rule:
            continue
        hostile = dict.fromkeys(world, value)
        url = re.sub(r"<(?:int:)([^>]+)>", lambda m: value if value.lstrip("-").isdigit() else "1", rule.rule)
        url = fill(url, hostile)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = send(app, people, method, url)
            if response.status_code >= 500:
                problems.append(f"{method} {url[:120]}: {response.status_code}")
    assert not problems, "\n".join(problems)
