"""Parse one lesson's text into a ``Lesson``: front matter, body, practice questions, link checks.

Structural only: Markdown is rendered later by ``render``. Every problem is collected, so an author
sees all of them in one pass; the lesson is None as soon as one of them is an error.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..checks import check_question
from ..model import ContentError, Lesson, Problem, UnchangedLesson
from .frontmatter import LESSON_KEYS, body_start, read_front_matter
from .limits import check_nesting
from .links import check_links, may_have_links
from .questions import parse_practice
from .text import Line, heading, join, mark_fences, normalize_newlines, split_lines

_ATTR_LIST_RE = re.compile(r"\s*\{[^{}]*\}\Z")
_QUESTION_HEADING_RE = re.compile(r"^###[ \t].*\{#", re.MULTILINE)
_FILENAME_RE = re.compile(r"(?:(?P<number>\d+)[-_])?(?P<slug>.*?)\.md\Z", re.IGNORECASE)


def slug_from_filename(name: str) -> tuple[int | None, str]:
    """Split '01-route-handlers.md' into (1, 'route-handlers'); the number only orders lessons."""
    match = _FILENAME_RE.match(name)
    if not match:
        return None, name
    number = int(match["number"]) if match["number"] else None
    return number, match["slug"]


def parse_lesson(
    text: str,
    *,
    path: str,
    slug: str,
    position: int | None = None,
    course_dir: Path | None = None,
) -> tuple[Lesson | None, list[Problem]]:
    """Parse a lesson file's text; course_dir enables checks of relative links and images."""
    text = normalize_newlines(text)
    texts = split_lines(text)
    front = read_front_matter(texts, path, LESSON_KEYS)
    lines, fence_problems = mark_fences(texts[front.body_start :], front.body_start + 1, path)
    problems = front.problems + fence_problems + check_nesting(lines, path)
    body, practice, practice_line = _split_practice(lines)
    questions = []
    if practice_line is not None:
        questions, more = parse_practice(practice, path, practice_line)
        problems += more + [problem for question in questions for problem in check_question(question, path)]
    elif not any(p.severity == "error" for p in fence_problems):  # an open fence may hide '## Practice'
        problems += _orphan_questions(body, path)
    if course_dir is not None:
        problems += check_links(lines, path, course_dir)
    problems.sort(key=lambda p: p.line)
    if any(p.severity == "error" for p in problems):
        return None, problems
    values = front.values
    lesson = Lesson(
        slug=slug,
        title=str(values["title"]),
        path=path,
        source=text,
        body=join(body),
        position=position,
        summary=str(values.get("summary", "")),
        tags=tuple(values.get("tags", ())),  # type: ignore[arg-type]
        minutes=values.get("minutes"),  # type: ignore[arg-type]
        questions=tuple(questions),
        # Teaching checks (named rules) do not count: a file skipped as unchanged stays fast to reload, and
        # `content check` parses every file, so it always shows them.
        warned=any(not problem.rule for problem in problems),
    )
    return lesson, problems


def count_questions(text: str) -> int:
    """Count the question headings of a lesson file, for a summary that counts what was checked.

    Fences are ignored on purpose: in a file with an unclosed fence, the questions it swallowed still count.
    """
    return len(_QUESTION_HEADING_RE.findall(normalize_newlines(text)))


def question_line(text: str, question_id: str) -> int | None:
    """Find the line of a question's '### Title {#id}' heading in a lesson file, for links to its source."""
    text = normalize_newlines(text)
    match = re.search(r"^###[ \t].*\{#" + re.escape(question_id) + r"(?=[\s}])", text, re.MULTILINE)
    return None if match is None else text.count("\n", 0, match.start()) + 1


def check_unchanged_links(text: str, *, path: str, course_dir: Path) -> list[Problem]:
    """Check the links of a lesson known to parse cleanly, on the same lines ``parse_lesson`` checks."""
    if not may_have_links(text):
        return []
    texts = split_lines(normalize_newlines(text))
    start = body_start(texts)
    lines, _ = mark_fences(texts[start:], start + 1, path)
    return sorted(check_links(lines, path, course_dir), key=lambda p: p.line)


def parse_unchanged(lesson: UnchangedLesson) -> Lesson:
    """Parse a lesson skipped as unchanged after all (what is loaded changed meanwhile)."""
    parsed, problems = parse_lesson(lesson.source, path=lesson.path, slug=lesson.slug, position=lesson.position)
    if parsed is None:
        raise ContentError(problems)
    return parsed


def _split_practice(lines: list[Line]) -> tuple[list[Line], list[Line], int | None]:
    """Cut the lines at the '## Practice' heading: (lesson body, question lines, heading line)."""
    for index, line in enumerate(lines):
        found = heading(line)
        if found and found[0] == 2 and _ATTR_LIST_RE.sub("", found[1]).lower() == "practice":
            return lines[:index], lines[index + 1 :], line.number
    return lines, [], None


def _orphan_questions(body: list[Line], path: str) -> list[Problem]:
    """Warn about '### Title {#id}' headings when there is no '## Practice' to make them questions."""
    for line in body:
        found = heading(line)
        if found and found[0] == 3 and _ATTR_LIST_RE.search(found[1]):
            message = (
                "this looks like a question, but the lesson has no '## Practice' heading, so it is "
                "shown as lesson text; add '## Practice' above the first question"
            )
            return [Problem(path, line.number, message, severity="warning")]
    return []
