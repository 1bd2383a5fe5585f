"""The learner's path through the test client: lessons, answering, feedback, no answer leaks, progress."""

from __future__ import annotations

import re

from quizapp.extensions import db
from quizapp.models import Attempt, LearnerOption

LESSON = "/courses/demo/basics"
WHERE = f"{LESSON}/where"


def answer(client, url, **fields):
    """Post an answer the way the no-JavaScript form does."""
    data = {"action": "answer", "submission_key": fields.pop("key", None) or _key(), **fields}
    return client.post(url, data=data)


_counter = iter(range(10**6))


def _key() -> str:
    return f"key-{next(_counter)}"


def text_of(response) -> str:
    """Give a response's visible text, whitespace folded, for phrase checks."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_home_lists_courses_and_course_lists_lessons_in_order(client, demo_course):
    assert "Demo course" in text_of(client.get("/"))
    page = text_of(client.get("/courses/demo"))
    assert page.index("Basics") < page.index("More")


def test_lesson_renders_highlighted_code_and_questions(client, demo_course):
    html = client.get(LESSON).get_data(as_text=True)
    assert 'class="highlight"' in html
    assert "a comment inside code, not a heading" in html
    assert 'name="choice"' in html and "Where does it run?" in html


def test_nothing_in_the_page_reveals_the_answer_before_grading(client, learner, demo_course):
    html = client.get(LESSON).get_data(as_text=True)
    for secret in ["Calling a function from the browser", "It runs on the server", "Server action = server",
                   "Thinking code runs where it is called", "Import order does not decide", "correct\"",
                   "404 is", "GET requests must not change data", "Submit, POST, run."]:
        assert secret not in html, secret


def test_wrong_choice_gets_its_named_mistake_then_solution(client, learner, demo_course):
    response = answer(client, WHERE, choice="a")
    page = text_of(response)
    assert response.status_code == 200
    assert "Not quite" in page and "Have another go" in page
    assert "Calling a function from the browser does not move its body there." in page
    assert "It runs on the server." not in page and "Server action = server." not in page  # after a second try
    assert "Import order does not decide" not in page  # only the feedback of the choice picked
    page = text_of(answer(client, WHERE, choice="c"))
    assert "Import order does not decide" in page
    assert "It runs on the server." in page and "Server action = server." in page
    assert "Thinking code runs where it is called" in page


def test_right_choice_is_correct_and_retry_is_allowed(client, learner, demo_course):
    assert "Not quite" in text_of(answer(client, WHERE, choice="c"))
    assert "Correct." in text_of(answer(client, WHERE, choice="b"))
    assert db.session.query(Attempt).count() == 2


def test_select_all_needs_the_exact_set(client, learner, demo_course):
    assert "Not quite" in text_of(answer(client, f"{LESSON}/pick", choice=["a"]))
    assert "Not quite" in text_of(answer(client, f"{LESSON}/pick", choice=["a", "b", "c"]))
    assert "Correct." in text_of(answer(client, f"{LESSON}/pick", choice=["a", "b"]))


def test_malformed_answer_is_explained_and_costs_no_attempt(client, learner, demo_course):
    response = answer(client, WHERE)
    assert response.status_code == 422
    assert "Pick" in text_of(response)
    assert db.session.query(Attempt).count() == 0


def test_double_submit_is_stored_once(client, learner, demo_course):
    first = answer(client, WHERE, choice="a", key="same")
    second = answer(client, WHERE, choice="b", key="same")
    assert db.session.query(Attempt).count() == 1
    assert "Not quite" in text_of(first) and "Not quite" in text_of(second)


def test_a_key_reused_on_another_question_stores_that_answer(client, learner, demo_course):
    """Review L1: the key was the learner's alone, so another question's answer got a 500 or its reply."""
    assert "Not quite" in text_of(answer(client, WHERE, choice="a", key="reused"))
    other_kind = answer(client, f"{LESSON}/method", text="post", key="reused")
    same_kind = answer(client, f"{LESSON}/pick", choice=["a", "c"], key="reused")
    assert other_kind.status_code == 200 and "Correct." in text_of(other_kind)
    assert same_kind.status_code == 200
    stored = {(a.response.get("text") or tuple(a.response.get("choices", ()))) for a in db.session.query(Attempt)}
    assert stored == {("a",), "post", ("a", "c")}
    again = answer(client, f"{LESSON}/method", text="get", key="reused")  # a resend of that form: stored once
    assert "Correct." in text_of(again) and db.session.query(Attempt).count() == 3


def test_attempt_records_version_response_picks_and_hints(client, learner, demo_course):
    client.post(WHERE, data={"action": "hint"})
    answer(client, WHERE, choice="a", hints_used="0", shown_at="1")  # the form's count is ignored
    attempt = db.session.query(Attempt).one()
    assert (attempt.version, attempt.response, attempt.correct, attempt.hints_used) == (1, {"choices": ["a"]}, False, 1)
    assert attempt.seconds is not None and attempt.seconds > 0
    assert attempt.matched == ["a"] and [o.option_id for o in db.session.query(LearnerOption)] == ["a"]


def test_hint_button_reveals_one_hint_at_a_time(client, learner, demo_course):
    page = text_of(client.post(WHERE, data={"action": "hint", "hints_used": "5"}))
    assert "Think about secrets." in page and "The directive names it." not in page
    assert "Think about secrets." in text_of(client.get(WHERE))  # kept by the server, not the form
    page = text_of(client.post(WHERE, data={"action": "hint", "hints_used": "0"}))
    assert "The directive names it." in page


def test_text_number_and_order_questions_grade(client, learner, demo_course):
    wrong = text_of(answer(client, f"{LESSON}/method", text="get"))
    assert "GET requests must not change data" in wrong
    assert "Correct." in text_of(answer(client, f"{LESSON}/method", text="  post "))
    assert "404 is" in text_of(answer(client, f"{LESSON}/status", number="404"))
    assert "Correct." in text_of(answer(client, f"{LESSON}/status", number="405"))
    html = client.get(f"{LESSON}/steps").get_data(as_text=True)
    ids = re.findall(r'name="position-([0-9a-f]+)"', html)
    assert len(ids) == 3


def test_fetch_request_gets_only_the_question_fragment(client, learner, demo_course):
    response = client.post(WHERE, data={"action": "answer", "choice": "b", "submission_key": "f1"},
                           headers={"X-Requested-With": "fetch"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<section") and "<html" not in html
    assert "Correct." in html


def test_anonymous_answer_redirects_to_login(client, demo_course):
    response = client.post(WHERE, data={"action": "answer", "choice": "b"})
    assert response.status_code == 302 and "/login" in response.location


def test_progress_counts_and_suggests_next(client, learner, demo_course):
    answer(client, WHERE, choice="b")
    answer(client, f"{LESSON}/pick", choice=["a"])
    page = text_of(client.get("/progress"))
    assert "1 of 5" in page  # correct of total in Basics
    assert "2 of 5" in page  # answered
    assert "Study next" in page and "4 questions still to get right" in page


def test_asset_is_served_from_the_database(client, demo_course):
    response = client.get("/courses/demo/assets/dot.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert client.get("/courses/demo/assets/missing.png").status_code == 404


def test_unknown_course_lesson_question_are_404(client, demo_course):
    for url in ["/courses/nope", "/courses/demo/nope", f"{LESSON}/nope"]:
        assert client.get(url).status_code == 404
