"""Whatever an author types, loading either succeeds or reports problems; it never crashes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.content import ContentError, Lesson, load_lesson_text

FRAGMENTS = [
    "---", "title: T", "titel: x", "minutes: 3", "tags: [a]", "summary: [", "## Practice", "## Other",
    "### Q {#q}", "### Q {#q .partial-credit}", "### Q", "### Q {#Bad}", "#### Hint", "#### Solution",
    "#### Quick check", "#### Common mistakes", "#### Foo", "- [x] a", "- [ ] b", "* [X] c", "- plain",
    "  > feedback", "> stray", "  continued", "1. first", "2. second", "Answer: 42", "Answer: /(/",
    "Answer: /a+/i", "Answer: 40..44", "Answer: 44..40", "Answer: 1 ± 0.1", "Answer: text", "Answer:",
    "Wrong: 41", "Wrong: /x/", "```", "```python", "~~~", "# comment", "[link](../x.md)",
    "<img src='a.png' onerror=x>", "<script>x</script>", "|a|b|", "|-|-|", "!!! note", "    indented",
    "", " ", "\t", "{", "}", "\\", "\r", "\x00", "\ufeff", "é", "```` ",
]  # fmt: skip

format_ish = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40).map("\n".join)
front_matter_first = format_ish.map(lambda body: "---\ntitle: T\n---\n" + body)


def loads_or_refuses(text: str) -> None:
    """Assert the only outcomes are a Lesson or a ContentError carrying problems."""
    try:
        lesson = load_lesson_text(text)
    except ContentError as err:
        assert err.problems and all(p.line >= 1 for p in err.problems)
    else:
        assert isinstance(lesson, Lesson)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_crashes(text: str) -> None:
    """Random Unicode text: loaded or refused, nothing else."""
    loads_or_refuses(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(format_ish, front_matter_first))
def test_format_like_text_never_crashes(text: str) -> None:
    """Text built from pieces of the format, in any order: loaded or refused, nothing else."""
    loads_or_refuses(text)
