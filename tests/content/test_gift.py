"""GIFT import: every supported question type lands in our format and loads cleanly."""

from __future__ import annotations

from quizapp.content import (
    ChoiceAnswer,
    Lesson,
    NumberAnswer,
    NumberRange,
    TextAnswer,
    gift_to_markdown,
    parse_lesson,
)

BANK = r"""// Imported from Moodle
$CATEGORY: $course$/Geography

::Capital::[markdown]What is the capital of **France**? {
  =Paris#Right, Paris.
  ~Lyon#Lyon is the third city, not the capital.
  ~Marseille
  ####Paris has been the capital since 987.
}

::Sun::The sun is a star. {T#It is: a G-type star.#Correct.}

::Earth flat::The earth is flat. {FALSE}

Who wrote Hamlet? {=Shakespeare =William Shakespeare}

::Sum:: What is 2 + 2? {#4}

::Pi:: Pi to two places? {#3.14:0.005}

::Year:: When did it happen? {#1990..1995}

::Guess:: Pick a number near 42. {#=42 ~41#Off by one. ~7}

::Primes:: Which are prime? {~%50%2 ~%50%3 ~%-100%4#4 \= 2 × 2}

::Escapes:: Is 1 \= 1 \{really\}\: yes? {=yes \# sure ~no#it is \~ equal}

::Match:: Match them {=cat -> meow =dog -> woof}

::Essay:: Write about it. {}

::Blank:: The {=cat ~dog} sat on the mat.

::Same:: Same title. {=a ~b}

::Same:: Same title. {=a ~b}
"""


def convert() -> tuple[Lesson, list]:
    """Convert the bank and parse the result with the real parser."""
    markdown, problems = gift_to_markdown(BANK, title="Geography")
    lesson, parse_problems = parse_lesson(markdown, path="geo.md", slug="geo")
    assert lesson is not None, "\n".join(map(str, parse_problems)) + "\n" + markdown
    assert [p for p in parse_problems if p.severity == "error"] == []
    return lesson, problems


def by_id(lesson: Lesson) -> dict:
    """Index questions by id."""
    return {q.id: q for q in lesson.questions}


def test_converted_file_parses_cleanly() -> None:
    """The output is one lesson in our format with front matter and a Practice section."""
    lesson, _ = convert()
    assert lesson.title == "Geography" and "imported" in lesson.body
    assert list(by_id(lesson)) == [
        "capital", "sun", "earth-flat", "who-wrote-hamlet", "sum", "pi", "year", "guess",
        "primes", "escapes", "blank", "same", "same-2",
    ]  # fmt: skip


def test_multiple_choice_with_feedback_and_general_feedback() -> None:
    """= and ~ become [x] and [ ]; #feedback becomes the quote; #### becomes the Solution."""
    question = by_id(convert()[0])["capital"]
    answer = question.answer
    assert isinstance(answer, ChoiceAnswer)
    assert [(c.text, c.correct, c.feedback) for c in answer.choices] == [
        ("Paris", True, "Right, Paris."),
        ("Lyon", False, "Lyon is the third city, not the capital."),
        ("Marseille", False, ""),
    ]
    assert question.prompt == "What is the capital of **France**?"
    assert question.solution == "Paris has been the capital since 987."


def test_true_false() -> None:
    """{T#wrong#right}: the first feedback is for a wrong pick, the second for a right one."""
    questions = by_id(convert()[0])
    sun, flat = questions["sun"].answer, questions["earth-flat"].answer
    assert [(c.text, c.correct, c.feedback) for c in sun.choices] == [  # type: ignore[union-attr]
        ("True", True, "Correct."),
        ("False", False, "It is: a G-type star."),
    ]
    assert [c.correct for c in flat.choices] == [False, True]  # type: ignore[union-attr]


def test_short_answer_and_numerical() -> None:
    """{=a =b} is text; {#4}, {#3.14:0.005}, {#1990..1995} are numbers; ~ with feedback is Wrong:."""
    questions = by_id(convert()[0])
    hamlet = questions["who-wrote-hamlet"].answer
    assert isinstance(hamlet, TextAnswer) and [p.raw for p in hamlet.accepted] == [
        "Shakespeare",
        "William Shakespeare",
    ]
    assert questions["sum"].answer.accepted == (NumberRange("4", 4, 4),)  # type: ignore[union-attr]
    pi = questions["pi"].answer.accepted[0]  # type: ignore[union-attr]
    assert pi.raw == "3.14 ± 0.005" and round(pi.low, 3) == 3.135
    assert questions["year"].answer.accepted == (NumberRange("1990..1995", 1990, 1995),)  # type: ignore[union-attr]
    guess = questions["guess"].answer
    assert isinstance(guess, NumberAnswer)
    assert [(w.match.raw, w.feedback) for w in guess.wrong] == [("41", "Off by one.")]


def test_weights_make_select_all_with_partial_credit() -> None:
    """Positive %weights are right answers; split weights mean partial credit."""
    answer = by_id(convert()[0])["primes"].answer
    assert isinstance(answer, ChoiceAnswer) and answer.multiple and answer.partial_credit
    assert answer.choices[2].feedback == "4 = 2 × 2"


def test_escapes_and_blanks() -> None:
    """\\= \\{ \\} \\: \\# \\~ become literal characters; a mid-text answer becomes a blank."""
    questions = by_id(convert()[0])
    escapes = questions["escapes"]
    assert escapes.prompt == "Is 1 = 1 {really}: yes?"
    assert [(c.text, c.feedback) for c in escapes.answer.choices] == [
        ("yes # sure", ""),
        ("no", "it is ~ equal"),
    ]  # type: ignore[union-attr]
    assert questions["blank"].prompt == "The \\_\\_\\_\\_\\_ sat on the mat."


def test_unsupported_questions_are_warnings_with_the_gift_line() -> None:
    """Matching and essay questions are skipped and reported where they are in the GIFT file."""
    _, all_problems = convert()
    problems = [p for p in all_problems if not p.rule]  # teaching checks: see test_teaching_checks_run_on_imports
    assert [(p.line, p.severity) for p in problems] == [(29, "warning"), (31, "warning")]
    assert (
        "matching questions are not supported" in problems[0].message and "::Match::" in problems[0].message
    )
    assert "essay" in problems[1].message


def test_question_our_format_refuses_is_skipped() -> None:
    """A GIFT question with no right answer would not load, so it is reported, not written."""
    markdown, problems = gift_to_markdown("Pick one {~a ~b}\n\nOk? {=y ~n}", title="T")
    lesson, _ = parse_lesson(markdown, path="t.md", slug="t")
    assert lesson is not None and [q.id for q in lesson.questions] == ["ok"]
    assert problems[0].line == 1 and "no choice is marked correct" in problems[0].message


def test_teaching_checks_run_on_imports() -> None:
    """What an import brings in is checked like any question: each warning at its GIFT line, with its rule."""
    gift = "::Cue:: Which? {\n=It runs on the server, whoever calls it#Yes.\n~Client#No.\n####Because.\n}\n\n" \
           "::Bare:: Pick {=y ~n#No.}\n"
    _, problems = gift_to_markdown(gift, title="T")
    assert [(p.line, p.rule, p.severity) for p in problems] == [
        (1, "length-cue", "warning"), (7, "missing-solution", "warning")]
    assert problems[0].message.startswith("Cue {#cue}: the right choice is")


def test_prompt_lines_that_look_like_our_syntax_are_neutralised() -> None:
    """A GIFT prompt starting 'Answer:' or '#' stays prompt text."""
    markdown, problems = gift_to_markdown("::A::Answer: what?\n# not a heading\n{=x ~y}", title="T")
    lesson, parse_problems = parse_lesson(markdown, path="t.md", slug="t")
    assert [p for p in problems if not p.rule] == [] and lesson is not None, parse_problems
    assert len(lesson.questions) == 1
