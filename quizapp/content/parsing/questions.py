"""The '## Practice' part of a lesson: '### Title {#id}' questions and their '####' sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..checks import CHECK_NAMES
from ..model import ALLOW_PREFIX, MARKERS, ChoiceAnswer, Problem, Question
from .answers import build_answer
from .blocks import BULLET_RE, ORDERED_RE, find_block, line_kind
from .text import Line, heading, is_slug, join, slugify, strip_blank_edges

SECTIONS = {
    "hint": "Hint",
    "solution": "Solution",
    "quick check": "Quick check",
    "common mistakes": "Common mistakes",
}
_ATTRS_RE = re.compile(r"(?P<title>.*?)\s*\{(?P<attrs>[^{}]*)\}\Z")
_KNOWN_ATTRS = "{#id}, " + ", ".join("." + marker for marker in MARKERS) + " and .allow-<check>"
# Question ids that would clash with a lesson's own pages (/courses/<course>/<lesson>/summary, .../next).
RESERVED_IDS = ("next", "summary")
_ALLOW_RE = re.compile(ALLOW_PREFIX + r"[a-z][a-z0-9-]*\Z")


@dataclass
class Chunk:
    """The lines of one question: its heading line and everything up to the next question."""

    heading: Line
    title: str
    lines: list[Line] = field(default_factory=list)


def parse_practice(lines: list[Line], path: str, practice_line: int) -> tuple[list[Question], list[Problem]]:
    """Parse every question below '## Practice', collecting problems from all of them."""
    chunks, problems = _chunks(lines, path)
    questions: list[Question] = []
    first_line: dict[str, int] = {}
    for chunk in chunks:
        question, more = _question(chunk, path)
        problems += more
        if question is None:
            continue
        if question.id in first_line:
            message = (
                f"duplicate question id '{question.id}' (first used on line {first_line[question.id]}); "
                "ids must be unique within a lesson, so rename one"
            )
            problems.append(Problem(path, question.line, message))
            continue
        first_line[question.id] = question.line
        questions.append(question)
    if not chunks:
        problems.append(Problem(path, practice_line, _NO_QUESTIONS, severity="warning"))
    return questions, problems


_NO_QUESTIONS = (
    "'## Practice' has no questions; add one starting with '### Title {#id}' or remove the heading"
)


def _chunks(lines: list[Line], path: str) -> tuple[list[Chunk], list[Problem]]:
    chunks: list[Chunk] = []
    problems: list[Problem] = []
    stray_reported = False
    for line in lines:
        found = heading(line)
        if found and found[0] <= 2:
            problems.append(Problem(path, line.number, _high_heading_message(found)))
        elif found and found[0] == 3:
            chunks.append(Chunk(heading=line, title=found[1]))
        elif chunks:
            chunks[-1].lines.append(line)
        elif not line.blank and not stray_reported:
            stray_reported = True
            message = (
                "text after '## Practice' must belong to a question; start one with "
                "'### Title {#id}' or move this text above '## Practice'"
            )
            problems.append(Problem(path, line.number, message))
    return chunks, problems


def _high_heading_message(found: tuple[int, str]) -> str:
    level, text = found
    if level == 2 and text.lower() == "practice":
        return "second '## Practice' heading; a lesson has one Practice section, so remove this one"
    return (
        f"level-{level} heading '{'#' * level} {text}' below '## Practice': everything below it is "
        "questions, and questions start with '###' (e.g. '### Title {#id}'); move this section "
        "above '## Practice' or make it a question"
    )


def _question(chunk: Chunk, path: str) -> tuple[Question | None, list[Problem]]:
    number = chunk.heading.number
    title, qid, markers, problems = _parse_heading(chunk.title, number, path)
    partial = "partial-credit" in markers
    pre, sections = _split_sections(chunk.lines)
    block = find_block(pre, path, number)
    problems += block.problems
    answer = None
    if block.mode is not None:
        answer, more = build_answer(block, path)
        problems += more
    if not join(block.prompt).strip():
        message = "question has no prompt; write the question between the heading and the answers"
        problems.append(Problem(path, number, message))
    if partial and answer is not None and not (isinstance(answer, ChoiceAnswer) and answer.multiple):
        message = ".partial-credit only applies to select-all questions (two or more [x] choices); remove it"
        problems.append(Problem(path, number, message))
    parts, more = _read_sections(sections, path)
    problems += more
    if any(p.severity == "error" for p in problems) or answer is None or qid is None:
        return None, problems
    if isinstance(answer, ChoiceAnswer):
        answer = ChoiceAnswer(choices=answer.choices, partial_credit=partial)
    answer_lines = tuple(line.number for line in block.lines if line_kind(line) == "answer")
    question = Question(id=qid, title=title, line=number, prompt=join(block.prompt), answer=answer, markers=markers,
                        answer_lines=answer_lines, **parts)
    return question, problems


def _parse_heading(text: str, number: int, path: str) -> tuple[str, str | None, frozenset[str], list[Problem]]:
    """Read '### Title {#id .marker ...}' into title, id and the markers (classes without their dot)."""
    match = _ATTRS_RE.match(text)
    if not match:
        proposal = slugify(text) or "question-id"
        message = f"question heading has no id; add one at the end: '### {text or 'Title'} {{#{proposal}}}'"
        return text, None, frozenset(), [Problem(path, number, message)]
    title, problems = match["title"].strip(), []
    tokens = match["attrs"].split()
    ids = [token[1:] for token in tokens if token.startswith("#")]
    markers = set()
    for token in tokens:
        if token.startswith("#"):
            continue
        name = token[1:] if token.startswith(".") else ""
        if name in MARKERS or (_ALLOW_RE.match(name) and name[len(ALLOW_PREFIX) :] in CHECK_NAMES):
            markers.add(name)
        elif _ALLOW_RE.match(name):
            known = ", ".join(CHECK_NAMES)
            problems.append(Problem(path, number, f"unknown check '{name[len(ALLOW_PREFIX) :]}' in '{token}'; "
                                                  f"the checks you can silence are: {known}"))
        else:
            problems.append(Problem(path, number, f"unknown heading attribute '{token}'; known: {_KNOWN_ATTRS}"))
    markers = frozenset(markers)
    if not title:
        problems.append(
            Problem(path, number, "question heading has no title; write a short title before the {#id}")
        )
    if len(ids) != 1:
        what = "no id" if not ids else "more than one id"
        message = (
            f"question heading has {what}; give it exactly one, e.g. {{#{slugify(title) or 'question-id'}}}"
        )
        return title, None, markers, problems + [Problem(path, number, message)]
    if not is_slug(ids[0]):
        message = (
            f"question id '{ids[0]}' is not a slug (lowercase letters, digits and '-'); "
            f"use {{#{slugify(ids[0]) or slugify(title) or 'question-id'}}}"
        )
        return title, None, markers, problems + [Problem(path, number, message)]
    if ids[0] in RESERVED_IDS:
        message = f"question id '{ids[0]}' is the name of a lesson page; use another, e.g. {{#{ids[0]}-step}}"
        return title, None, markers, problems + [Problem(path, number, message)]
    return title, ids[0], markers, problems


def _split_sections(lines: list[Line]) -> tuple[list[Line], list[tuple[Line, str, list[Line]]]]:
    """Cut a question's lines at its '####' headings."""
    pre: list[Line] = []
    sections: list[tuple[Line, str, list[Line]]] = []
    for line in lines:
        found = heading(line)
        if found and found[0] == 4:
            sections.append((line, found[1], []))
        elif sections:
            sections[-1][2].append(line)
        else:
            pre.append(line)
    return pre, sections


def _read_sections(sections: list[tuple[Line, str, list[Line]]], path: str) -> tuple[dict, list[Problem]]:
    parts: dict = {"hints": (), "solution": "", "quick_check": "", "mistakes": (), "hint_lines": (),
                   "solution_line": 0}
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for line, name, body in sections:
        key = name.strip().lower()
        if key not in SECTIONS:
            known = ", ".join(SECTIONS.values())
            problems.append(
                Problem(path, line.number, f"unknown section '#### {name}'; known sections: {known}")
            )
            continue
        if key in seen and key != "hint":
            message = (
                f"'#### {SECTIONS[key]}' appears twice in this question (first on line {seen[key]}); "
                "merge them"
            )
            problems.append(Problem(path, line.number, message))
            continue
        seen.setdefault(key, line.number)
        if key == "solution":
            parts["solution_line"] = line.number  # even when empty: that is its own warning, just above
        text = join(body)
        if not text:
            message = f"'#### {SECTIONS[key]}' is empty; write it below the heading or remove the heading"
            problems.append(Problem(path, line.number, message, severity="warning"))
        elif key == "hint":
            parts["hints"] += (text,)
            parts["hint_lines"] += (line.number,)
        elif key == "common mistakes":
            parts["mistakes"], more = _mistakes(body, path)
            problems += more
        else:
            parts[key.replace(" ", "_")] = text
    return parts, problems  # a missing Solution is the teaching check 'missing-solution'


def _mistakes(body: list[Line], path: str) -> tuple[tuple[str, ...], list[Problem]]:
    """Read '#### Common mistakes' as a list, one entry per item."""
    items: list[list[str]] = []
    for line in strip_blank_edges(body):
        match = (
            None
            if line.indented or line.code
            else (BULLET_RE.match(line.text) or ORDERED_RE.match(line.text))
        )
        if match:
            items.append([(match["text"] or "").strip()])
        elif items and (line.indented or line.blank):
            items[-1].append(line.text.strip())
        else:
            message = "'#### Common mistakes' must be a list; start each mistake with '- '"
            return (), [Problem(path, line.number, message)]
    return tuple(" ".join(part for part in item if part) for item in items), []
