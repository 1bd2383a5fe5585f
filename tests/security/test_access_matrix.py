"""Every route, every role: docs/access.md is the table, this test walks it and the app's url_map.

A route (or method) the app has but the table lacks fails here, so new routes must declare who may
use them. Then each listed route is requested as anonymous, learner, author, instructor, admin and
the instructor who owns the class, and the status must match the rule.
"""

from __future__ import annotations

import re

import pytest
from security_helpers import ROLES, fill, post_data, sign_in
from support import ROOT

TABLE_ROW = re.compile(r"^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`]+)`\s*\|\s*([a-z-]+)\s*\|")
ALLOWED = {
    "anyone": set(ROLES),
    "signed-in": set(ROLES) - {"anonymous"},
    "author": {"author", "admin"},
    "instructor": {"instructor", "owner", "admin"},
    "class-owner": {"owner", "admin"},
    "admin": {"admin"},
    "operator": set(),  # off unless METRICS_ENABLED (off here): 404 for everyone; tests/school/test_operators.py
}
IGNORED_METHODS = {"HEAD", "OPTIONS"}
# The JSON API's rules: no cookie opens them (401 for every signed-in role); tests/security/test_api_access.py
# walks them with tokens.
API_RULES = ("token", "scope-learn", "scope-teach", "scope-teach-owner", "scope-author")
ALLOWED.update({rule: set() for rule in API_RULES})


def read_table() -> dict[tuple[str, str], str]:
    """Give {(method, rule): access} from docs/access.md."""
    rows = {}
    for line in (ROOT / "docs" / "access.md").read_text(encoding="utf-8").splitlines():
        match = TABLE_ROW.match(line)
        if match:
            method, rule, access = match.groups()
            assert access in ALLOWED, f"docs/access.md: unknown access rule {access!r} for {method} {rule}"
            assert (method, rule) not in rows, f"docs/access.md lists {method} {rule} twice"
            rows[(method, rule)] = access
    return rows


TABLE = read_table()


def expected(access: str, role: str) -> str:
    """Name what ``role`` should get from a route with ``access``: allowed, login, forbidden or hidden."""
    if access == "operator":
        return "hidden"
    if access in API_RULES:
        return "forbidden"  # 401: a session cookie never authenticates the API
    if role in ALLOWED[access]:
        return "allowed"
    if role == "anonymous":
        return "login"
    if access == "class-owner" and role == "instructor":
        return "hidden"
    return "forbidden"


def outcome(response) -> str:
    """Classify a response the same way."""
    code = response.status_code
    assert code < 500, f"server error {code}"
    if code in (301, 302, 303, 307) and "/login" in (response.location or ""):
        return "login"
    if code in (401, 403):
        return "forbidden"
    if code == 404:
        return "hidden"
    return "allowed"


def test_every_route_of_the_app_is_in_the_table(app):
    in_app = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - IGNORED_METHODS
    }
    missing = sorted(in_app - set(TABLE))
    stale = sorted(set(TABLE) - in_app)
    assert not missing, f"routes without an access rule in docs/access.md: {missing}"
    assert not stale, f"docs/access.md lists routes the app does not have: {stale}"


@pytest.mark.parametrize(("method", "rule"), sorted(TABLE), ids=[f"{m} {r}" for m, r in sorted(TABLE)])
def test_route_answers_each_role_as_the_table_says(app, world, people, method, rule):
    access = TABLE[(method, rule)]
    url = fill(rule, world)
    wrong = []
    for role in ROLES:
        client = app.test_client()
        sign_in(client, people.get(role))
        with app.app_context():  # a fresh `g` per request, as in production (Flask-Login caches the user there)
            response = client.open(url, method=method, data=post_data(world) if method != "GET" else None)
            response.get_data()  # read streamed bodies inside the context
            response.close()
        csp = response.headers.get("Content-Security-Policy", "")
        # Every response has a CSP: the site's, or an author asset's stricter sandbox (no script at all).
        assert "script-src 'self'" in csp or ("sandbox" in csp and "default-src 'none'" in csp), (role, url)
        got, want = outcome(response), expected(access, role)
        if got != want:
            wrong.append(f"{role}: got {response.status_code} ({got}), expected {want}")
    assert not wrong, f"{method} {url} ({access}): " + "; ".join(wrong)
