"""The answering loop through the test client: the reveal rule, marked answers, Continue and the lesson's
arc, choices shuffled per learner, and hints counted by the server."""

from __future__ import annotations

import re
import shutil

import pytest
from support import DATA, load_courses, login, make_user

from quizapp.extensions import db
from quizapp.models import Attempt

LESSON = "/courses/demo/basics"
WHERE = f"{LESSON}/where"
SOLUTION = "It runs on the server."
MISTAKES = "Thinking code runs where it is called"
_keys = iter(range(10**6))


def post(client, url, **fields):
    """Send a question form as the no-JavaScript page does; a fresh idempotency key unless one is given."""
    data = {"action": "answer", "submission_key": fields.pop("key", None) or f"k{next(_keys)}", **fields}
    return client.post(url, data=data)


def visible(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def section(html: str, anchor: str) -> str:
    return html.split(f'id="q-{anchor}"', 1)[1].split("</section>", 1)[0]


def choice_order(html: str, anchor: str) -> list[str]:
    return re.findall(r'name="choice" value="([a-z0-9]+)"', section(html, anchor))


@pytest.fixture
def course_with(app, tmp_path):
    """Load the demo course with course.md's front matter extended (e.g. a reveal rule) and headings edited."""

    def load(front: str = "", **headings):
        tree = tmp_path / "courses"
        shutil.copytree(DATA / "courses", tree, dirs_exist_ok=True)
        course = tree / "demo" / "course.md"
        course.write_text(course.read_text().replace("order: 1\n", f"order: 1\n{front}"))
        basics = tree / "demo" / "01-basics.md"
        text = basics.read_text()
        for old, new in headings.items():
            text = text.replace(old, new)
        basics.write_text(text)
        return load_courses(tree)

    return load


# --- the reveal rule ---------------------------------------------------------------------------------


def test_first_miss_names_the_mistake_and_invites_one_more_try(client, learner, demo_course):
    page = visible(post(client, WHERE, choice="a"))
    assert "Calling a function from the browser does not move its body there." in page
    assert "Have another go" in page and "Show the solution" in page
    assert SOLUTION not in page and MISTAKES not in page and "Quick check" not in page
    assert "Continue" not in page


def test_second_miss_shows_the_solution_and_offers_continue(client, learner, demo_course):
    post(client, WHERE, choice="a")
    page = visible(post(client, WHERE, choice="c"))
    assert "Import order does not decide" in page
    assert SOLUTION in page and MISTAKES in page and "Server action = server." in page
    assert "Continue" in page and "Have another go" not in page and "Show a hint" not in page


def test_a_right_answer_shows_the_solution_and_continue_not_check_again(client, learner, demo_course):
    response = post(client, WHERE, choice="b")
    page = visible(response)
    assert "Correct." in page and SOLUTION in page
    assert "Continue" in page and "Check again" not in page and "Show a hint" not in page
    assert f'href="{LESSON}/next?after=where"' in response.get_data(as_text=True)


def test_show_the_solution_counts_as_a_miss_once(client, learner, demo_course):
    post(client, WHERE, choice="a")
    page = visible(post(client, WHERE, action="solution", key="ask"))
    assert SOLUTION in page and "Here is the solution" in page and "Continue" in page
    post(client, WHERE, action="solution", key="ask-again")  # asking again records nothing more
    attempts = db.session.query(Attempt).order_by(Attempt.id).all()
    assert [(a.correct, a.response) for a in attempts] == [(False, {"choices": ["a"]}), (False, {"gave_up": True})]
    assert "Not yet right" in visible(client.get(WHERE))  # a miss for progress
    assert SOLUTION in visible(client.get(WHERE))  # and the solution stays shown


def test_show_the_solution_after_a_right_answer_is_no_miss(client, learner, course_with):
    course_with("reveal: on-request\n")
    page = visible(post(client, WHERE, choice="b"))
    assert "Correct." in page and SOLUTION not in page and "Show the solution" in page
    page = visible(post(client, WHERE, action="solution"))
    assert SOLUTION in page
    assert [a.correct for a in db.session.query(Attempt)] == [True]


def test_after_answer_rule_shows_the_solution_at_once(client, learner, course_with):
    course_with("reveal: after-answer\n")
    page = visible(post(client, WHERE, choice="a"))
    assert SOLUTION in page and "Have another go" not in page and "Continue" in page


def test_on_request_rule_never_shows_the_solution_unasked(client, learner, course_with):
    course_with("reveal: on-request\n")
    post(client, WHERE, choice="a")
    page = visible(post(client, WHERE, choice="c"))
    assert SOLUTION not in page and "Show the solution" in page
    assert SOLUTION in visible(post(client, WHERE, action="solution"))


# --- marked answers ----------------------------------------------------------------------------------


def test_the_chosen_option_is_marked_in_place_with_words(client, learner, demo_course):
    html = post(client, WHERE, choice="a").get_data(as_text=True)
    picked = re.search(r'<label class="choice marked-wrong"[^>]*>(.*?)</label>', section(html, "where"), re.S)
    assert picked and 'value="a"' in picked.group(1) and "checked" in picked.group(1)
    assert "✗ Not right" in picked.group(1)
    html = post(client, WHERE, choice="b").get_data(as_text=True)
    assert re.search(r'marked-right"[^>]*>\s*<input[^>]*value="b"', section(html, "where"))
    assert "✓ Right" in html


def test_select_all_marks_ticks_and_shows_missed_ones_only_with_the_solution(client, learner, demo_course):
    first = post(client, f"{LESSON}/pick", choice=["a", "c"]).get_data(as_text=True)
    assert 'marked-right' in first and 'marked-wrong' in first and "marked-missed" not in first
    assert "You left out 1 correct choice" in visible_text(first)
    second = post(client, f"{LESSON}/pick", choice=["a"]).get_data(as_text=True)
    assert re.search(r'marked-missed"[^>]*>\s*<input[^>]*value="b"', second) and "Also right" in second


def test_order_marks_positions_and_text_answers_stay_in_their_field(client, learner, demo_course):
    html = client.get(f"{LESSON}/steps").get_data(as_text=True)
    ids = re.findall(r'data-id="([0-9a-f]+)"', html)
    graded = post(client, f"{LESSON}/steps", order=",".join(ids)).get_data(as_text=True)
    marks = re.findall(r'order-item marked-(right|wrong)', graded)
    assert len(marks) == 3 and "wrong" in marks
    page = post(client, f"{LESSON}/method", text="get").get_data(as_text=True)
    assert 'value="get"' in page
    assert 'value="get"' in client.get(f"{LESSON}/method").get_data(as_text=True)  # a returning learner


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- Continue, progress and the summary --------------------------------------------------------------


def test_continue_goes_to_the_next_unanswered_question_then_the_summary(client, learner, demo_course):
    post(client, WHERE, choice="b")
    assert client.get(f"{LESSON}/next?after=where").location.endswith(f"{LESSON}#q-pick")
    post(client, f"{LESSON}/method", text="post")
    assert client.get(f"{LESSON}/next?after=pick").location.endswith(f"{LESSON}#q-status")
    assert client.get(f"{LESSON}/next?after=nope").location.endswith(f"{LESSON}#q-pick")
    for anchor, form in (("pick", {"choice": ["a", "b"]}), ("status", {"number": "405"}), ("steps", {"order": ""})):
        post(client, f"{LESSON}/{anchor}", **form)
    post(client, f"{LESSON}/steps", action="solution")
    assert client.get(f"{LESSON}/next?after=steps").location.endswith(f"{LESSON}/summary")


def test_the_lesson_counts_answers_as_you_go(client, learner, demo_course):
    assert "0 of 5 answered" in visible(client.get(LESSON))
    post(client, WHERE, choice="a")
    post(client, f"{LESSON}/method", text="post")
    html = client.get(LESSON).get_data(as_text=True)
    assert "2 of 5 answered · 1 right" in visible_text(html) and "data-summary-link hidden" in html
    for anchor, form in (("pick", {"choice": ["a"]}), ("status", {"number": "1"}), ("steps", {"order": ""})):
        post(client, f"{LESSON}/{anchor}", **form)
    post(client, f"{LESSON}/steps", action="solution")
    html = client.get(LESSON).get_data(as_text=True)
    assert "5 of 5 answered" in visible_text(html) and "data-summary-link>" in html


def test_the_summary_sorts_questions_by_how_they_went(client, learner, demo_course):
    post(client, WHERE, choice="b")  # right first time
    post(client, f"{LESSON}/pick", choice=["a"])
    post(client, f"{LESSON}/pick", choice=["a", "b"])  # right after a retry
    post(client, f"{LESSON}/method", text="get")  # missed
    page = visible(client.get(f"{LESSON}/summary"))
    assert "You got 2 of 5 questions right." in page
    assert re.search(r"Right the first time \(1\) Where does it run\?", page)
    assert re.search(r"Right after another try \(1\) Pick the true ones", page)
    assert re.search(r"To review \(1\) .* Name the method", page)
    assert re.search(r"Not answered yet \(2\) Status code Order the steps", page)
    assert "Next lesson: More" in page


def test_a_returning_learner_sees_their_last_answer_and_its_result(client, learner, demo_course):
    assert "marked-wrong" not in client.get(LESSON).get_data(as_text=True)  # kept before the answer
    post(client, WHERE, choice="a")
    html = client.get(LESSON).get_data(as_text=True)
    where = section(html, "where")
    assert "marked-wrong" in where and "checked" in where and "Not yet right" in where
    assert "Calling a function from the browser does not move its body there." in where
    assert SOLUTION not in where


def test_summary_and_continue_need_a_signed_in_learner(client, demo_course):
    for url in (f"{LESSON}/summary", f"{LESSON}/next?after=where"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_course_page_status_agrees_with_its_counts(client, learner, demo_course):
    post(client, WHERE, choice="a")
    page = visible(client.get("/courses/demo"))
    assert "In progress: 1 of 5 answered" in page and "0 of 5 right" in page


# --- choices shuffled per learner --------------------------------------------------------------------


def test_choices_are_shuffled_per_learner_and_stable_for_each(app, demo_course):
    orders = []
    for n in range(8):
        make_user(f"shuffle{n}@example.org")
        client = app.test_client()
        login(client, f"shuffle{n}@example.org")
        first = choice_order(client.get(LESSON).get_data(as_text=True), "where")
        assert first == choice_order(client.get(WHERE).get_data(as_text=True), "where")  # same order twice
        assert sorted(first) == ["a", "b", "c"]
        orders.append(tuple(first))
    assert len(set(orders)) > 1, "eight learners all saw the same order"


def test_fixed_order_keeps_the_authored_order(app, course_with):
    course_with(**{"{#where}": "{#where .fixed-order}"})
    for n in range(4):
        make_user(f"fixed{n}@example.org")
        client = app.test_client()
        login(client, f"fixed{n}@example.org")
        assert choice_order(client.get(LESSON).get_data(as_text=True), "where") == ["a", "b", "c"]


def test_grading_follows_choice_ids_whatever_the_order(client, learner, demo_course):
    assert choice_order(client.get(WHERE).get_data(as_text=True), "where") != []
    assert "Correct." in visible(post(client, WHERE, choice="b"))


# --- hints counted by the server ---------------------------------------------------------------------


def test_hints_are_counted_by_the_server_not_the_form(client, learner, demo_course):
    assert "Think about secrets." not in visible(client.get(f"{WHERE}?hints_used=99"))
    client.post(WHERE, data={"action": "hint", "hints_used": "7"})
    post(client, WHERE, choice="b", hints_used="0")
    assert db.session.query(Attempt).one().hints_used == 1
    for _ in range(5):  # never more than the question has
        client.post(WHERE, data={"action": "hint"})
    post(client, WHERE, choice="b")
    assert [a.hints_used for a in db.session.query(Attempt).order_by(Attempt.id)] == [1, 2]


def test_a_kept_lesson_question_follows_every_change_of_the_learners_state(client, learner, demo_course):
    def where() -> str:
        return section(client.get(LESSON).get_data(as_text=True), "where")

    assert "Think about secrets." not in where()
    client.post(WHERE, data={"action": "hint"})
    assert "Think about secrets." in where()
    post(client, WHERE, choice="a")
    assert "marked-wrong" in where() and SOLUTION not in where()
    post(client, WHERE, action="solution")
    assert SOLUTION in where()
    post(client, WHERE, choice="b")
    assert "marked-right" in where() and "Answered correctly" in where()
