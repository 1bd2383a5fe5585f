"""Import Moodle GIFT question banks as one lesson file in our Markdown format.

The output is plain Markdown an author then edits; every question is checked with our own parser
before it is written, so an import never produces a file the loader refuses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from .checks import check_question
from .model import Problem
from .parsing.limits import check_nesting
from .parsing.questions import parse_practice
from .parsing.text import mark_fences, slugify, split_lines
from .parsing.values import ValueProblem, parse_number

_ESCAPES = {
    "\\~": "\ue000",
    "\\=": "\ue001",
    "\\#": "\ue002",
    "\\{": "\ue003",
    "\\}": "\ue004",
    "\\:": "\ue005",
}
_RESTORE = {v: k[1] for k, v in _ESCAPES.items()}
_TITLE_RE = re.compile(r"\s*::(?P<title>.*?)::", re.DOTALL)
_FORMAT_RE = re.compile(r"\s*\[(?:markdown|html|plain|moodle)\]", re.IGNORECASE)
_TRUE_FALSE_RE = re.compile(
    r"(?P<value>T|F|TRUE|FALSE)\s*(?:#(?P<wrong>[^#]*))?(?:#(?P<right>[^#]*))?", re.IGNORECASE
)
_ITEM_RE = re.compile(r"(?P<mark>[=~])\s*(?:%(?P<weight>-?\d+(?:\.\d+)?)%)?(?P<body>[^=~]*)")
_HEADER = "---\ntitle: {title}\nsummary: Imported from a Moodle GIFT file.\n---\n\n"
_INTRO = (
    "These questions were imported from a Moodle GIFT file. Replace this paragraph with the "
    "explanation a learner should read before practising.\n\n## Practice\n"
)


@dataclass
class GiftAnswer:
    """One '=' or '~' entry inside a GIFT answer block."""

    mark: str
    correct: bool
    text: str
    feedback: str
    weight: float | None


def gift_to_markdown(text: str, *, title: str, path: str = "<gift>") -> tuple[str, list[Problem]]:
    """Convert GIFT text into one lesson file; questions our format cannot hold become warnings."""
    problems: list[Problem] = []
    sections: list[str] = []
    used: dict[str, int] = {}
    for line, chunk in _chunks(text):
        markdown, message = _question(chunk, used)
        if message:
            problems.append(
                Problem(path, line, f"{message}; skipped: {_first_line(chunk)}", severity="warning")
            )
            continue
        check, warnings = _check(markdown, path)
        if check:
            problems.append(
                Problem(
                    path,
                    line,
                    f"skipped, it would not load: {check}: {_first_line(chunk)}",
                    severity="warning",
                )
            )
            continue
        heading = markdown.split("\n", 1)[0].removeprefix("### ")
        problems += [replace(w, path=path, line=line, message=f"{heading}: {w.message}") for w in warnings]
        sections.append(markdown)
    head = _HEADER.format(
        title=json.dumps(" ".join(title.split()) or "Imported questions", ensure_ascii=False)
    )
    return head + _INTRO + "".join("\n" + s for s in sections), problems


def _chunks(text: str) -> list[tuple[int, str]]:
    """Split on blank lines, dropping '//' comments and $CATEGORY lines; keep each start line."""
    chunks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    lines = text.replace("\r\n", "\n").removeprefix("\ufeff").split("\n")
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("//") or stripped.startswith("$CATEGORY:"):
            continue
        if not stripped:
            if current:
                chunks.append((start, "\n".join(current)))
            current = []
            continue
        start = start if current else number
        current.append(line)
    if current:
        chunks.append((start, "\n".join(current)))
    return chunks


def _first_line(chunk: str) -> str:
    return chunk.strip().splitlines()[0][:80]


def _protect(text: str) -> str:
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text.replace("\\n", "\n")


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(char, char) for char in text).strip()


def _question(chunk: str, used: dict[str, int]) -> tuple[str, str | None]:
    """Return (markdown, None) or ("", why it cannot be imported)."""
    text = _protect(chunk)
    title = ""
    if match := _TITLE_RE.match(text):
        title, text = match["title"], text[match.end() :]
    text = _FORMAT_RE.sub("", text, count=1)
    opening = text.find("{")
    closing = text.find("}", opening + 1)
    if opening < 0:
        return "", "no answer block {...} (a GIFT description has nothing to answer)"
    if closing < 0:
        return "", "the answer block '{' never closes"
    before, inner, after = text[:opening].strip(), text[opening + 1 : closing], text[closing + 1 :].strip()
    prompt = _restore(before + (" \\_\\_\\_\\_\\_ " + after if after else ""))
    answer_md, general, message = _answer(inner)
    if message:
        return "", message
    if not prompt:
        return "", "the question has no text"
    title = _title(_restore(title) or prompt)
    qid = _unique(slugify(title)[:40].strip("-") or "question", used)
    attrs = f"#{qid} .partial-credit" if _partial_credit(answer_md, inner) else f"#{qid}"
    parts = [f"### {title} {{{attrs}}}\n", _safe_prompt(prompt) + "\n", answer_md]
    if general:
        parts.append(f"#### Solution\n{general}\n")
    return "\n".join(parts), None


def _answer(inner: str) -> tuple[str, str, str | None]:
    """Return (answer block markdown, general feedback, why it cannot be imported)."""
    inner, _, general = inner.partition("####")
    body = inner.strip()
    if not body:
        return "", "", "essay questions (an empty {}) have no answer key in our format"
    if match := _TRUE_FALSE_RE.fullmatch(body):
        return _true_false(match), _restore(general), None
    if "->" in body:
        return "", "", "matching questions are not supported by our format"
    if body.startswith("#"):
        block, message = _numerical(body[1:])
        return block, _restore(general), message
    answers = _answers(body)
    if not answers:
        return "", "", "the answer block has no '=' or '~' answers"
    if all(a.mark == "=" for a in answers):
        return "".join(f"Answer: {_one_line(a.text)}\n" for a in answers), _restore(general), None
    return _choices(answers), _restore(general), None


def _answers(body: str) -> list[GiftAnswer]:
    answers = []
    for match in _ITEM_RE.finditer(body):
        text, _, feedback = match["body"].partition("#")
        weight = float(match["weight"]) if match["weight"] else None
        correct = weight > 0 if weight is not None else match["mark"] == "="
        answers.append(GiftAnswer(match["mark"], correct, _restore(text), _restore(feedback), weight))
    return answers


def _true_false(match: re.Match[str]) -> str:
    truth = match["value"].upper().startswith("T")
    wrong, right = _restore(match["wrong"] or ""), _restore(match["right"] or "")
    return _choice_md(truth, "True", right if truth else wrong) + _choice_md(
        not truth, "False", wrong if truth else right
    )


def _choices(answers: list[GiftAnswer]) -> str:
    return "".join(_choice_md(a.correct, a.text, a.feedback) for a in answers)


def _partial_credit(answers_md: str, inner: str) -> bool:
    """GIFT weights like ~%50% on several right answers mean partial credit, our '.partial-credit'."""
    weights = [float(w) for w in re.findall(r"[=~]\s*%(-?\d+(?:\.\d+)?)%", inner)]
    return answers_md.count("- [x]") > 1 and any(0 < w < 100 for w in weights)


def _choice_md(correct: bool, text: str, feedback: str) -> str:
    line = f"- [{'x' if correct else ' '}] {_one_line(text)}\n"
    return line + "".join(f"  > {part}\n" for part in feedback.splitlines() if feedback.strip())


def _numerical(body: str) -> tuple[str, str | None]:
    if not re.search(r"[=~]", body):
        body = "=" + body
    lines = []
    for item in _answers(body):
        value = _number_form(item.text)
        if value is None:
            return "", f"numerical answer '{item.text}' is not a number, tolerance or range"
        if item.correct:
            lines.append(f"Answer: {value}\n")
        elif item.feedback:
            lines.append(
                f"Wrong: {value}\n" + "".join(f"  > {part}\n" for part in item.feedback.splitlines())
            )
    return "".join(lines), None


def _number_form(text: str) -> str | None:
    value, _, tolerance = text.partition(":")
    form = f"{value.strip()} ± {tolerance.strip()}" if tolerance else value.strip()
    try:
        return form if parse_number(form) else None
    except ValueProblem:
        return None


def _title(text: str) -> str:
    words = re.sub(r"[{}#`*_\[\]<>]", " ", text).split()
    short = " ".join(words[:8])
    return short + ("..." if len(words) > 8 else "") or "Question"


def _unique(slug: str, used: dict[str, int]) -> str:
    """Give slug, or slug-2, slug-3, ...: ``used`` maps each id given to the next number to try after it,
    so 20,000 questions of one title take 20,000 steps, not 200 million (review M7)."""
    candidate, n = slug, used.get(slug, 2)
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used[slug] = n
    used.setdefault(candidate, 2)
    return candidate


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _safe_prompt(text: str) -> str:
    """Keep prompt lines from reading as our structure: headings and Answer:/Wrong: lines."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            line = "\\" + line
        elif re.match(r"(answer|wrong):", line, re.IGNORECASE):
            line = f"&#{ord(line[0])};{line[1:]}"
        lines.append(line)
    return "\n".join(lines)


def _check(markdown: str, path: str) -> tuple[str | None, list[Problem]]:
    """Parse one converted question on its own, as a lesson's practice section; give its first error, if any,
    and its teaching checks.

    The lesson's front matter is left out: it is the same for every question, and YAML cost more than the
    rest of the check (20,000 questions took seconds)."""
    lines, problems = mark_fences(split_lines(markdown), 1, path)
    questions, more = parse_practice(lines, path, 0)
    errors = [p.message for p in problems + more + check_nesting(lines, path) if p.severity == "error"]
    return (errors[0] if errors else None), [p for q in questions for p in check_question(q, path)]
