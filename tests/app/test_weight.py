"""A learner page ships at most 30 KB of CSS and JavaScript together (uncompressed), and the editor's script
and stylesheet only where they are used."""

from __future__ import annotations

import re
from pathlib import Path

from support import login, make_author, make_user

import quizapp

STATIC = Path(quizapp.__file__).parent / "static"
BUDGET = 30 * 1024
ASSET = re.compile(r'<(?:link rel="stylesheet" href|script src)="/static/([^"?]+)')

LESSON = "/courses/demo/basics"
LEARNER_PAGES = ["/", "/courses/demo", LESSON, f"{LESSON}/where", f"{LESSON}/summary", "/progress", "/classes",
                 "/login", "/signup", "/password/change"]


def assets(html: str) -> list[str]:
    return ASSET.findall(html)


def weight(names: list[str]) -> int:
    return sum((STATIC / name).stat().st_size for name in names)


def test_every_learner_page_ships_at_most_30_kb_of_css_and_js(client, demo_course):
    user = make_user()
    pages = {}
    for path in LEARNER_PAGES[:4] + ["/login", "/signup"]:
        pages[path] = client.get(path).get_data(as_text=True)
    login(client, user.email)
    for path in LEARNER_PAGES:
        pages[f"{path} (signed in)"] = client.get(path).get_data(as_text=True)
    for label, html in pages.items():
        names = assets(html)
        assert "js/app.js" in names and "css/app.css" in names, label
        assert "js/author.js" not in names and "css/author.css" not in names, label
        assert weight(names) <= BUDGET, f"{label}: {weight(names)} bytes of CSS and JS: {names}"


def test_the_editor_script_is_on_the_editor_page_only(client, demo_course):
    login(client, make_author("a@example.org").email)
    assert "js/author.js" in assets(client.get("/author/courses/demo/lessons/basics/edit").get_data(as_text=True))
    assert "js/author.js" not in assets(client.get("/author/").get_data(as_text=True))
