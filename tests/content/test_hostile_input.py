"""Author input that used to hold a worker or crash (review M6, M7, L3): each is now fast or refused clearly,
and `content check` and `content load` give the same verdict on every input."""

from __future__ import annotations

import shutil
import threading

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import DATA

from quizapp.content import gift_to_markdown, parse_lesson, render_markdown
from quizapp.content.parsing.limits import MAX_NESTING
from quizapp.content.rendering.brackets import LinearBrackets

FM = "---\ntitle: T\n---\n"


def finishes(work, seconds: float = 10.0):
    """Run work in a thread; give its result, failing if it has not finished in a generous time."""
    results: list = []
    thread = threading.Thread(target=lambda: results.append(work()), daemon=True)
    thread.start()
    thread.join(timeout=seconds)
    assert results, f"still running after {seconds} s"
    return results[0]


def errors_of(text: str) -> list[str]:
    _lesson, problems = parse_lesson(text, path="t.md", slug="t")
    return [f"{p.line}: {p.message}" for p in problems if p.severity == "error"]


@pytest.mark.parametrize("text", ["[" * 50_000, "![" * 25_000, "[" * 25_000 + "]" * 25_000, "[a]" * 20_000])
def test_many_brackets_render_in_linear_time(text):
    """Review M7: 50,000 '[' held a worker 30 s (Python-Markdown rescans the rest of the text per '[')."""
    html = finishes(lambda: render_markdown(text))
    assert html.startswith("<p>") and html.count("[") == text.count("[")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]()!a x:\n*`<>\\", max_size=60))
def test_bracket_matching_renders_exactly_as_python_markdown_does(text):
    plain = markdown.Markdown(extensions=["attr_list", "toc"]).convert(text)
    ours = markdown.Markdown(extensions=["attr_list", "toc", LinearBrackets()]).convert(text)
    assert ours == plain


@pytest.mark.parametrize("text, line", [
    ("\n".join("    " * i + "- x" for i in range(500)) + "\n", 4 + MAX_NESTING),
    ("\n".join("    " * i + "1. x" for i in range(500)) + "\n", 4 + MAX_NESTING),
    ("\n".join(">" * (i + 1) + " x" for i in range(2_000)) + "\n", 4 + MAX_NESTING),
    ("intro\n\n" + ">" * 40 + " x\n", 6),
])
def test_deep_nesting_is_an_error_at_its_line(text, line):
    """Review L3: a list nested 500 deep was a RecursionError at load, and passed the checker."""
    found = finishes(lambda: errors_of(FM + text))
    assert found and found[0].startswith(f"{line}: this line is nested more than {MAX_NESTING} levels deep")


def test_nesting_up_to_the_limit_renders_and_code_is_left_alone():
    text = FM + "\n".join("    " * i + "- x" for i in range(MAX_NESTING)) + "\n\n```\n" + " " * 200 + "x\n```\n"
    assert errors_of(text) == []
    assert errors_of(FM + "- - - - - - - - - - - - - - - - - - - - -\n") == []  # a line across the page


def test_a_yaml_alias_bomb_is_refused_without_expanding_it():
    """Review M6: nine aliases per level, eight levels: a 656 MB message in 12 s."""
    levels = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    text = "---\n" + "\n".join(levels) + "\ntitle: *l8\n---\n"
    found = finishes(lambda: errors_of(text))
    assert len(found) == 1 and found[0].startswith("3: front matter is not valid YAML: aliases")
    assert len(found[0]) < 400


def test_messages_never_repeat_a_long_value_in_full():
    found = errors_of("---\ntitle: " + "9" * 2_000 + "\nsummary: [" + "a, " * 5_000 + "b]\n---\n")
    assert len(found) == 2 and all(len(message) < 300 for message in found)


def test_twenty_thousand_questions_of_one_title_import_in_linear_time():
    """Review M7: GIFT's id picking was quadratic: 20,000 questions of one title were killed at 30 s."""
    gift = "".join("::Same title::What is 2+2? {=4 ~5}\n\n" for _ in range(20_000))
    markdown_text, problems = finishes(lambda: gift_to_markdown(gift, title="Many", path="many.gift"), 30)
    assert not [p for p in problems if not p.rule]  # only teaching checks (no feedback, no solution) to report
    assert "{#same-title-20000}" in markdown_text and "{#same-title}" in markdown_text


# --- `content check` and `content load` agree ------------------------------------------------------------

NASTY = [
    "- x", "    - y", "        - z", "> q", ">>>>>>>>>>>>>>>>>>>> deep", "[" * 30, "](", "![a](assets/dot.svg)",
    "## Practice", "### Q {#q}", "- [x] a", "- [ ] b", "Answer: /(a)\\1/", "Answer: /(a+)+$/", "Answer: 42",
    "Answer: /(?=x)/", "```", "title: &a x", "*a", "<script>x</script>", "#### Solution", "S", "",
    "\n".join("    " * depth + "- x" for depth in range(300)),  # a RecursionError at load; the checker passed it
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=st.sampled_from(["title: T", "title: &a T", "title: [a, *b]", "title: T\nsummary: " + "x" * 80]),
       body=st.lists(st.sampled_from(NASTY) | st.text(alphabet="[]>-* #x\n", max_size=20), max_size=25))
def test_check_and_load_give_the_same_verdict(runner, tmp_path_factory, front, body):
    root = tmp_path_factory.mktemp("content")
    shutil.copytree(DATA / "courses", root, dirs_exist_ok=True)
    (root / "demo" / "03-extra.md").write_text(f"---\n{front}\n---\n" + "\n".join(body) + "\n", encoding="utf-8")
    check = runner.invoke(args=["content", "check", str(root)])
    load = runner.invoke(args=["content", "load", "--dry-run", str(root)])
    assert load.exception is None or isinstance(load.exception, SystemExit), load.output
    assert (check.exit_code == 0) == (load.exit_code == 0), (check.output, load.output)
