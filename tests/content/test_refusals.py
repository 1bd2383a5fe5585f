"""Every refusal of the content contract: the exact line and a phrase an author can act on."""

from __future__ import annotations

import pytest

from quizapp.content import parse_lesson

FM = "---\ntitle: T\n---\n"  # lines 1-3
# Lines 1-10 of a one-question lesson; the answer block starts on line 11.
Q = FM + "\n## Practice\n\n### Q {#q}\n\nPrompt?\n\n"
CHOICES = "- [x] right\n- [ ] wrong\n"  # lines 11-12


def question(answer: str, sections: str = "") -> str:
    """Build a one-question lesson whose answer block starts on line 11."""
    return Q + answer + ("\n" + sections if sections else "")


REFUSALS = [
    # front matter
    ("missing front matter", "# Hello\n", 1, "missing front matter"),
    ("front matter fix shown", "Hello\n", 1, "---\ntitle: Your title here\n---"),
    ("front matter never closes", "---\ntitle: T\n\nBody\n", 1, "never closes"),
    (
        "yaml syntax",
        "---\ntitle: T\nsummary: a: b\n---\n",
        3,
        "not valid YAML: mapping values are not allowed",
    ),
    ("yaml unclosed list", "---\ntitle: T\nsummary: [a\n---\n", 3, "not valid YAML"),
    ("front matter not a mapping", "---\n- a\n- b\n---\n", 2, "must be 'key: value' lines"),
    (
        "unknown key",
        "---\ntitle: T\ntitel: x\n---\n",
        3,
        "unknown key 'titel'; known keys: minutes, summary, tags, title",
    ),
    ("unknown key did you mean", "---\ntitle: T\nsumary: x\n---\n", 3, "did you mean 'summary'?"),
    ("minutes wrong type", "---\ntitle: T\nminutes: ten\n---\n", 3, "'minutes' must be a whole number"),
    ("minutes negative", "---\ntitle: T\nminutes: -5\n---\n", 3, "0 or more"),
    ("minutes bool", "---\ntitle: T\nminutes: yes\n---\n", 3, "'minutes' must be a whole number"),
    ("tags wrong type", "---\ntitle: T\ntags: react\n---\n", 3, "'tags' must be a list of words"),
    ("tags items not text", "---\ntitle: T\ntags: [a, [b]]\n---\n", 3, "'tags' must be a list of words"),
    ("title wrong type", "---\ntitle: 12\n---\n", 2, "'title' must be text, but it is a number"),
    ("summary wrong type", "---\ntitle: T\nsummary: [a]\n---\n", 3, "'summary' must be text"),
    ("no title", "---\nsummary: x\n---\n", 1, "front matter has no title"),
    ("empty title", "---\ntitle:\n---\n", 2, "'title' is empty"),
    ("duplicate key", "---\ntitle: T\ntitle: U\n---\n", 3, "key 'title' appears twice (first on line 2)"),
    # structure
    (
        "fence never closes",
        FM + "\nText\n\n```python\n# code\n",
        7,
        "code fence ``` opened here never closes",
    ),
    ("tilde fence never closes", FM + "~~~~\ncode\n~~~\n", 4, "code fence ~~~~ opened here never closes"),
    ("level-2 after practice", Q + CHOICES + "\n## More theory\n", 14, "questions start with '###'"),
    ("level-1 after practice", Q + CHOICES + "\n# Title\n", 14, "below '## Practice'"),
    ("second practice", Q + CHOICES + "\n## Practice\n", 14, "second '## Practice'"),
    (
        "text before first question",
        FM + "\n## Practice\n\nTry these:\n\n### Q {#q}\n\nP?\n\n" + CHOICES,
        7,
        "must belong to a question",
    ),
    (
        "question without id",
        FM + "\n## Practice\n\n### Where does it run?\n\nP?\n\n" + CHOICES,
        7,
        "add one at the end: '### Where does it run? {#where-does-it-run}'",
    ),
    (
        "id not a slug",
        FM + "\n## Practice\n\n### Q {#Bad_Id}\n\nP?\n\n" + CHOICES,
        7,
        "'Bad_Id' is not a slug (lowercase letters, digits and '-'); use {#bad-id}",
    ),
    ("two ids", FM + "\n## Practice\n\n### Q {#a #b}\n\nP?\n\n" + CHOICES, 7, "more than one id"),
    (
        "duplicate question id",
        Q + CHOICES + "\n### Again {#q}\n\nP?\n\n" + CHOICES,
        14,
        "duplicate question id 'q' (first used on line 7)",
    ),
    (
        "unknown heading attribute",
        FM + "\n## Practice\n\n### Q {#q .foo}\n\nP?\n\n" + CHOICES,
        7,
        "unknown heading attribute '.foo'; known: {#id}, .partial-credit, .fixed-order, .select-all, .text and "
        ".allow-<check>",
    ),
    (
        "partial credit on single choice",
        FM + "\n## Practice\n\n### Q {#q .partial-credit}\n\nP?\n\n" + CHOICES,
        7,
        ".partial-credit only applies to select-all questions",
    ),
    (
        "partial credit on text",
        FM + "\n## Practice\n\n### Q {#q .partial-credit}\n\nP?\n\nAnswer: x\n",
        7,
        ".partial-credit only applies",
    ),
    (
        "empty title in heading",
        FM + "\n## Practice\n\n### {#q}\n\nP?\n\n" + CHOICES,
        7,
        "question heading has no title",
    ),
    ("empty prompt", FM + "\n## Practice\n\n### Q {#q}\n\n" + CHOICES, 7, "question has no prompt"),
    # answer blocks
    (
        "no answer block",
        question("Just a paragraph.\n"),
        7,
        "question has no answer block; end the prompt with a choice list",
    ),
    ("no answer block before sections", question("", "#### Hint\nThink.\n"), 7, "no answer block"),
    ("list without boxes", question("- right\n- wrong\n"), 11, "list item has no [ ] or [x]"),
    ("mixed list item", question("- [x] right\n- wrong\n"), 12, "list item has no [ ] or [x]"),
    ("no [x]", question("- [ ] a\n- [ ] b\n"), 11, "no choice is marked correct; mark the right choice"),
    (
        "only [x]",
        question("- [x] a\n- [X] b\n"),
        11,
        "every choice is marked correct; a question needs at least one wrong choice",
    ),
    ("one choice", question("- [x] a\n"), 11, "needs at least 2 choices"),
    ("choice without text", question("- [x]\n- [ ] b\n"), 11, "choice has no text"),
    (
        "choices then Answer",
        question(CHOICES + "Answer: right\n"),
        13,
        "two answer blocks: choices (line 11) and Answer: lines (line 13)",
    ),
    ("Answer then choices", question("Answer: right\n\n" + CHOICES), 11, "two answer blocks"),
    ("two choice lists", question(CHOICES + "\nMore prompt.\n\n" + CHOICES), 11, "two answer blocks"),
    (
        "separated Answer lines",
        question("Answer: a\n\nMore prompt.\n\nAnswer: b\n"),
        11,
        "keep all Answer:/Wrong: lines together",
    ),
    ("empty Answer", question("Answer:\n"), 11, "Answer: line is empty"),
    (
        "bad regex",
        question("Answer: /(/\n"),
        11,
        "regex /(/ is not accepted: missing ): (",
    ),
    ("empty regex", question("Answer: //\n"), 11, "regex // is empty"),
    ("bad regex flag", question("Answer: /a/g\n"), 11, "regex flag 'g' in /a/g is not supported"),
    (
        "range backwards",
        question("Answer: 44..40\n"),
        11,
        "range '44..40' runs backwards; write the low end first, e.g. 40..44",
    ),
    ("malformed range", question("Answer: 40..44..48\n"), 11, "'40..44..48' is not a valid number form"),
    ("malformed tolerance", question("Answer: 42 ± \n"), 11, "is not a valid number form"),
    ("negative tolerance", question("Answer: 42 +- -1\n"), 11, "tolerance in '42 +- -1' is negative"),
    ("number too large", question("Answer: 1e999\n"), 11, "too large"),
    (
        "Wrong in choice question",
        question(CHOICES + "Wrong: other\n  > no\n"),
        13,
        "Wrong: lines belong to text and number questions",
    ),
    (
        "Wrong without feedback",
        question("Answer: 42\nWrong: 41\n"),
        12,
        "Wrong: line has no feedback; add an indented quote",
    ),
    (
        "Wrong not a number",
        question("Answer: 42\nWrong: lots\n  > no\n"),
        12,
        "Wrong: 'lots' is not a number, but this question's answers are numbers",
    ),
    ("Wrong bad regex", question("Answer: yes\nWrong: /[/\n  > no\n"), 12, "is not accepted: missing ]"),
    ("regex backreference (RE2)", question("Answer: /(a)\\1/\n"), 11, "invalid escape sequence: \\1; regexes"),
    ("regex look-ahead (RE2)", question("Answer: /(?=a)a/\n"), 11, "invalid perl operator: (?=; regexes use the RE2"),
    ("regex look-behind (RE2)", question("Wrong: /(?<=a)b/\n  > no\nAnswer: x\n"), 11, "look-around"),
    (
        "Wrong without Answer",
        question("Wrong: 41\n  > no\n"),
        11,
        "Wrong: lines need at least one 'Answer: ...' line",
    ),
    (
        "feedback quote not indented",
        question("- [x] right\n> why\n- [ ] wrong\n"),
        12,
        "feedback quote is not under a choice or Wrong: line; indent it",
    ),
    (
        "feedback quote after Wrong",
        question("Answer: 42\nWrong: 41\n> off by one\n"),
        13,
        "feedback quote is not under a choice or Wrong: line",
    ),
    (
        "feedback under Answer",
        question("Answer: 42\n  > yes\n"),
        12,
        "only choices and Wrong: lines take feedback",
    ),
    ("indented text under Answer", question("Answer: 42\n  and more\n"), 11, "has indented text under it"),
    (
        "text after answer block",
        question(CHOICES + "\nA closing remark.\n"),
        14,
        "text after the answer block",
    ),
    (
        "order duplicate items",
        question("1. a\n2. b\n3. a\n"),
        13,
        "order item appears twice (first on line 11)",
    ),
    ("order one item", question("1. only\n"), 11, "needs at least 2 items"),
    ("numbered choices", question("1. [x] a\n2. [ ] b\n"), 11, "choices use bullets, not numbers"),
    ("order item feedback", question("1. a\n   > no\n2. b\n"), 11, "order items take no feedback"),
    # sections
    (
        "unknown section",
        question(CHOICES, "#### Foo\nx\n"),
        14,
        "unknown section '#### Foo'; known sections: Hint, Solution, Quick check, Common mistakes",
    ),
    (
        "duplicate solution",
        question(CHOICES, "#### Solution\nA\n\n#### Solution\nB\n"),
        17,
        "'#### Solution' appears twice in this question (first on line 14)",
    ),
    (
        "duplicate quick check",
        question(CHOICES, "#### Quick check\nA\n\n#### quick check\nB\n"),
        17,
        "appears twice",
    ),
    (
        "common mistakes not a list",
        question(CHOICES, "#### Common mistakes\nJust prose.\n"),
        15,
        "must be a list; start each mistake with '- '",
    ),
]


@pytest.mark.parametrize(("text", "line", "phrase"), [c[1:] for c in REFUSALS], ids=[c[0] for c in REFUSALS])
def test_refusal(text: str, line: int, phrase: str) -> None:
    """The lesson is refused, with an error on the expected line whose message holds the phrase."""
    lesson, problems = parse_lesson(text, path="t.md", slug="t")
    errors = [p for p in problems if p.severity == "error"]
    assert lesson is None
    assert any(p.line == line and phrase in p.message for p in errors), "\n".join(map(str, problems))


WARNINGS = [
    ("no solution", question(CHOICES), 7, "question has no '#### Solution'"),
    ("empty hint", question(CHOICES, "#### Hint\n\n#### Solution\nS\n"), 14, "'#### Hint' is empty"),
    (
        "longer closing fence",
        FM + "```\ncode\n````\n",
        6,
        "closing fence ```` is longer than the opening ```",
    ),
    ("practice without questions", FM + "\n## Practice\n", 5, "'## Practice' has no questions"),
    ("question without practice", FM + "\n### Q {#q}\n\nP?\n", 5, "no '## Practice' heading"),
]


@pytest.mark.parametrize(("text", "line", "phrase"), [c[1:] for c in WARNINGS], ids=[c[0] for c in WARNINGS])
def test_warning_does_not_refuse(text: str, line: int, phrase: str) -> None:
    """Warnings point at a line but the lesson still loads (CHOICES' wrong choice has no feedback: left out)."""
    lesson, problems = parse_lesson(text, path="t.md", slug="t")
    problems = [p for p in problems if p.rule != "missing-feedback"]
    assert lesson is not None
    assert [p.severity for p in problems] == ["warning"]
    assert problems[0].line == line and phrase in problems[0].message, problems


def test_every_problem_is_reported_not_just_the_first() -> None:
    """An author sees all problems of a file in one pass."""
    text = "---\ntitle: T\ntitel: x\n---\n\n## Practice\n\n### A\n\nP?\n\n- [ ] a\n- [ ] b\n"
    _, problems = parse_lesson(text, path="t.md", slug="t")
    assert [p.line for p in problems if p.severity == "error"] == [3, 8, 12]


def test_problem_str_has_path_line_and_column() -> None:
    """Problems print as path:line[:column]: message, like a compiler."""
    _, problems = parse_lesson("nothing", path="c/01-a.md", slug="a")
    assert str(problems[0]).startswith("c/01-a.md:1: missing front matter")
