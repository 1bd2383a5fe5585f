"""Plain data for parsed content: what a course, lesson and question are, before any database.

Everything here is frozen and JSON-friendly so that an answer key can be stored as a snapshot
(``snapshots.answer_to_dict``/``answer_from_dict``) and graded later by ``quizapp.grading`` without Flask.
Markdown fields hold the author's source; ``*_html`` fields are filled by ``render`` once, at load.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
# When a question's solution, quick check and common mistakes are shown (course.md ``reveal:``).
REVEAL_RULES = ("after-second-try", "after-answer", "on-request")
DEFAULT_REVEAL = "after-second-try"
# Heading markers a question may carry besides its {#id} (content format 1.1); '.allow-<check>' too.
MARKERS = ("partial-credit", "fixed-order", "select-all", "text")
ALLOW_PREFIX = "allow-"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, pointing at the line an author must fix."""

    path: str
    line: int
    message: str
    column: int | None = None
    severity: Severity = "error"
    rule: str = ""  # the named check that found it (e.g. 'length-cue'); '' for the format's own rules

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" + (f":{self.column}" if self.column else "")
        tag = "" if self.severity == "error" else f"{self.severity}: "
        named = f" [{self.rule}]" if self.rule else ""
        return f"{where}: {tag}{self.message}{named}"

    def to_dict(self) -> dict:
        """Give the JSON shape of ``content check --format json``."""
        return asdict(self)


class ContentError(Exception):
    """Raised when content cannot be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid content")


# --- answers: one dataclass per kind; ``kind`` is the registry key used by grading ----------


@dataclass(frozen=True)
class Choice:
    """One option of a choice question; ``id`` is a letter by authored position ('a', 'b', ...)."""

    id: str
    text: str  # Markdown (inline)
    correct: bool
    feedback: str = ""  # Markdown: names the mistake behind a wrong choice
    html: str = ""
    feedback_html: str = ""
    line: int = 0  # where the author wrote it (for the checker's messages); not part of the answer key


@dataclass(frozen=True)
class ChoiceAnswer:
    """Single choice (one correct) or select-all-that-apply (several correct)."""

    choices: tuple[Choice, ...]
    partial_credit: bool = False
    kind: Literal["choice"] = "choice"

    @property
    def multiple(self) -> bool:
        """Say whether the learner may pick several choices."""
        return sum(c.correct for c in self.choices) > 1


@dataclass(frozen=True)
class TextPattern:
    """An accepted or anticipated text: a literal (folded) or a full-match regex."""

    raw: str  # as written after 'Answer:' / 'Wrong:'
    regex: str | None = None  # set when raw is /.../ or /.../i
    ignore_case: bool = False  # the regex's i flag (literals always fold case)


@dataclass(frozen=True)
class NumberRange:
    """An accepted or anticipated number: exact (low == high), tolerance or range, inclusive."""

    raw: str
    low: float
    high: float


@dataclass(frozen=True)
class WrongAnswer:
    """An anticipated wrong answer with feedback that names the mistake (``Wrong:`` line)."""

    id: str  # 'w1', 'w2', ... by authored position
    match: TextPattern | NumberRange
    feedback: str = ""
    feedback_html: str = ""
    line: int = 0  # where the author wrote it; not part of the answer key


@dataclass(frozen=True)
class TextAnswer:
    """Free text graded against literals (case and inner whitespace folded) or regexes."""

    accepted: tuple[TextPattern, ...]
    wrong: tuple[WrongAnswer, ...] = ()
    kind: Literal["text"] = "text"


@dataclass(frozen=True)
class NumberAnswer:
    """A number graded against exact values, tolerances or ranges."""

    accepted: tuple[NumberRange, ...]
    wrong: tuple[WrongAnswer, ...] = ()
    kind: Literal["number"] = "number"


@dataclass(frozen=True)
class OrderItem:
    """One item to arrange; ``id`` is opaque (hash of the text) so it never reveals the position."""

    id: str
    text: str
    html: str = ""
    line: int = 0  # where the author wrote it; not part of the answer key


@dataclass(frozen=True)
class OrderAnswer:
    """Items listed in the correct order; shown shuffled."""

    items: tuple[OrderItem, ...]
    kind: Literal["order"] = "order"


Answer = ChoiceAnswer | TextAnswer | NumberAnswer | OrderAnswer


# --- the documents ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A practice question; ``id`` is stable across edits and is what progress hangs on."""

    id: str
    title: str
    line: int
    prompt: str  # Markdown
    answer: Answer
    hints: tuple[str, ...] = ()  # Markdown each, revealed one at a time
    solution: str = ""
    quick_check: str = ""
    mistakes: tuple[str, ...] = ()  # Markdown list items of "Common mistakes"
    prompt_html: str = ""
    hints_html: tuple[str, ...] = ()
    solution_html: str = ""
    quick_check_html: str = ""
    mistakes_html: tuple[str, ...] = ()
    markers: frozenset[str] = frozenset()  # heading classes without the dot, e.g. {'fixed-order'}
    hint_lines: tuple[int, ...] = ()  # the line of each '#### Hint' heading
    solution_line: int = 0  # the line of '#### Solution' (0: none)
    answer_lines: tuple[int, ...] = ()  # the line of each 'Answer:' line, in the order of answer.accepted

    @property
    def fixed_order(self) -> bool:
        """Say whether choices keep their authored order ('.fixed-order') instead of a per-learner shuffle."""
        return "fixed-order" in self.markers

    def allows(self, check: str) -> bool:
        """Say whether the author silenced the named teaching check here ('.allow-<check>')."""
        return ALLOW_PREFIX + check in self.markers


@dataclass(frozen=True)
class Lesson:
    """One lesson file: front matter, rendered body and its practice questions."""

    slug: str
    title: str
    path: str  # as given to the parser, used in problems
    source: str  # the whole file text, kept for export and in-browser editing
    body: str  # Markdown between front matter and '## Practice'
    position: int | None = None  # the optional leading number of the file name
    summary: str = ""
    tags: tuple[str, ...] = ()
    minutes: int | None = None
    questions: tuple[Question, ...] = ()
    body_html: str = ""
    warned: bool = False  # the checker had warnings: a loader never skips parsing such a file


@dataclass(frozen=True)
class UnchangedLesson:
    """A lesson file already loaded exactly as it is and without warnings: link-checked, not parsed.

    Its links are checked again because they depend on other files, which may have gone.
    """

    slug: str
    path: str
    source: str  # the whole file text, newlines normalised as in Lesson.source
    position: int | None = None


@dataclass(frozen=True)
class Asset:
    """A file under a course's assets/ folder, stored so that app hosts need no shared disk."""

    path: str  # relative to the course folder, e.g. 'assets/flow.svg'
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Course:
    """One course folder: course.md, its lessons in order, and its assets."""

    slug: str
    title: str
    path: str
    source: str  # course.md text
    intro: str  # Markdown after the front matter
    summary: str = ""
    order: int | None = None
    lessons: tuple[Lesson | UnchangedLesson, ...] = ()  # Unchanged only when the parser was told what is loaded
    assets: tuple[Asset, ...] = ()
    intro_html: str = ""
    reveal: str = DEFAULT_REVEAL  # one of REVEAL_RULES
