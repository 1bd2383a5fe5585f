"""Content format 1.1: heading markers, the course's reveal rule, and where each part was written."""

from __future__ import annotations

from quizapp.content import answer_key_hash, parse_lesson
from quizapp.content.parsing.frontmatter import COURSE_KEYS, read_front_matter

LESSON = """---
title: Markers
---

Body.

## Practice

### Pick one {#pick .fixed-order .allow-length-cue}

Which?

- [x] Right
- [ ] Wrong
  > Why wrong.

#### Hint
A hint.

#### Hint
Another.

#### Solution
Because.
"""


def parse(text: str):
    lesson, problems = parse_lesson(text, path="l.md", slug="l")
    assert lesson is not None, [str(p) for p in problems]
    return lesson, problems


def test_heading_markers_are_read_and_queried_by_name():
    question = parse(LESSON)[0].questions[0]
    assert question.markers == frozenset({"fixed-order", "allow-length-cue"})
    assert question.fixed_order
    assert question.allows("length-cue") and not question.allows("position-cue")


def test_every_part_knows_its_line():
    question = parse(LESSON)[0].questions[0]
    assert question.line == 9
    assert [choice.line for choice in question.answer.choices] == [13, 14]
    assert question.hint_lines == (17, 20)
    assert question.solution_line == 23


def test_moving_a_question_is_not_a_new_answer_key():
    before = parse(LESSON)[0].questions[0].answer
    after = parse(LESSON.replace("Body.", "Body.\n\nMore body.\n\nEven more."))[0].questions[0].answer
    assert before.choices[0].line != after.choices[0].line
    assert answer_key_hash(before) == answer_key_hash(after)


def test_a_question_without_markers_is_shuffled_and_allows_nothing():
    question = parse(LESSON.replace(" .fixed-order .allow-length-cue", ""))[0].questions[0]
    assert question.markers == frozenset() and not question.fixed_order


def test_course_reveal_rule_is_one_of_three():
    for rule in ("after-answer", "after-second-try", "on-request"):
        front = read_front_matter(["---", "title: T", f"reveal: {rule}", "---"], "course.md", COURSE_KEYS)
        assert not front.problems and front.values["reveal"] == rule
    front = read_front_matter(["---", "title: T", "reveal: never", "---"], "course.md", COURSE_KEYS)
    assert [p.line for p in front.problems] == [3]
    assert "one of after-second-try, after-answer, on-request" in front.problems[0].message


def test_a_question_id_may_not_be_a_lesson_page_name():
    for reserved in ("next", "summary"):
        lesson, problems = parse_lesson(LESSON.replace("{#pick", "{#" + reserved), path="l.md", slug="l")
        assert lesson is None
        assert [(p.line, p.severity) for p in problems] == [(9, "error")]
        assert f"'{reserved}' is the name of a lesson page" in problems[0].message
