"""One Renderer per load (one converter, fragments converted once) gives the HTML of a fresh converter per text.

And the link pre-check a reload relies on never misses a link that the full check would look at.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from support import DATA, ROOT

from quizapp.content import (
    ChoiceAnswer,
    Lesson,
    NumberAnswer,
    OrderAnswer,
    Renderer,
    TextAnswer,
    parse_tree,
    render_inline,
    render_lesson,
    render_markdown,
)
from quizapp.content.parsing.links import check_links, may_have_links
from quizapp.content.parsing.text import mark_fences, split_lines

TREES = [Path(__file__).parent / "fixtures" / "good", DATA / "courses", ROOT / "content"]

FRAGMENTS = [
    "200 OK", "**bold**", "`code`", "## Heading", "## Heading", "# Title {#custom}", "[ref]: https://x.org",
    "[a link][ref]", "[a](b.md)", "<div>", "</div>", "<!-- note", "-->", "```python", "```", "x = 1", "~~~",
    "!!! note", "    indented", "1. one", "2. two", "- item", "> quote", "|a|b|", "|-|-|", "*[HTML]: x", "",
    "text  ", "&amp;", "<b>x</b>", "{: .cls }", "[^1]", "[^1]: note", "Setext", "===", "---",
]  # fmt: skip
fragment = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=8).map("\n".join)


def all_lessons() -> list[Lesson]:
    """Every lesson of the test fixtures, the demo course and the shipped content."""
    return [lesson for root in TREES for course in parse_tree(root).courses for lesson in course.lessons]


def fresh_pairs(lesson: Lesson) -> list[tuple[str, str]]:
    """(HTML from a fresh converter, rendered HTML) for every *_html field of a rendered lesson."""
    block, inline = render_markdown, render_inline
    pairs = [(block(lesson.body), lesson.body_html)]
    for q in lesson.questions:
        pairs += [(block(q.prompt), q.prompt_html), (block(q.solution), q.solution_html)]
        pairs += [(inline(q.quick_check), q.quick_check_html)]
        pairs += [(block(h), html) for h, html in zip(q.hints, q.hints_html, strict=True)]
        pairs += [(inline(m), html) for m, html in zip(q.mistakes, q.mistakes_html, strict=True)]
        answer = q.answer
        if isinstance(answer, ChoiceAnswer):
            pairs += [(inline(c.text), c.html) for c in answer.choices]
            pairs += [(block(c.feedback), c.feedback_html) for c in answer.choices]
        elif isinstance(answer, (TextAnswer, NumberAnswer)):
            pairs += [(block(w.feedback), w.feedback_html) for w in answer.wrong]
        elif isinstance(answer, OrderAnswer):
            pairs += [(inline(i.text), i.html) for i in answer.items]
    return pairs


def test_one_renderer_for_many_lessons_matches_a_fresh_converter_per_text() -> None:
    """Sharing a converter and its fragment cache across lessons changes no byte of any field."""
    lessons = all_lessons()
    assert len(lessons) >= 5 and sum(len(lesson.questions) for lesson in lessons) >= 10
    shared = Renderer()
    for lesson in lessons + lessons[::-1]:  # the second pass is served from the cache
        for expected, actual in fresh_pairs(shared.lesson(lesson)):
            assert actual == expected


def test_render_lesson_is_the_shared_renderer_on_one_lesson() -> None:
    """render_lesson (one lesson, its own Renderer) and a Renderer with no cache give the same lesson."""
    for lesson in all_lessons():
        assert render_lesson(lesson) == Renderer(cache_size=0).lesson(lesson)


@settings(max_examples=200, deadline=None)
@given(st.lists(fragment, min_size=1, max_size=12))
def test_fragments_in_any_order_render_as_with_a_fresh_converter(texts: list[str]) -> None:
    """No state leaks between fragments: footnotes, references, heading ids, open HTML blocks, fences."""
    renderer = Renderer(cache_size=4)
    for text in texts + texts:
        assert renderer.block(text) == render_markdown(text)
        assert renderer.inline(text) == render_inline(text)


LINKISH = [
    "[a](b.md)", "[a]( b.md )", "![i](assets/x.png)", "[a](<b c.md>)", "[r]: missing.md", "   [r]: <m.md>",
    "<img src=x.png>", "<IMG SRC='x.png'>", "<a href=\"y.md\">", "<A\thref=y.md>", "`[a](b.md)`", "]", "(",
    "[", ":", "<", "a", "img", "]:", "](", "<a", "<img",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LINKISH) | st.text(max_size=6), max_size=12).map(" ".join))
def test_no_link_precheck_never_hides_a_link(tmp_path_factory, text: str) -> None:
    """When may_have_links says no, the full link check finds nothing either (every target here is missing)."""
    folder = tmp_path_factory.getbasetemp() / "empty-course"  # holds nothing, so every relative target is missing
    lines, _ = mark_fences(split_lines(text), 1, "x.md")
    found = check_links(lines, "x.md", folder)
    if not may_have_links(text):
        assert found == []
