"""The look's server side (issue 22): sign-up errors all at once, autocomplete hints, the course page's
lesson list with Start/Continue, class cards, the drill-down's rendered answers and percentages, empty
charts that say so, the colour grid with text, and a wrong join code that is a page, not a 404."""

from __future__ import annotations

import re

from support import login, make_user
from test_learning import answer, text_of

from quizapp.content.model import Choice, ChoiceAnswer, OrderAnswer, OrderItem, TextAnswer
from quizapp.services.teaching import classes
from quizapp.services.teaching.learner_report import describe_response

COURSE = "/courses/demo"
LESSON = f"{COURSE}/basics"


def test_signup_shows_every_error_at_its_field_in_one_submission(client):
    response = client.post("/signup", data={"email": "not-an-email", "password": "short", "confirm": "other"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="email-error">Enter an email address like name@example.org.' in html
    assert 'id="password-error">Use a password of at least' in html
    assert 'id="confirm-error">The two passwords differ.' in html
    assert html.count('aria-invalid="true"') == 3


def test_password_and_email_fields_carry_autocomplete_hints(client):
    signup = client.get("/signup").get_data(as_text=True)
    assert re.search(r'autocomplete="email"[^>]*name="email"|name="email"[^>]*autocomplete="email"', signup)
    assert signup.count('autocomplete="new-password"') == 2
    login_page = client.get("/login").get_data(as_text=True)
    assert 'autocomplete="username"' in login_page and 'autocomplete="current-password"' in login_page
    assert 'autocomplete="email"' in client.get("/password/forgot").get_data(as_text=True)


def test_course_page_leads_with_its_lesson_list_and_a_start_button(client, demo_course):
    html = client.get(COURSE).get_data(as_text=True)
    assert re.search(r'<a class="button big" href="/courses/demo/basics">Start the course</a>', html)
    assert html.index('class="lessons"') < html.index("About this course")


def test_course_page_offers_continue_once_started(client, learner, demo_course):
    answer(client, f"{LESSON}/where", choice="a")
    html = client.get(COURSE).get_data(as_text=True)
    assert re.search(r'class="button big" href="/courses/demo/basics">Continue: Basics</a>', html)
    assert "Start the course" not in html


def test_a_wrong_join_code_is_a_page_with_the_error_at_the_field(client, learner):
    response = client.post("/classes/join", data={"code": "WRONG123"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error" id="join-error">No open class has that code.' in html
    assert 'class="flash' not in html  # not a banner at the top


def test_a_class_card_leads_to_its_course_and_progress(client, learner, demo_course):
    teacher = make_user("t@example.org", role="instructor")
    info = classes.create_class(teacher.id, "Algebra")
    classes.join_class(learner.id, info.join_code)
    html = client.get("/classes").get_data(as_text=True)
    card = html[html.index('class="card class-card"'):]
    card = card[: card.index("</li>")]
    assert 'href="/courses/demo"' in card and 'href="/progress"' in card and re.search(r"0 of \d+ right", card)


def test_the_drill_down_shows_answers_as_the_learner_saw_them():
    choices = ChoiceAnswer((Choice("a", "`POST /api/books`", True), Choice("b", "<i>x</i> *y*", False)))
    assert describe_response(choices, {"choices": ["a", "b"]}) == "a) <code>POST /api/books</code>; b) x <em>y</em>"
    order = OrderAnswer((OrderItem("a", "`GET`"), OrderItem("b", "two")))
    assert describe_response(order, {"order": ["b", "a"]}) == "two → <code>GET</code>"
    typed = TextAnswer(())
    assert describe_response(typed, {"text": "<b>`x`</b>"}) == "&lt;b&gt;`x`&lt;/b&gt;"  # typed: escaped, as typed


def test_the_drill_down_shows_scores_as_percentages_and_the_grid_reads_with_text(app, client, demo_course):
    teacher = make_user("t@example.org", role="instructor")
    info = classes.create_class(teacher.id, "Algebra")
    pupil = make_user("p@example.org")
    classes.join_class(pupil.id, info.join_code)
    login(client, pupil.email)
    answer(client, f"{LESSON}/pick", choice=["a"])  # one of two right choices: partly right
    answer(client, f"{LESSON}/where", choice="b")
    client.post("/logout")
    login(client, teacher.email)
    page = text_of(client.get(f"/dashboard/classes/{info.id}/learners/{pupil.id}"))
    assert re.search(r"Score \d+%", page) and "0.5" not in page
    grid = client.get(f"/dashboard/classes/{info.id}").get_data(as_text=True)
    assert re.search(r'<td class="heat (low|high)">1/\d+</td>', grid)
    assert "Questions right per lesson:" in grid  # the legend names each colour


def test_empty_charts_say_so(client, demo_course):
    teacher = make_user("t@example.org", role="instructor")
    info = classes.create_class(teacher.id, "Empty")
    login(client, teacher.email)
    page = text_of(client.get(f"/dashboard/classes/{info.id}"))
    assert "No answers in the last 30 days yet" in page and "No learners in this class yet" in page
    assert 'class="chart"' not in client.get(f"/dashboard/classes/{info.id}").get_data(as_text=True)


def test_a_new_password_shows_its_rule_and_the_mismatch_together(client, learner):
    response = client.post("/password/change", data={"current": "whatever it is", "password": "short",
                                                     "confirm": "other"})
    html = response.get_data(as_text=True)
    assert 'id="password-error">Use a password of at least' in html
    assert 'id="confirm-error">The two passwords differ.' in html
