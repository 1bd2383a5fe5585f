"""The authoring area through the test client: who may enter, edit with preview, save through the loader."""

from __future__ import annotations

import re
from html import unescape

import pytest
from authoring_helpers import text_of
from sqlalchemy import func, select
from support import login, make_author, make_user

from quizapp.extensions import db
from quizapp.models import Attempt, Lesson, Question
from quizapp.services.learning import practice

EDIT = "/author/courses/demo/lessons/basics/edit"


def source(slug: str = "basics") -> str:
    """Give a lesson's stored Markdown."""
    return db.session.scalar(select(Lesson.source).where(Lesson.key == f"demo/{slug}"))


def save(client, text: str, url: str = EDIT, **extra):
    """Post the editor form with Save."""
    return client.post(url, data={"action": "save", "text": text, **extra})


# --- who may enter ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/author/", EDIT, "/author/courses/demo/export.zip"])
def test_anonymous_is_sent_to_log_in(client, demo_course, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("role", ["learner", "instructor"])
def test_other_roles_get_403(client, demo_course, role):
    login(client, make_user(f"{role}@example.org", role=role).email)
    assert client.get("/author/").status_code == 403
    assert client.post("/author/preview", data={"course_key": "demo", "filename": "01-basics.md"}).status_code == 403
    assert save(client, "x").status_code == 403
    assert "Author</a>" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["author", "admin"])
def test_authors_and_admins_enter(client, demo_course, role):
    login(client, make_author(f"{role}@example.org", role=role).email)
    page = client.get("/author/")
    assert page.status_code == 200 and "Demo course" in text_of(page) and "01-basics.md" in text_of(page)
    assert "Author</a>" in client.get("/").get_data(as_text=True)


def test_index_marks_retired_lessons(client, author, demo_course):
    db.session.execute(Lesson.__table__.update().where(Lesson.key == "demo/more").values(retired=True))
    db.session.commit()
    page = client.get("/author/").get_data(as_text=True)
    assert 'class="retired"' in page and "Retired" in page


# --- editing ------------------------------------------------------------------------------------


def test_edit_page_shows_source_preview_with_answers_marked_and_csrf(client, author, demo_course):
    html = client.get(EDIT).get_data(as_text=True)
    assert "<textarea" in html and "title: Basics" in html and 'name="csrf_token"' in html
    assert '<label for="lesson-text">' in html
    assert "✓ right" in html and "✗ wrong" in html  # answers marked for the author
    assert "No problems" in html


def test_preview_without_javascript_keeps_the_text_and_lists_problems_by_line(client, author, demo_course):
    text = source().replace("title: Basics", "titel: Basics")
    response = client.post(EDIT, data={"action": "preview", "text": text})
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "titel: Basics" in html  # the text is kept
    assert re.search(r'data-line="2">line 2</a>:\s*unknown key \'titel\'', html)
    assert source() != text  # nothing saved


def test_live_preview_fragment_renders_the_lesson_as_it_will_load(client, author, demo_course):
    text = source().replace("Where does a server action's body run?", "Where does **this** run?")
    response = client.post("/author/preview", data={"course_key": "demo", "filename": "01-basics.md", "text": text},
                           headers={"X-Requested-With": "fetch"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Where does <strong>this</strong> run?" in html and 'class="highlight"' in html
    assert 'src="/courses/demo/assets/dot.svg"' in html  # assets resolve from the preview page too
    broken = client.post("/author/preview", data={"course_key": "demo", "filename": "01-basics.md",
                                                  "text": text + "\n### No id\n"}).get_data(as_text=True)
    assert "no id" in broken and 'data-line="' in broken


def test_save_reworded_prompt_keeps_attempts_and_version(client, author, demo_course):
    question = db.session.scalar(select(Question).where(Question.key == "demo/basics/where"))
    practice.submit_answer(author.id, question.id, {"choice": ["b"]}, submission_key="k1")
    response = save(client, source().replace("Where does a server action's body run?", "Where is it run?"))
    assert response.status_code == 302 and response.location.endswith(EDIT)
    assert "Saved “Demo course”: 1 lesson changed" in text_of(client.get(response.location))
    db.session.expire_all()
    question = db.session.scalar(select(Question).where(Question.key == "demo/basics/where"))
    assert "Where is it run?" in question.prompt_html and question.version == 1
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    assert "Where is it run?" in client.get("/courses/demo/basics").get_data(as_text=True)


def test_save_changed_answer_key_makes_a_new_version(client, author, demo_course):
    save(client, source().replace("- [ ] In the browser", "- [x] In the browser"))
    db.session.expire_all()
    assert db.session.scalar(select(Question.version).where(Question.key == "demo/basics/where")) == 2


def test_save_with_errors_saves_nothing_and_shows_the_text_and_problems(client, author, demo_course):
    before = source()
    broken = before.replace("### Pick the true ones {#pick .select-all}", "### Pick the true ones") + "\n#### Unknown\n"
    response = save(client, broken)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nothing was saved" in html
    assert "### Pick the true ones\n" in html  # what the author typed is never lost
    assert "question heading has no id" in html and 'data-line="' in html
    db.session.expire_all()
    assert source() == before


def test_new_lesson_starts_from_the_scaffold_and_saves_through_the_loader(client, author, demo_course):
    page = client.post("/author/courses/demo/lessons/new", data={"action": "start", "title": "Route handlers"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "03-route-handlers.md" in html and "What does greet return?" in html
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 2  # nothing saved yet
    # A browser drops the newline right after <textarea>, as the form here does.
    text = re.search(r"<textarea[^>]*>\n(.*?)</textarea>", html, re.S)[1].replace("&#34;", '"').replace("&#39;", "'")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    response = save(client, text, "/author/courses/demo/lessons/new", filename="03-route-handlers.md",
                    title="Route handlers")
    assert response.status_code == 302
    assert response.location.endswith("/author/courses/demo/lessons/route-handlers/edit")
    assert client.get("/courses/demo/route-handlers").status_code == 200


def test_new_lesson_never_overwrites_an_existing_file(client, author, demo_course):
    response = save(client, "---\ntitle: X\n---\nBody.\n", "/author/courses/demo/lessons/new", filename="01-basics.md")
    assert response.status_code == 422 and "already has a lesson file" in text_of(response)
    assert "title: Basics" in source()


def test_new_lesson_needs_a_title(client, author, demo_course):
    response = client.post("/author/courses/demo/lessons/new", data={"action": "start", "title": " "})
    assert response.status_code == 422 and "Give the lesson a title." in text_of(response)


def test_unknown_lesson_or_course_is_404(client, author, demo_course):
    assert client.get("/author/courses/demo/lessons/nope/edit").status_code == 404
    assert client.post("/author/courses/nope/lessons/new", data={"action": "start", "title": "x"}).status_code == 404


# --- sanitising and CSRF --------------------------------------------------------------------------


def test_author_html_cannot_put_script_into_learners_pages(client, author, demo_course):
    # The image points at a file that exists: an image of a missing file is refused by the checker anyway.
    evil = ("\n<script>alert(1)</script>\n\n<img src=assets/dot.svg onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n"
            '<a href="javascript:alert(2)" onclick="alert(3)">y</a>\n\n')
    response = save(client, source().replace("## Code\n", "## Code\n" + evil))
    assert response.status_code == 302
    learner = make_user()
    client.post("/logout")
    login(client, learner.email)
    html = client.get("/courses/demo/basics").get_data(as_text=True)
    for bad in ["<script>alert", "onerror", "javascript:", "onclick", "alert(1)"]:
        assert bad not in html, bad


def test_forms_need_the_csrf_token(make_app, demo_course):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        make_author("writer@example.org")
    assert login(client, "writer@example.org").status_code == 302
    assert client.post(EDIT, data={"action": "save", "text": "x"}).status_code == 400
    html = client.get(EDIT).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)[1]
    assert client.post(EDIT, data={"action": "preview", "text": "x", "csrf_token": token}).status_code == 200


def test_image_of_a_missing_file_is_refused_before_any_sanitising(client, author, demo_course):
    response = save(client, source().replace("## Code\n", "## Code\n\n<img src=x onerror=alert(1)>\n\n"))
    assert response.status_code == 422 and "points to a missing file" in text_of(response)


def test_index_lists_the_checkers_warnings_per_lesson(client, author, demo_course):
    db.session.execute(Lesson.__table__.update().where(Lesson.key == "demo/more")
                       .values(source=source("more").replace("#### Solution\nThe right one.\n", "")))
    db.session.commit()
    assert "line 8: question has no '#### Solution'" in unescape(text_of(client.get("/author/")))


# --- two authors at once ------------------------------------------------------------------------


def test_a_save_over_a_newer_save_is_refused_and_the_text_kept(client, author, demo_course):
    opened = client.get(EDIT).get_data(as_text=True)
    base_hash = re.search(r'name="base_hash" value="([0-9a-f]+)"', opened).group(1)
    theirs = source().replace("Every question kind once.", "Edited by the other author.")
    assert save(client, theirs, base_hash=base_hash).status_code == 302  # the first save wins
    mine = source().replace("Edited by the other author.", "My stale edit.").replace("Basics", "My title")
    response = save(client, mine, base_hash=base_hash)  # opened before their save
    assert response.status_code == 422
    assert "someone saved this lesson after you opened it" in text_of(response)
    assert "My title" in unescape(response.get_data(as_text=True))  # the author's text is not lost
    assert "Edited by the other author." in source() and "My title" not in source()
    assert 'id="their-text"' in response.get_data(as_text=True)  # their version is shown to merge from
    fresh = re.search(r'name="base_hash" value="([0-9a-f]+)"', response.get_data(as_text=True)).group(1)
    merged = theirs.replace("Basics", "My title")
    assert save(client, merged, base_hash=fresh).status_code == 302  # a deliberate save after merging
    assert "My title" in source() and "Edited by the other author." in source()


def test_preview_refuses_text_over_the_size_saving_refuses(client, author, demo_course):
    """Review L4: a 5.2 MB lesson previewed in 12.5 s, though saving refuses anything over 1 MB."""
    text = source() + "\n" + "<a href=\"a\"" * 120_000
    response = client.post("/author/preview", data={"course_key": "demo", "filename": "01-basics.md", "text": text},
                           headers={"X-Requested-With": "fetch"})
    page = text_of(response)
    assert response.status_code == 200 and "over the limit of 1,048,576" in page and "split it" in page
    assert len(response.get_data()) < 20_000
    saved = client.post(EDIT, data={"action": "save", "text": text})
    assert "over the limit of 1,048,576" in text_of(saved)
