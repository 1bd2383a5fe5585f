"""Learner input is escaped wherever it is shown; author content is sanitised (nh3) before it is stored."""

from __future__ import annotations

import pytest
from security_helpers import sign_in
from support import load_courses

from quizapp.content.rendering.render import render_markdown

ATTACK = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def test_answer_text_is_echoed_escaped(app, people):
    load_courses()
    client = app.test_client()
    sign_in(client, people["learner"])
    html = client.post("/courses/demo/basics/method", data={"action": "answer", "text": ATTACK}).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "onerror=\"alert" not in html
    assert "&lt;script&gt;" in html


def test_sign_up_email_is_echoed_escaped(app, client):
    html = client.post("/signup", data={"email": ATTACK, "password": "x", "confirm": "x"}).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "markdown",
    [
        ATTACK,
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<div style="background:url(javascript:alert(1))" onclick="alert(1)">x</div>',
        "<svg><script>alert(1)</script></svg>",
        '<form action="https://evil.example"><input name="password"></form>',
    ],
)
def test_author_markdown_is_sanitised(markdown):
    html = render_markdown(markdown).lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<form", "style="):
        assert bad not in html, (markdown, html)
