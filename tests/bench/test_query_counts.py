"""A lesson page's database work is a fixed, small number of statements, whatever the lesson's size."""

from __future__ import annotations

import pytest
from support import count_statements, load_courses, login, make_user

QUESTION = """### Question {i} {{#q{i}}}

Which status code means "created"?

- [ ] 200
  > 200 is plain OK.
- [x] 201
- [ ] 204

#### Hint
Think of POST.

#### Solution
201.
"""


def write_course(root, sizes: dict[str, int]) -> None:
    """Write one course with a lesson per (slug, number of questions)."""
    course = root / "sizes"
    course.mkdir(parents=True)
    (course / "course.md").write_text('---\ntitle: "Sizes"\nsummary: "Lessons of different sizes."\n---\n\nIntro.\n')
    for n, (slug, count) in enumerate(sizes.items(), start=1):
        questions = "\n".join(QUESTION.format(i=i) for i in range(count))
        (course / f"{n:02d}-{slug}.md").write_text(
            f'---\ntitle: "{slug}"\nsummary: "s"\nminutes: 5\n---\n\n## Code\n\n```python\nprint("hi")\n```\n\n'
            f"## Practice\n\n{questions}"
        )


@pytest.mark.parametrize("signed_in", [True, False])
def test_lesson_page_statements_do_not_grow_with_the_lesson(app, client, tmp_path, signed_in):
    write_course(tmp_path, {"small": 2, "large": 20})
    load_courses(tmp_path)
    if signed_in:
        make_user()
        login(client, "learner@example.org")
        client.post("/courses/sizes/large/q3", data={"action": "answer", "choice": "b", "submission_key": "k1"})
    counts = {}
    for slug in ("small", "large"):
        client.get(f"/courses/sizes/{slug}")  # warm: first-use work is not per request
        with count_statements() as seen:
            response = client.get(f"/courses/sizes/{slug}")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count('class="answer-form"') == (2 if slug == "small" else 20)
        counts[slug] = len(seen)
    assert counts["small"] == counts["large"], counts
    assert counts["large"] <= (3 if signed_in else 2), counts  # (user,) lesson with neighbours, questions + status


def test_answer_is_one_insert_per_row_and_one_commit(app, client, tmp_path):
    write_course(tmp_path, {"small": 2})
    load_courses(tmp_path)
    make_user()
    login(client, "learner@example.org")
    with count_statements() as seen:
        response = client.post("/courses/sizes/small/q1", data={"action": "answer", "choice": "a",
                                                                "submission_key": "k2"})
    assert response.status_code == 200 and "Not quite" in response.get_data(as_text=True)
    inserts = [s for s in seen if s.lstrip().upper().startswith("INSERT")]
    # The attempt, plus the dashboards' summaries in the same transaction: the learner's option (insert-if-new,
    # from the attempt's matched options), question row (upsert, which also returns the status shown, so it is
    # not re-read) and day; a first answer also makes the learner's review card and logs its rating, taking
    # the card out of its classes' review counters before and putting it back after (none here: no class).
    assert [s.split()[2] for s in inserts] == ["attempt", "learner_option", "learner_question", "learner_day",
                                               "class_fading", "review_card", "class_fading", "review_log"]
    assert len(seen) <= 14, seen
    # The question as authored (form and answer key) is kept per worker while the course is unchanged: the
    # next answer reads only the course's stamp before storing.
    with count_statements() as again:
        client.post("/courses/sizes/small/q1", data={"action": "answer", "choice": "a", "submission_key": "k3"})
    reads = [s for s in again if s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in reads if "question_version" in s], reads
    # A later answer in a lesson is practice: the review card is neither read nor written on this path.
    assert not [s for s in again if "INTO review_" in s or s.lstrip().upper().startswith("UPDATE review_")], again


def test_course_list_and_progress_read_summaries_not_the_attempt_history(app, client, tmp_path):
    write_course(tmp_path, {"small": 2})
    load_courses(tmp_path)
    make_user()
    login(client, "learner@example.org")
    for n in range(5):
        client.post("/courses/sizes/small/q1", data={"action": "answer", "choice": "ab"[n % 2],
                                                     "submission_key": f"k{n}"})
    for page, shown in (("/", "1 of 2"), ("/progress", "1")):
        with count_statements() as seen:
            response = client.get(page)
        assert response.status_code == 200 and shown in response.get_data(as_text=True)
        # One row per question tried, however many attempts: the course list costs the same after a thousand.
        assert not [s for s in seen if " attempt " in f" {s} ".replace("\n", " ")], seen
