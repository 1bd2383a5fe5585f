"""The new-lesson scaffold fits its course: its worked example is in the course's own code language."""

from __future__ import annotations

import pytest
from support import ROOT

from quizapp.content import course_language, new_lesson_markdown, parse_lesson


@pytest.mark.parametrize("language", ["python", "ts", "tsx", "typescript", "js", "javascript"])
def test_every_scaffold_loads_with_no_problem_at_all(language) -> None:
    text = new_lesson_markdown("Caching: a first look", language)
    lesson, problems = parse_lesson(text, path="06-x.md", slug="x")  # teaching checks included
    assert lesson is not None and not problems, [str(p) for p in problems]
    assert f"```{language}\n" in text


def test_the_shipped_course_gets_a_typescript_example() -> None:
    texts = [path.read_text(encoding="utf-8") for path in (ROOT / "content" / "nextjs-server-logic").glob("0*.md")]
    assert course_language(texts) in ("ts", "tsx", "typescript")
    assert "def greet" not in new_lesson_markdown("New", course_language(texts))


def test_a_course_without_code_gets_the_python_example() -> None:
    assert course_language(["no code here", "```md\n# x\n```"]) == "python"
