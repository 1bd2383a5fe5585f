"""`quizapp content check`: teaching checks in text and JSON, --strict, the summary, and the silent gaps it closes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from quizapp.content import parse_lesson
from quizapp.content.checks import CHECK_NAMES

FIXTURES = Path(__file__).parent / "fixtures" / "checks"
FM = "---\ntitle: T\n---\n"


@pytest.fixture
def course(tmp_path):
    """A writable copy of the course whose keys bunch at 'b' (one position-cue warning)."""
    folder = tmp_path / "content" / "steps"
    shutil.copytree(FIXTURES / "position-cue-trips", folder)
    return folder


def check(runner, *args):
    """Run the checker; give (exit code, stdout, stderr)."""
    result = runner.invoke(args=["content", "check", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_clean_course_summary_is_singular_where_it_should_be(runner):
    """One course and one lesson read as such: '1 course, 1 lesson, 5 questions checked: no errors.'"""
    code, out, err = check(runner, FIXTURES / "position-cue-ok")
    assert (code, err) == (0, "")
    assert out.strip() == "1 course, 1 lesson, 5 questions checked: no errors."


def test_teaching_warning_is_named_and_strict_makes_it_an_error(runner, course):
    """A warning exits 0 and names its rule; --strict exits 1 and counts it as an error."""
    code, out, err = check(runner, course)
    assert code == 0
    assert "01-steps.md:15: warning: 3 of 5 single-choice keys" in err and err.rstrip().endswith("[position-cue]")
    assert out.strip() == "1 course, 1 lesson, 5 questions checked: no errors, 1 warning."
    code, out, err = check(runner, "--strict", course)
    assert code == 1
    assert "warning:" not in err and "[position-cue]" in err
    assert out.strip() == "1 course, 1 lesson, 5 questions checked: 1 error."


def test_json_carries_the_rule(runner, course):
    """Each problem in --format json has its rule; --strict turns its severity into error."""
    (problem,) = json.loads(check(runner, "--format", "json", course)[1])
    assert (problem["rule"], problem["severity"], problem["line"]) == ("position-cue", "warning", 15)
    assert problem["file"].endswith("01-steps.md")
    code, out, _ = check(runner, "--format", "json", "--strict", course)
    assert code == 1 and [p["severity"] for p in json.loads(out)] == ["error"]


def test_summary_counts_what_was_checked_when_a_file_has_errors(runner, course):
    """A course with an error is still counted: its lessons and their questions were checked."""
    (course / "02-broken.md").write_text(FM + "\n## Practice\n\n### No answer {#q}\n\nWhat?\n")
    code, out, err = check(runner, course.parent)
    assert code == 1 and "02-broken.md:7: question has no answer block" in err
    assert out.strip() == "1 course, 2 lessons, 6 questions checked: 1 error."


UNCLOSED = FM + """
Text.

```ts
const a = 1;

More text that should have been prose.

```js
const b = 2;
```

## Practice

### Q {#q}

What?

- [x] One
- [ ] Two
  > Because.

#### Solution
S.
"""


def test_unclosed_fence_is_an_error_at_its_line_not_advice_about_practice(runner, tmp_path):
    """A fence that loses its closing line swallows '## Practice': the author sees the fence, at its line."""
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "course.md").write_text(FM)
    (folder / "01-l.md").write_text(UNCLOSED)
    code, out, err = check(runner, folder)
    assert code == 1
    assert err.splitlines()[0].startswith(f"{folder / '01-l.md'}:7: code fence ``` opened here never closes")
    assert "line 12" in err and "Practice' heading" not in err
    assert out.strip() == "1 course, 1 lesson, 1 question checked: 1 error."


@pytest.mark.parametrize("block", [
    "````markdown\n```ts\nx\n```\n````", "```markdown\n~~~ts\nx\n~~~\n```", "```\nplain\n```\n\n```ts\ny\n```",
])
def test_fences_that_really_nest_or_close_are_fine(block):
    """A longer or other fence inside a block, or a bare closing line, is no sign of a lost closing line."""
    lesson, problems = parse_lesson(FM + "\n" + block + "\n", path="t.md", slug="t")
    assert lesson is not None and problems == []


STRAY_X = (FM + "\n## Practice\n\n### Q {#q}\n\nWhich one?\n\n- [x] One\n- [x] Two\n- [ ] Three\n  > No.\n"
           "\n#### Solution\nS.\n")


def test_stray_x_and_almost_number_are_warnings_at_their_lines(runner, tmp_path):
    """A second [x] and 'Answer: 4O5' change the question's kind: each warns at its line, unless marked."""
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "course.md").write_text(FM)
    (folder / "01-l.md").write_text(STRAY_X)
    (folder / "02-n.md").write_text(STRAY_X.replace("- [x] One\n- [x] Two\n- [ ] Three\n  > No.\n", "Answer: 4O5\n"))
    code, _, err = check(runner, folder)
    assert code == 0
    assert "01-l.md:12: warning: 2 choices are marked [x] (lines 11, 12)" in err and "[unmarked-select-all]" in err
    assert "02-n.md:11: warning: 'Answer: 4O5' is almost a number" in err and "[number-like-text]" in err
    (folder / "01-l.md").write_text(STRAY_X.replace("{#q}", "{#q .select-all}"))
    (folder / "02-n.md").write_text((folder / "02-n.md").read_text().replace("{#q}", "{#q .text}"))
    assert check(runner, folder)[2] == ""


def test_list_checks_names_every_check(runner):
    """'--list-checks' prints each check's name and what it catches, one a line."""
    code, out, _ = check(runner, "--list-checks")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == list(CHECK_NAMES)
    assert "much longer than every distractor" in out
