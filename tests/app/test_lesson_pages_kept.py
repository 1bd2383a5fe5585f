"""Lesson pages are rendered once per worker and kept (views/fragments.py): each learner still sees only
their own status, token, keys and item order, and a reload of the content shows at once."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from types import SimpleNamespace

import pytest
from flask import render_template
from markupsafe import Markup
from support import DATA, load_courses, login, make_user

from quizapp.services.learning import practice
from quizapp.services.learning.presenter import present
from quizapp.speed import stores
from quizapp.views import fragments, layout
from quizapp.views.fragments import Live, question_html

LESSON = "/courses/demo/basics"
MORE = "/courses/demo/more"
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
KEYS = re.compile(r'name="submission_key" value="([^"]+)"')
# The second a CSRF token was signed in, and its signature: Flask-WTF signs the session's token anew on every
# request, so two requests a second apart differ there (the token they carry is the same).
SIGNED_AT = re.compile(r'(name="csrf_token" value="\.?[^".]+)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"')


@pytest.fixture
def served(make_app):
    """An app with the demo course and six learners, and no app context held open: each request of each
    client then gets its own (the app fixture's open context would share ``g``, and so the signed-in user,
    between clients)."""

    def build(**config):
        app = make_app(**config)
        with app.app_context():
            load_courses()
            for n in range(6):
                make_user(f"l{n}@example.org")
        return app

    return build


def signed_in(app, n: int):
    client = app.test_client()
    assert login(client, f"l{n}@example.org").status_code == 302
    return client


def page(client, url=LESSON) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "\x00" not in html  # no marker is ever left unfilled
    return html


def badge_of(html: str, anchor: str) -> str:
    section = html.split(f'id="q-{anchor}"', 1)[1].split("</h3>", 1)[0]
    return "correct" if "Answered correctly" in section else "incorrect" if "Not yet right" in section else ""


def items_of(html: str) -> list[str]:
    section = html.split('id="q-steps"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'data-id="([^"]+)"', section)


def test_each_learner_sees_their_own_status_on_the_same_kept_page(served):
    app = served()
    ann, ben = signed_in(app, 0), signed_in(app, 1)
    page(ann), page(ben)  # both views come from the same kept body from here on
    ann.post(f"{LESSON}/where", data={"action": "answer", "choice": "b", "submission_key": "a1"})
    ben.post(f"{LESSON}/where", data={"action": "answer", "choice": "a", "submission_key": "b1"})
    ann_html, ben_html = page(ann), page(ben)
    assert badge_of(ann_html, "where") == "correct" and 'class="question status-correct" id="q-where"' in ann_html
    assert badge_of(ben_html, "where") == "incorrect" and 'class="question status-incorrect" id="q-where"' in ben_html
    assert badge_of(ann_html, "pick") == badge_of(ben_html, "pick") == ""
    visitor = page(app.test_client())
    assert badge_of(visitor, "where") == "" and "to check your answers" in visitor
    assert "to check your answers" not in ann_html


def test_every_form_gets_a_fresh_key_and_the_learners_own_token(served):
    app = served(WTF_CSRF_ENABLED=True)
    clients = [signed_in(app, 0), signed_in(app, 1)]
    first, again = page(clients[0]), page(clients[0])
    keys = KEYS.findall(first) + KEYS.findall(again)
    assert len(keys) == len(set(keys)) == 2 * first.count('class="answer-form"')
    tokens = {client: set(CSRF.findall(page(client))) for client in clients}
    assert all(len(found) == 1 for found in tokens.values())  # one token per page, the session's
    for client in clients:
        html = page(client)
        response = client.post(f"{LESSON}/where", data={
            "action": "answer", "choice": "b", "csrf_token": CSRF.search(html).group(1),
            "submission_key": KEYS.search(html).group(1),
        })
        assert response.status_code == 200 and "Correct." in response.get_data(as_text=True)
    ann_token = CSRF.search(page(clients[0])).group(1)
    refused = clients[1].post(f"{LESSON}/where", data={"action": "answer", "choice": "b", "csrf_token": ann_token})
    assert refused.status_code == 400  # a token from another learner's page is not this learner's


def test_order_items_are_shuffled_per_learner_on_a_kept_page(served):
    app = served()
    orders = {}
    for n in range(6):
        client = signed_in(app, n)
        orders[n] = items_of(page(client))
        assert items_of(page(client)) == orders[n]  # stable for the same learner
        assert sorted(orders[n]) == sorted(items_of(page(app.test_client())))
    assert len({tuple(order) for order in orders.values()}) > 1


def test_a_reload_shows_at_once_text_titles_and_neighbours(app, client, tmp_path):
    tree = tmp_path / "courses"
    shutil.copytree(DATA / "courses", tree)
    load_courses(tree)
    before, more = page(client), page(client, MORE)
    basics = tree / "demo" / "01-basics.md"
    basics.write_text(basics.read_text().replace("Put the steps in order.", "Put these three steps in order."))
    course = tree / "demo" / "course.md"
    course.write_text(re.sub(r'title: "?([^"\n]+)"?', r'title: "Renamed course"', course.read_text(), count=1))
    load_courses(tree)
    after = page(client)
    assert "Put the steps in order." in before and "Put these three steps in order." in after
    assert "Renamed course" in after and "Renamed course" not in before
    (tree / "demo" / "03-extra.md").write_text(
        '---\ntitle: "Extra lesson"\nsummary: "s"\n---\n\nSome more text.\n'
    )
    load_courses(tree)
    assert "Extra lesson" not in more and 'rel="next"' in page(client, MORE) and "Extra lesson" in page(client, MORE)
    (tree / "demo" / "02-more.md").unlink()
    load_courses(tree)
    assert client.get(MORE).status_code == 404
    assert "Extra lesson" in page(client)  # basics' next neighbour is now the extra lesson


def unsigned(html: str) -> str:
    """Leave out when each CSRF token was signed (see SIGNED_AT)."""
    return SIGNED_AT.sub(r'\1"', html)


def full_render(app, client, url: str) -> str:
    """The same page with the layout rendered anew (views/layout.py keeps it per account otherwise)."""
    stores.clear_all(app)
    return page(client, url)


@pytest.mark.parametrize("who", ["visitor", "learner", "instructor"])
def test_the_kept_layout_is_the_layout_rendered_in_full(served, who, monkeypatch):
    # The forms carry the second they were shown (shown_at): hold the clock still, so a page rendered
    # just after a second ticks over is not a different page.
    monkeypatch.setattr(fragments, "time", SimpleNamespace(time=lambda: 1_800_000_000.25))
    app = served(WTF_CSRF_ENABLED=True)
    if who == "visitor":
        client = app.test_client()
    else:
        if who == "instructor":
            with app.app_context():
                make_user("teacher@example.org", role="instructor")
            client = app.test_client()
            assert login(client, "teacher@example.org").status_code == 302
        else:
            client = signed_in(app, 0)
    for url in (LESSON, LESSON + "/where"):
        page(client, url)  # the layout is kept now
        kept = unsigned(re.sub(KEYS, "", page(client, url)))
        kept_again = unsigned(re.sub(KEYS, "", page(client, url)))
        assert unsigned(re.sub(KEYS, "", full_render(app, client, url))) == kept == kept_again
    assert ("Dashboard</a>" in kept) == (who == "instructor")
    assert ("Log out" in kept) == (who != "visitor")


def test_flashed_messages_show_once_on_a_kept_page(served):
    app = served(WTF_CSRF_ENABLED=True)
    client = signed_in(app, 0)
    page(client)  # keep this account's layout
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Saved <b>once</b>.")]
    assert '<p class="flash info">Saved &lt;b&gt;once&lt;/b&gt;.</p>' in page(client)
    assert "Saved" not in page(client)


def test_titles_are_escaped_and_content_is_not_in_the_kept_layout(served):
    app = served()
    for _ in range(2):  # built, then kept
        with app.test_request_context("/"):
            html = layout.page("Tags <b>& co</b>", Markup("<p>The content</p>"))
        assert "<title>Tags &lt;b&gt;&amp; co&lt;/b&gt; · quizapp</title>" in html
        assert "<p>The content</p>" in html and "\x00" not in html


def test_kept_pages_and_layouts_follow_the_mount_point(served):
    app = served()
    client = signed_in(app, 0)
    for _ in range(2):  # built, then kept: each mount point keeps its own
        for root in ("/school", ""):
            response = client.get(LESSON, environ_overrides={"SCRIPT_NAME": root})
            html = response.get_data(as_text=True)
            assert response.status_code == 200
            assert f'href="{root}/static/css/app.css' in html and f'href="{root}/progress"' in html
            assert f'action="{root}/courses/demo/basics/where"' in html
            if not root:
                assert '"/school/' not in html  # nothing kept for the other mount point leaks in


SHOWN_AT = re.compile(r'name="shown_at" value="[0-9]+"')
# (question, hints shown, form sent): a first view, right and wrong answers of every kind, a form sent back
# for correction, and a hint shown.
QUESTION_STATES = [
    ("where", 0, None), ("where", 1, None), ("where", 0, {"choice": ["a"]}), ("where", 2, {"choice": ["b"]}),
    ("pick", 0, {"choice": ["a", "c"]}), ("method", 0, {"text": ["GET"]}), ("method", 0, {"text": ["<b>x</b>"]}),
    ("status", 0, {"number": ["four hundred"]}), ("steps", 0, {"order": ["3,2,1"]}), ("steps", 0, None),
]


def test_a_kept_question_is_the_question_rendered_in_full(served):
    """The single-question page and the graded fragment are kept per presented question and context; filled
    in, they equal a render with the per-request parts done live, whatever the state."""
    app = served()
    with app.app_context():
        user_id = make_user("kept@example.org").id
    for n, (anchor, hints, form) in enumerate(QUESTION_STATES):
        for template, extra in (("learn/_question_page.html", {"course_key": "demo", "course_title": "Demo",
                                                               "lesson_title": "Basics"}),
                                ("learn/_question.html", {"heading_level": 1})):
            with app.test_request_context("/"):
                authored = practice.load_authored("demo", "basics", anchor)
                state = replace(practice.get_state(user_id, authored.view.id), hints=hints)
                if form is not None:
                    result = practice.submit_answer(user_id, authored.key, form, submission_key=f"k{n}-{template}")
                    error = result.error
                    state = practice.state_after(state, result)
                    shown = present(authored, state, user_id=user_id, error=error,
                                    echo=result.response if error else None)
                else:
                    shown = present(authored, state, user_id=user_id)
                context = {"lesson_url": "/courses/demo/basics", **extra}
                full = render_template(template, p=shown, slots=Live(), **context)
                built, kept = (question_html(template, shown, **context) for _ in range(2))
                assert "\x00" not in kept
                assert same_but_keys(full) == same_but_keys(built) == same_but_keys(kept), (anchor, form)


def same_but_keys(html: str) -> str:
    """A page without the parts that differ on every render: idempotency keys and the time shown."""
    return SHOWN_AT.sub("", KEYS.sub("", html))


def test_learners_see_their_own_status_on_a_kept_question(served):
    app = served()
    first, second = signed_in(app, 0), signed_in(app, 1)
    token = CSRF.search(page(first, LESSON + "/where")).group(1)
    assert first.post(LESSON + "/where", data={"csrf_token": token, "action": "answer", "choice": "b",
                                               "submission_key": "s1"}).status_code == 200
    for _ in range(2):  # rendered, then kept: the same question state for both learners
        assert badge_of(page(first, LESSON + "/where"), "where") == "correct"
        assert badge_of(page(second, LESSON + "/where"), "where") == ""


def test_a_kept_question_follows_a_reload_of_its_answer_key_hints_and_removal(app, client, tmp_path):
    """The question page and an answer use the question as authored, kept per worker until its course is
    loaded anew: a changed answer key grades the next answer, a changed hint shows, a removed question is
    gone, at once."""
    tree = tmp_path / "courses"
    shutil.copytree(DATA / "courses", tree)
    load_courses(tree)
    make_user()
    assert login(client, "learner@example.org").status_code == 302

    def answer(choice: str, key: str) -> str:
        response = client.post(LESSON + "/where", data={"action": "answer", "choice": choice, "submission_key": key})
        assert response.status_code == 200
        return response.get_data(as_text=True)

    assert "Correct." in answer("b", "k1") and "Correct." in answer("b", "k2")  # loaded, then kept
    basics = tree / "demo" / "01-basics.md"
    source = basics.read_text()
    source = source.replace("- [ ] In the browser", "- [x] In the browser").replace("- [x] On the server",
                                                                                       "- [ ] On the server")
    basics.write_text(source.replace("Think about secrets.", "Think about where secrets live."))
    load_courses(tree)
    assert "Correct." not in answer("b", "k3") and "Correct." in answer("a", "k4")
    hinted = client.post(LESSON + "/where", data={"action": "hint", "hints_used": "0"}).get_data(as_text=True)
    assert "Think about where secrets live." in hinted
    basics.write_text(source.split("### Where does it run?")[0] + "### Pick" + source.split("### Pick", 1)[1])
    load_courses(tree)
    assert client.get(LESSON + "/where").status_code == 404
    assert client.post(LESSON + "/where", data={"action": "answer", "choice": "a"}).status_code == 404
