"""Good paths: every answer kind, every section, and the structure around them."""

from __future__ import annotations

import hashlib
import textwrap

import pytest

from quizapp.content import (
    ChoiceAnswer,
    Lesson,
    NumberAnswer,
    NumberRange,
    OrderAnswer,
    Question,
    TextAnswer,
    TextPattern,
    new_lesson_markdown,
    parse_lesson,
    slug_from_filename,
)

FM = "---\ntitle: T\n---\n"


def parse_ok(text: str) -> Lesson:
    """Parse text that must load with no problems at all but teaching checks (test_teaching_checks.py)."""
    lesson, all_problems = parse_lesson(textwrap.dedent(text), path="t.md", slug="t")
    problems = [p for p in all_problems if not p.rule]
    assert problems == [] and lesson is not None, "\n".join(map(str, problems))
    return lesson


def one_question(answer: str, prompt: str = "Prompt?") -> Question:
    """Parse a lesson holding one question with a solution, and return the question."""
    lesson = parse_ok(f"{FM}\n## Practice\n\n### Q {{#q}}\n\n{prompt}\n\n{answer}\n#### Solution\nS\n")
    (question,) = lesson.questions
    return question


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("01-route-handlers.md", (1, "route-handlers")),
        ("intro.md", (None, "intro")),
        ("10_hooks.md", (10, "hooks")),
        ("2fa.md", (None, "2fa")),
        ("007-x.md", (7, "x")),
    ],
)
def test_slug_from_filename(name: str, expected: tuple[int | None, str]) -> None:
    """The leading number orders lessons and is not part of the slug."""
    assert slug_from_filename(name) == expected


def test_front_matter_values() -> None:
    """All lesson keys are read with their types."""
    lesson = parse_ok(
        "---\ntitle: Hooks\nsummary: State in functions\ntags: [react, hooks]\nminutes: 12\n---\nBody\n"
    )
    assert (lesson.title, lesson.summary, lesson.tags, lesson.minutes) == (
        "Hooks",
        "State in functions",
        ("react", "hooks"),
        12,
    )
    assert lesson.body == "Body" and lesson.questions == () and lesson.slug == "t"


def test_crlf_and_bom_are_accepted() -> None:
    """Files saved on Windows load with the same line numbers."""
    lesson = parse_ok("\ufeff---\r\ntitle: T\r\n---\r\nBody\r\n")
    assert lesson.body == "Body"


def test_contract_example_parses() -> None:
    """The example from the content contract loads cleanly."""
    question = one_question(
        "- [ ] In the browser\n  > A client component may *call* it, but the body stays on the server:"
        " the call\n  > travels over the network.\n- [x] On the server\n- [ ] On whichever side\n"
        "  > Import order does not move code.\n",
        prompt="You write:\n\n```ts\n'use server'\n# not a heading\n- [x] not a choice\n```\n\nWhere?",
    )
    answer = question.answer
    assert isinstance(answer, ChoiceAnswer) and not answer.multiple
    assert [c.id for c in answer.choices] == ["a", "b", "c"]
    assert [c.correct for c in answer.choices] == [False, True, False]
    assert answer.choices[0].feedback == (
        "A client component may *call* it, but the body stays on the server: the call\n"
        "travels over the network."
    )
    assert answer.choices[1].feedback == ""
    assert "# not a heading" in question.prompt and question.prompt.endswith("Where?")


def test_select_all_with_partial_credit_and_star_bullets() -> None:
    """Several [x] make select-all; .partial-credit turns on partial credit."""
    lesson = parse_ok(
        f"{FM}\n## Practice\n\n### Pick all {{#pick-all .partial-credit}}\n\nP?\n\n"
        "* [X] a\n* [x] b\n* [ ] c\n\n#### Solution\nS\n"
    )
    answer = lesson.questions[0].answer
    assert isinstance(answer, ChoiceAnswer) and answer.multiple and answer.partial_credit
    assert lesson.questions[0].title == "Pick all"


def test_multi_line_choice_and_feedback_paragraphs() -> None:
    """Indented non-quote lines continue the choice text; quote paragraphs stay paragraphs."""
    answer = one_question("- [x] first line\n  second line\n- [ ] wrong\n  > one\n  >\n  > two\n").answer
    assert isinstance(answer, ChoiceAnswer)
    assert answer.choices[0].text == "first line\nsecond line"
    assert answer.choices[1].feedback == "one\n\ntwo"


def test_text_answers_with_regex_and_wrong() -> None:
    """Answer: literals and /regex/i, Wrong: lines with feedback and ids w1, w2."""
    answer = one_question(
        "Answer: route.ts\nAnswer: /route\\.(ts|js)/i\n"
        "Wrong: page.ts\n  > That renders a page.\nWrong: /layout.*/\n  > Layouts wrap.\n"
    ).answer
    assert isinstance(answer, TextAnswer)
    assert answer.accepted == (
        TextPattern(raw="route.ts"),
        TextPattern(raw="/route\\.(ts|js)/i", regex="route\\.(ts|js)", ignore_case=True),
    )
    assert [(w.id, w.feedback) for w in answer.wrong] == [
        ("w1", "That renders a page."),
        ("w2", "Layouts wrap."),
    ]
    assert answer.wrong[1].match.regex == "layout.*"


def test_mixed_number_and_words_is_a_text_question() -> None:
    """Only when every Answer: is a number form does the question become a number question."""
    answer = one_question("Answer: 42\nAnswer: forty-two\n").answer
    assert isinstance(answer, TextAnswer) and [p.raw for p in answer.accepted] == ["42", "forty-two"]


@pytest.mark.parametrize(
    ("raw", "low", "high"),
    [
        ("42", 42, 42),
        ("42 ± 0.5", 41.5, 42.5),
        ("42 +- 0.5", 41.5, 42.5),
        ("40..44", 40, 44),
        ("-1.5e3", -1500, -1500),
        ("-3 .. -1", -3, -1),
        (".5", 0.5, 0.5),
    ],
)
def test_number_forms(raw: str, low: float, high: float) -> None:
    """Exact values, tolerances and ranges, with decimals, negatives and exponents."""
    answer = one_question(f"Answer: {raw}\n").answer
    assert isinstance(answer, NumberAnswer)
    assert answer.accepted == (NumberRange(raw=raw, low=low, high=high),)


def test_number_wrong_answers() -> None:
    """Wrong: values of a number question are number forms too."""
    answer = one_question("Answer: 42\nWrong: 41\n  > Off by one.\nWrong: 0..10\n  > Far too small.\n").answer
    assert isinstance(answer, NumberAnswer)
    assert [(w.id, w.match.low, w.match.high) for w in answer.wrong] == [("w1", 41, 41), ("w2", 0, 10)]


def test_prompt_list_before_answer_lines_stays_in_prompt() -> None:
    """The answer block is the last run of Answer: lines; an earlier list belongs to the prompt."""
    question = one_question("Answer: 3\n", prompt="Steps:\n\n1. one\n2. two\n- note\n\nHow many?")
    assert isinstance(question.answer, NumberAnswer) and "1. one" in question.prompt


def test_order_question() -> None:
    """A numbered list is an order question; ids hash the text and never reveal positions."""
    answer = one_question("1. Parse\n2. Check\n   everything\n3. Sync\n").answer
    assert isinstance(answer, OrderAnswer)
    assert [i.text for i in answer.items] == ["Parse", "Check\neverything", "Sync"]
    assert answer.items[0].id == hashlib.sha1(b"Parse").hexdigest()[:8]


def test_every_section() -> None:
    """Hints keep their order; sections are matched case-insensitively."""
    lesson = parse_ok(
        f"""{FM}
## practice {{#practice}}

### Q {{#q}}

P?

- [x] a
- [ ] b

#### HINT
First hint.

#### Hint
Second hint.

#### Solution
1. Step one.
2. Step two.

#### Quick check
One line.

#### Common mistakes
- Mistake one
  continued
- Mistake two
"""
    )
    question = lesson.questions[0]
    assert question.hints == ("First hint.", "Second hint.")
    assert question.solution == "1. Step one.\n2. Step two."
    assert question.quick_check == "One line."
    assert question.mistakes == ("Mistake one continued", "Mistake two")


def test_questions_keep_order_lines_and_position() -> None:
    """Questions keep their authored order and heading line; position is passed through."""
    text = (
        f"{FM}Body\n\n## Practice\n\n### A {{#a}}\n\nP?\n\nAnswer: x\n\n#### Solution\nS\n\n"
        "### B {#b}\n\nP?\n\nAnswer: y\n\n#### Solution\nS\n"
    )
    lesson, problems = parse_lesson(text, path="t.md", slug="t", position=3)
    assert problems == [] and lesson is not None
    assert [(q.id, q.line) for q in lesson.questions] == [("a", 8), ("b", 17)]
    assert lesson.position == 3 and lesson.body == "Body" and lesson.source == text


def test_hash_lines_in_fences_never_split_the_lesson() -> None:
    """'## Practice' or '### x' inside a fence is code, in the body and in prompts."""
    lesson = parse_ok(f"{FM}```md\n## Practice\n### Q\n```\n\n~~~\n#### Hint\n~~~\n")
    assert lesson.questions == () and "## Practice" in lesson.body


def test_scaffold_parses_without_problems() -> None:
    """A new lesson starts from a file that loads, with one example of every part."""
    lesson = parse_ok(new_lesson_markdown("Route: handlers"))
    (question,) = lesson.questions
    assert lesson.title == "Route: handlers"
    assert question.hints and question.solution and question.quick_check and question.mistakes
    assert any(c.feedback for c in question.answer.choices)  # type: ignore[union-attr]
    assert "```python" in lesson.body
