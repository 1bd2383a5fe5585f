"""Bad input gets a clear 4xx, never a 500: oversized bodies, wrong methods, unknown ids, broken encodings."""

from __future__ import annotations

import re

import pytest
from security_helpers import fill, row_counts, sign_in
from support import PASSWORD, load_courses
from werkzeug.exceptions import MethodNotAllowed

from quizapp.extensions import db
from quizapp.models import Attempt, User

WHERE = "/courses/demo/basics/where"
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_oversized_bodies_get_413_and_store_nothing(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    with app.app_context():
        load_courses()
        client = app.test_client()
        big = "x" * 4096
        before = row_counts()
        for url, data in [("/signup", {"email": big, "password": PASSWORD, "confirm": PASSWORD}),
                          ("/login", {"email": "a@example.org", "password": big}),
                          ("/password/forgot", {"email": big})]:
            response = client.post(url, data=data)
            assert response.status_code == 413, url
            assert "too large" in response.get_data(as_text=True)
        assert row_counts() == before


def test_wrong_methods_get_405_on_every_route(app, world):
    client = app.test_client()
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        for method in sorted(METHODS - rule.methods):
            url = fill(rule.rule, world).split("?")[0]
            try:
                adapter.match(url, method=method)
                continue  # another route takes this method here (e.g. a question named like an asset)
            except MethodNotAllowed:
                pass
            response = client.open(url, method=method)
            assert response.status_code == 405, (method, rule.rule, response.status_code)
            assert "does not accept" in response.get_data(as_text=True) or method == "HEAD"


@pytest.mark.parametrize(
    "url",
    [
        "/courses/nope", "/courses/demo/nope", "/courses/demo/basics/nope", "/courses/demo/assets/../../etc/passwd",
        "/dashboard/classes/999999", "/dashboard/classes/99999999999999999999999999", "/dashboard/classes/2147483648",
        "/dashboard/classes/1/learners/99999999999999999999", "/dashboard/classes/1/items/99999999999999999999",
        "/dashboard/classes/999999/export/overview.csv", "/dashboard/classes/1/export/..%2F..%2Fetc.csv",
        "/join/NOPE", "/join/" + "x" * 5000, "/author/courses/nope/lessons/nope/edit",
        "/author/courses/nope/export.zip",
        "/courses/" + "x" * 5000, "/courses/%00", "/courses/demo/basics/%00", "/courses/%ff%fe",
        "/password/reset/" + "x" * 5000, "/nope", "/static/../quizapp/config.py",
    ],
)
def test_unknown_ids_and_odd_addresses_are_404(app, world, people, url):
    client = app.test_client()
    sign_in(client, people["admin"])
    response = client.get(url)
    assert response.status_code in (400, 404), (url, response.status_code)


def test_non_utf8_form_bytes_are_refused_cleanly(app, world, people):
    client = app.test_client()
    sign_in(client, people["learner"])
    before = row_counts()
    for url in ("/signup", "/login", "/password/forgot", WHERE):
        response = client.post(url, data=b"email=\xff\xfe%FF&password=\xc3\x28&confirm=\xc3\x28&choice=\xe2\x82",
                               content_type="application/x-www-form-urlencoded")
        assert 400 <= response.status_code < 500, (url, response.status_code)
    assert row_counts() == before


def test_nul_bytes_get_400_and_store_nothing(app, world, people):
    client = app.test_client()
    sign_in(client, people["learner"])
    before = row_counts()
    for url, data in [("/signup", {"email": "a\x00@example.org", "password": PASSWORD, "confirm": PASSWORD}),
                      ("/login", {"email": "learner@example.org\x00", "password": PASSWORD}),
                      (WHERE, {"action": "answer", "choice": "b", "submission_key": "k\x00"}),
                      (WHERE, {"action": "answer", "text\x00": "b"})]:
        assert client.post(url, data=data).status_code == 400, url
    for query in ("x=%00", "%00=1", "x=a%00b", "x=1&y=%00"):
        assert client.get(f"/courses/demo?{query}").status_code == 400, query
    assert client.get("/courses/demo?x=%2500").status_code == 200  # "%00" typed literally is no NUL
    assert row_counts() == before


@pytest.mark.parametrize("choice", ["z", "../", "a" * 10_000, "", "A", " b", "b\n", "1", "-1", "__proto__", "b;a"])
def test_tampered_choice_ids_are_explained_and_cost_no_attempt(app, world, people, choice):
    client = app.test_client()
    sign_in(client, people["learner"])
    response = client.post(WHERE, data={"action": "answer", "choice": choice, "submission_key": "t1"})
    assert response.status_code == 422, response.status_code
    assert db.session.query(Attempt).count() == 0


def test_a_real_and_a_tampered_choice_together_are_refused(app, world, people):
    client = app.test_client()
    sign_in(client, people["learner"])
    response = client.post(WHERE, data={"action": "answer", "choice": ["b", "zz"], "submission_key": "t2"})
    assert response.status_code == 422 and db.session.query(Attempt).count() == 0


def test_absurd_lengths_everywhere_are_refused(app, world, people):
    client = app.test_client()
    huge = "x" * 100_000
    response = client.post("/signup", data={"email": huge + "@example.org", "password": huge, "confirm": huge})
    assert response.status_code == 400
    assert db.session.query(User).count() == len(people)
    client = app.test_client()
    sign_in(client, people["learner"])
    with app.app_context():  # a fresh `g`: the request above cached the visitor there
        response = client.post(WHERE, data={"action": "answer", "choice": "b", "submission_key": huge,
                                            "hints_used": huge, "shown_at": huge})
    assert response.status_code == 200 and db.session.query(Attempt).count() == 1
    key = db.session.query(Attempt).one().submission_key
    assert len(key) <= 64


def test_error_pages_name_the_problem_without_a_stack_trace(app, world):
    page = app.test_client().get("/courses/nope").get_data(as_text=True)
    assert "There is nothing at this address" in page
    assert not re.search(r"Traceback|File \"/", page)
