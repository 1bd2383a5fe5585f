"""Lesson-to-lesson links: '02-other.md#part' in Markdown works as a link in the browser."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from authoring_helpers import edit
from support import load_courses

from quizapp.content import rewrite_links


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("02-other.md", "other"),
        ("02-other.md#part", "other#part"),
        ("./other.md", "other"),
        ("03_third-one.md", "third-one"),
        ("course.md", "../demo"),
        ("assets/dot.svg", "assets/dot.svg"),
        ("#anchor", "#anchor"),
        ("https://example.org/readme.md", "https://example.org/readme.md"),
        ("mailto:a@example.org", "mailto:a@example.org"),
        ("/absolute.md", "/absolute.md"),
        ("sub/folder.md", "sub/folder.md"),
    ],
)
def test_relative_lesson_links_become_lesson_slugs(href, expected):
    assert rewrite_links(f'<p><a href="{href}">x</a></p>', "demo") == f'<p><a href="{expected}">x</a></p>'


def test_prefix_is_put_before_every_relative_link():
    html = '<a href="01-basics.md">a</a><img src="assets/dot.svg" alt=""><a href="https://x.org">b</a>'
    assert rewrite_links(html, "demo", prefix="demo/") == (
        '<a href="demo/basics">a</a><img src="demo/assets/dot.svg" alt=""><a href="https://x.org">b</a>'
    )


def test_links_between_lessons_work_in_the_browser(app, client, tree):
    edit(tree / "demo" / "01-basics.md", "## Code",
         "See [the next lesson](02-more.md#only) and [home](course.md).\n\n## Code")
    edit(tree / "demo" / "02-more.md", "A second lesson.", "A second lesson. Back to [basics](01-basics.md).")
    edit(tree / "demo" / "course.md", "This course exists",
         "Start with [Basics](01-basics.md) ![d](assets/dot.svg). This course exists")
    load_courses(tree)
    page = "/courses/demo/basics"
    html = client.get(page).get_data(as_text=True)
    assert 'href="more#only"' in html and ".md" not in html.split('class="prose"')[1].split("</div>")[0]
    assert client.get(urljoin(page, "more")).status_code == 200
    assert client.get(urljoin(page, "../demo")).status_code == 200
    assert 'href="basics"' in client.get("/courses/demo/more").get_data(as_text=True)
    course_html = client.get("/courses/demo").get_data(as_text=True)
    assert 'href="demo/basics"' in course_html and 'src="demo/assets/dot.svg"' in course_html
    assert client.get(urljoin("/courses/demo", "demo/basics")).status_code == 200
    assert client.get(urljoin("/courses/demo", "demo/assets/dot.svg")).status_code == 200
