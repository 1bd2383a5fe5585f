"""Teaching checks: each named rule trips on its fixture, stays quiet on the fixed one, and can be silenced.

Fixtures live in fixtures/checks/: '<rule>-trips.md' (the "before" of docs/authoring.md) and '<rule>-ok.md'
(the "after"); position-cue, which needs a whole course, has folders instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.content import parse_course_dir, parse_lesson
from quizapp.content.checks import CHECK_NAMES, CHECKS
from quizapp.content.checks.near_miss import siblings

FIXTURES = Path(__file__).parent / "fixtures" / "checks"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"

# rule -> the lines its trips fixture is warned at
TRIPS = {
    "length-cue": [15],
    "above-option": [16],
    "letter-reference": [19],
    "giveaway-hint": [19],
    "missing-feedback": [13],
    "missing-solution": [9],
    "two-item-order": [13],
    "near-miss": [13, 13],
    "unmarked-select-all": [16],
    "number-like-text": [13],
}


def problems_of(name: str, text: str | None = None):
    """Parse a fixture (or text given for it), as the checker does: a lesson file, or a course folder."""
    target = FIXTURES / name
    if target.is_dir():
        return parse_course_dir(target)[1]
    lesson, problems = parse_lesson(text if text is not None else target.read_text(), path=name, slug="x")
    assert lesson is not None, [str(p) for p in problems]
    return problems


def fixture(rule: str, kind: str) -> str:
    """Name a rule's fixture: a lesson file, or a course folder for course-wide rules."""
    return f"{rule}-{kind}" if (FIXTURES / f"{rule}-{kind}").is_dir() else f"{rule}-{kind}.md"


@pytest.mark.parametrize("rule", sorted(TRIPS))
def test_rule_trips_at_its_line(rule):
    """The 'before' fixture gets this rule's warnings, at the lines an author must fix, and nothing else."""
    problems = problems_of(fixture(rule, "trips"))
    assert [(p.rule, p.severity) for p in problems] == [(rule, "warning")] * len(TRIPS[rule]), problems
    assert [p.line for p in problems] == TRIPS[rule]
    assert all(f"[{rule}]" in str(p) for p in problems)


@pytest.mark.parametrize("rule", CHECK_NAMES)
def test_fixed_fixture_is_clean(rule):
    """The 'after' fixture of every rule loads with no problem at all."""
    assert problems_of(fixture(rule, "ok")) == []


@pytest.mark.parametrize("rule", CHECK_NAMES)
def test_allow_marker_silences_only_that_rule(rule):
    """'.allow-<rule>' on the heading silences the rule there."""
    target = FIXTURES / fixture(rule, "trips")
    if target.is_dir():
        lesson = target / "01-steps.md"
        original = lesson.read_text()
        try:
            lesson.write_text(re.sub(r"\{#(q\d+)\}", rf"{{#\1 .allow-{rule}}}", original))
            assert problems_of(target.name) == []
        finally:
            lesson.write_text(original)
        return
    text = re.sub(r"\{#([a-z0-9-]+)", rf"{{#\1 .allow-{rule}", target.read_text())
    assert problems_of(target.name, text) == []


def test_every_rule_has_both_fixtures_and_docs():
    """A new rule comes with a trips and an ok fixture and its own entry in the authoring guide."""
    docs = DOCS.read_text(encoding="utf-8")
    section = docs[docs.index("## Teaching checks"):]
    for check in CHECKS:
        assert (FIXTURES / fixture(check.name, "trips")).exists(), check.name
        assert (FIXTURES / fixture(check.name, "ok")).exists(), check.name
        assert f"`{check.name}`" in section, f"docs/authoring.md does not describe {check.name}"
        assert (check.question is None) != (check.course is None), check.name


def test_unknown_allow_is_an_error_listing_the_checks():
    """A typo after '.allow-' would silence nothing: it is an error that names every check."""
    text = (FIXTURES / "length-cue-trips.md").read_text().replace("{#which-file}", "{#which-file .allow-lenght-cue}")
    lesson, problems = parse_lesson(text, path="t.md", slug="t")
    assert lesson is None
    error = next(p for p in problems if p.severity == "error")
    assert error.line == 9 and "unknown check 'lenght-cue'" in error.message
    assert all(name in error.message for name in CHECK_NAMES)


def test_position_cue_counts_the_course_not_one_lesson():
    """Three of five keys at 'b' warn once, at the first, naming where the others are."""
    (problem,) = problems_of("position-cue-trips")
    assert problem.rule == "position-cue" and problem.path.endswith("01-steps.md") and problem.line == 15
    assert "3 of 5 single-choice keys" in problem.message and "01-steps.md:28, 01-steps.md:41" in problem.message


LESSON = "---\ntitle: T\n---\n\n## Practice\n\n"


def select_all(n: int, marks: str) -> str:
    """Write one select-all question whose choices are right ('x') or wrong (' ') in the given order."""
    choices = "".join(f"- [{m}] Choice {n}{i}\n" + ("  > Wrong because.\n" if m == " " else "")
                      for i, m in enumerate(marks))
    return f"### Q{n} {{#q{n} .select-all}}\n\nWhich hold for case {n}?\n\n{choices}\n#### Solution\nS.\n\n"


@pytest.mark.parametrize(("marks", "warned"), [(("xx x", "xxx "), True), (("xx x", " xxx"), False)])
def test_select_all_lists_that_always_open_with_keys(tmp_path, marks, warned):
    """Every select-all list opening with two right choices is a pattern a test-wise learner uses."""
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "course.md").write_text("---\ntitle: C\n---\n")
    (folder / "01-l.md").write_text(LESSON + "".join(select_all(n, m) for n, m in enumerate(marks)))
    course, problems = parse_course_dir(folder)
    assert course is not None, [str(p) for p in problems]
    assert [p.rule for p in problems] == (["position-cue"] if warned else [])


def one_question(answer: str, sections: str = "#### Solution\nS.\n", heading: str = "### Q {#q}") -> str:
    """Build a lesson with one question; its answer block starts on line 9."""
    return f"{LESSON}{heading}\n\nWhat is it?\n\n{answer}\n{sections}"


def rules_of(text: str) -> list[str]:
    """Give the rules that warn about a lesson."""
    lesson, problems = parse_lesson(text, path="t.md", slug="t")
    assert lesson is not None, [str(p) for p in problems]
    return [p.rule for p in problems]


FEEDBACK = "  > Because.\n"


@pytest.mark.parametrize(("solution", "rule"), [
    ("Option b is right.", "letter-reference"),
    ("The answer is (c).", "letter-reference"),
    ("The first option only looks right.", "letter-reference"),
    ("Choice 2 holds.", "letter-reference"),
    ("Option A is wrong.", "letter-reference"),
    ("See the option above.", "letter-reference"),
    ("Call `f(a)` and `g(b)`.", None),
    ("```js\nconst option = (b)\n```", None),
    ("Every option a learner might pick is listed.", None),
    ("`route.ts` answers requests.", None),
])
def test_letter_reference_phrases(solution, rule):
    """Letters and positions in prose are flagged; code and ordinary English are not."""
    text = one_question(f"- [x] One\n- [ ] Two\n{FEEDBACK}", f"#### Solution\n{solution}\n")
    assert rules_of(text) == ([rule] if rule else [])


@pytest.mark.parametrize(("choice", "warned"), [
    ("All of the above", True), ("none of these", True), ("Both a and b", True), ("Neither (a) nor (b)", True),
    ("Above the fold", False), ("None", False),
])
def test_above_option_phrases(choice, warned):
    """'All/none/both of the above' choices are flagged, words merely containing 'above' are not."""
    text = one_question(f"- [x] One\n- [ ] {choice}\n{FEEDBACK}")
    assert rules_of(text) == (["above-option"] if warned else [])


@pytest.mark.parametrize(("answer", "warned"), [
    ("4O5", True), ("1,5", True), ("l0", True), ("1,000", True), ("2O ± 1", True),
    ("v2", False), ("hello", False), ("route.ts", False),
])
def test_number_like_text(answer, warned):
    """An answer that is a number but for look-alike letters or a comma warns; real text does not."""
    rules = rules_of(one_question(f"Answer: {answer}\n"))
    assert ("number-like-text" in rules) == warned
    marked = rules_of(one_question(f"Answer: {answer}\n", heading="### Q {#q .text}"))
    assert "number-like-text" not in marked


def test_length_cue_needs_a_real_gap():
    """'404' against '5' is more than 1.5 times as long, but 2 characters say nothing."""
    assert rules_of(one_question(f"- [x] 404\n- [ ] 5\n{FEEDBACK}")) == []
    long_key = one_question(f"- [x] It runs on the server, always\n- [ ] Client\n{FEEDBACK}")
    assert rules_of(long_key) == ["length-cue"]


@pytest.mark.parametrize(("hint", "answer", "warned"), [
    ("It is literally 'Method Not Allowed'.", "Answer: 405\n", True),
    ("The code is 405.", "Answer: 405\n", True),
    ("Think of the status family for client errors.", "Answer: 405\n", False),
    ("Type `route.ts`.", "Answer: /route\\.ts/\nWrong: route.js\n  > TS.\n", False),
    ("Compare 'One' with 'Two'.", f"- [x] One\n- [ ] Two\n{FEEDBACK}", False),
])
def test_giveaway_hint_cases(hint, answer, warned):
    """A hint naming the answer (a status code by number or name) warns; one comparing options does not."""
    rules = rules_of(one_question(answer, f"#### Hint\n{hint}\n\n#### Solution\nS.\n"))
    assert ("giveaway-hint" in rules) == warned


def test_near_miss_siblings_and_covered_ones():
    """Siblings of a file name are the likely slips; a Wrong: line for them (or a regex key) is enough."""
    assert siblings("route.ts") == ["route.js", "route.tsx", "page.ts", "api.ts"]
    assert siblings("app/page.tsx") == ["app/page.jsx", "app/page.ts", "app/layout.tsx", "app/route.tsx"]
    assert siblings("POST") == []
    wrongs = "".join(f"Wrong: {s}\n  > No.\n" for s in siblings("route.ts"))
    assert rules_of(one_question("Answer: /route\\.ts/\n" + wrongs)) == []
    assert rules_of(one_question("Answer: route.ts\n" + wrongs)) == ["near-miss"]  # only the case one
    assert rules_of(one_question("Answer: useState\n")) == ["near-miss"]
    assert rules_of(one_question("Answer: POST\n")) == []
    assert rules_of(one_question("Answer: Next.js\n")) == []  # a product, not a file


def test_html_in_a_key_is_text_for_the_checks():
    """'`<Link>`' is what the learner reads: the length and giveaway checks see it."""
    key = '`<Link href="/orders">`'
    text = one_question(f"- [x] {key}\n- [ ] `<a>`\n{FEEDBACK}", f"#### Hint\nUse {key}.\n\n#### Solution\nS.\n")
    assert rules_of(text) == ["length-cue", "giveaway-hint"]


def test_empty_solution_has_one_warning_not_two():
    """An empty '#### Solution' is reported as empty; missing-solution is for a question with none at all."""
    lesson, problems = parse_lesson(one_question(f"- [x] One\n- [ ] Two\n{FEEDBACK}", "#### Solution\n\n"),
                                    path="t.md", slug="t")
    assert lesson is not None and [(p.rule, p.line) for p in problems] == [("", 15)]
    assert "'#### Solution' is empty" in problems[0].message
