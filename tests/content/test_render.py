"""Expected HTML: highlighting, tables, sanitising, and every rendered field of a lesson."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.content import (
    ContentError,
    load_lesson_text,
    parse_course_dir,
    pygments_css,
    render_course,
    render_inline,
    render_markdown,
)

FIXTURES = Path(__file__).parent / "fixtures"


def test_fence_is_highlighted_by_pygments() -> None:
    """A fence with a language becomes a .highlight block with Pygments token spans."""
    html = render_markdown("```python\ndef f():\n    return 1\n```")
    assert html.startswith('<div class="highlight"><pre tabindex="0"><span></span><code>')
    assert '<span class="k">def</span>' in html and '<span class="nf">f</span>' in html


def test_hash_line_in_fence_stays_code() -> None:
    """A '#' line inside a fence is a comment in code, never a heading."""
    html = render_markdown("```python\n# comment\nx = 1\n```")
    assert '<span class="c1"># comment</span>' in html and "<h1" not in html


def test_unknown_fence_language_is_plain_code() -> None:
    """An unknown language does not crash; the code is shown as-is, escaped."""
    assert render_markdown("```nosuchlang\n# a < b\n```") == (
        '<div class="highlight"><pre tabindex="0"><span></span><code># a &lt; b\n</code></pre></div>'
    )


def test_table() -> None:
    """Pipe tables render, inside a box that scrolls (and takes keyboard focus) when the screen is narrow."""
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
    assert html == (
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Table"><table>\n'
        "<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table></div>"
    )


def test_author_cannot_forge_the_scroll_attributes() -> None:
    """Raw HTML attributes on tables and code are still dropped by the sanitiser; only ours are added."""
    html = render_markdown('<pre onclick="x()" tabindex="5">a</pre>')
    assert html == '<pre tabindex="0">a</pre>'


def test_heading_ids_admonitions_and_lists() -> None:
    """Headings get ids, admonitions keep their classes, ordered lists keep their start."""
    html = render_markdown("## Set up\n\n!!! warning\n    Careful.\n\n3. three\n4. four")
    assert '<h2 id="set-up">Set up</h2>' in html
    assert '<div class="admonition warning">\n<p class="admonition-title">Warning</p>' in html
    assert '<ol start="3">' in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>ok", "alert"),
        ('<img src="x.png" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<span style="color:red">x</span>', "style"),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ("<p onclick='x()'>x</p>", "onclick"),
        ('## Title {: onmouseover="alert(1)" }', "onmouseover"),
    ],
)
def test_dangerous_html_is_stripped(source: str, forbidden: str) -> None:
    """Author HTML is sanitised against the allow-list."""
    assert forbidden not in render_markdown(source)


def test_safe_links_and_images_survive() -> None:
    """http(s), mailto and relative URLs are kept."""
    html = render_markdown('[a](https://x.org) [m](mailto:a@b.c) ![i](assets/f.svg "T")')
    assert 'href="https://x.org"' in html and 'href="mailto:a@b.c"' in html
    assert '<img alt="i" src="assets/f.svg" title="T">' in html


def test_render_inline_strips_the_paragraph() -> None:
    """Choice texts render without a surrounding <p>."""
    assert render_inline("**bold** and `code`") == "<strong>bold</strong> and <code>code</code>"
    assert render_inline("") == ""


def test_pygments_css_has_light_and_dark() -> None:
    """One stylesheet: light by default, dark inside prefers-color-scheme."""
    css = pygments_css()
    light, dark = css.split("@media (prefers-color-scheme: dark)")
    assert ".highlight .k" in light and ".highlight .k" in dark
    assert "\npre {" not in css


def test_highlighted_code_uses_the_accessible_pygments_pair() -> None:
    """a11y-light and a11y-dark (accessible-pygments): colours that meet WCAG AA on their own background."""
    from pygments.formatters import HtmlFormatter

    css = pygments_css()
    light, dark = css.split("@media (prefers-color-scheme: dark)")
    assert HtmlFormatter(style="a11y-light").style.background_color in light
    assert HtmlFormatter(style="a11y-dark").style.background_color in dark


def test_load_lesson_text_fills_every_html_field() -> None:
    """Every *_html field of a lesson and its questions is filled."""
    text = (FIXTURES / "good/react/01-server-actions.md").read_text(encoding="utf-8")
    lesson = load_lesson_text(text)
    question = lesson.questions[0]
    assert "<p>A server action runs on the server.</p>" in lesson.body_html
    assert '<span class="c1">' in question.prompt_html or 'class="highlight"' in question.prompt_html
    assert question.hints_html == ("<p>Look at the first line of the file.</p>",)
    assert question.solution_html.startswith("<ol>")
    assert question.quick_check_html == "'use server' = runs on the server, whoever calls it."
    assert question.mistakes_html[0] == "Thinking a function runs wherever it is called from"
    first = question.answer.choices[0]  # type: ignore[union-attr]
    assert first.html == "In the browser, because a client component calls it"
    assert first.feedback_html.startswith("<p>A client component may <em>call</em> it")


def test_text_wrong_feedback_and_order_items_render() -> None:
    """Wrong: feedback and order items are rendered too."""
    text = (
        "---\ntitle: T\n---\n## Practice\n\n### A {#a}\n\nP?\n\nAnswer: x\nWrong: y\n  > *no*\n\n"
        "### B {#b}\n\nP?\n\n1. `one`\n2. two\n"
    )
    lesson = load_lesson_text(text)
    assert lesson.questions[0].answer.wrong[0].feedback_html == "<p><em>no</em></p>"  # type: ignore[union-attr]
    assert lesson.questions[1].answer.items[0].html == "<code>one</code>"  # type: ignore[union-attr]


def test_load_lesson_text_raises_content_error_with_all_problems() -> None:
    """The editor preview gets every problem at once."""
    with pytest.raises(ContentError) as caught:
        load_lesson_text("---\ntitel: x\n---\n", path="p.md")
    assert [p.line for p in caught.value.problems] == [1, 2]
    assert "p.md:2: unknown key 'titel'" in str(caught.value)


def test_render_course() -> None:
    """A course renders its introduction and every lesson."""
    course, _ = parse_course_dir(FIXTURES / "good/react")
    assert course is not None
    rendered = render_course(course)
    assert '<a href="assets/flow.svg"' in rendered.intro_html
    assert all(lesson.body_html for lesson in rendered.lessons)
    assert course.intro_html == ""  # the original is untouched: copies, not mutation
