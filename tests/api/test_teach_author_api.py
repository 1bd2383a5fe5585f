"""Instructors' and authors' API: the dashboard's reports and the content checker, with their access rules."""

from __future__ import annotations

import pytest
from api_helpers import bearer, token_for
from support import make_user

from quizapp.extensions import db
from quizapp.models import Classroom, Enrollment

LEARNER_Q = "/api/v1/courses/demo/lessons/basics/questions/where/answers"


@pytest.fixture
def taught(app, demo_course):
    """An instructor's class with three learners who answered, and every token needed."""
    teacher = make_user("teacher@example.org", role="instructor")
    other = make_user("other@example.org", role="instructor")
    classroom = Classroom(name="Period 1", join_code="PERIOD0001", instructor_id=teacher.id)
    db.session.add(classroom)
    db.session.commit()
    client = app.test_client()
    for n in range(3):
        learner = make_user(f"l{n}@example.org")
        db.session.add(Enrollment(classroom_id=classroom.id, user_id=learner.id))
        db.session.commit()
        secret = token_for(learner)
        client.post(LEARNER_Q, json={"choices": ["a"]}, headers=bearer(secret))
        client.post(LEARNER_Q, json={"choices": ["b"]}, headers=bearer(secret))
    return {"id": classroom.id, "teacher": bearer(token_for(teacher)), "other": bearer(token_for(other)),
            "client": client}


def test_an_instructor_lists_their_classes_and_reads_reports(taught):
    client, headers, base = taught["client"], taught["teacher"], f"/api/v1/classes/{taught['id']}/courses/demo"
    classes = client.get("/api/v1/classes", headers=headers).get_json()
    assert [(c["name"], c["learners"]) for c in classes] == [("Period 1", 3)]
    overview = client.get(base + "/overview", headers=headers).get_json()
    assert overview["class_size"] == 3 and [r["email"] for r in overview["learners"]] == [
        "l0@example.org", "l1@example.org", "l2@example.org"]
    assert overview["learners"][0]["lessons"]["basics"] == 1 and overview["next_cursor"] is None
    items = client.get(base + "/items", headers=headers).get_json()["items"]
    where = next(i for i in items if i["key"] == "demo/basics/where")
    assert where["learners"] == 3 and where["first_correct"] == 0 and where["ever_correct"] == 3
    mistakes = client.get(base + "/mistakes", headers=headers).get_json()["mistakes"]
    assert mistakes[0]["option_id"] == "a" and mistakes[0]["learners"] == 3


def test_attempts_are_paged_by_cursor(taught):
    client, headers = taught["client"], taught["teacher"]
    url = f"/api/v1/classes/{taught['id']}/courses/demo/attempts"
    seen, cursor = [], None
    while True:
        page = client.get(url, query_string={"limit": 4, **({"cursor": cursor} if cursor else {})},
                          headers=headers).get_json()
        seen += [a["id"] for a in page["attempts"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 6 and seen == sorted(set(seen))
    assert client.get(url, query_string={"cursor": "x"}, headers=headers).status_code == 422
    assert client.get(url, query_string={"limit": 0}, headers=headers).status_code == 422


def test_another_instructors_class_is_404_as_on_the_pages(taught):
    client = taught["client"]
    assert client.get("/api/v1/classes", headers=taught["other"]).get_json() == []
    for name in ("overview", "items", "mistakes", "attempts"):
        response = client.get(f"/api/v1/classes/{taught['id']}/courses/demo/{name}", headers=taught["other"])
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert client.get(f"/api/v1/classes/{taught['id']}/courses/nope/items", headers=taught["teacher"]) \
        .status_code == 404


def test_the_content_check_gives_problems_with_lines_and_rules(app, demo_course):
    author = make_user("writer@example.org", role="author")
    headers = bearer(token_for(author))
    client = app.test_client()
    good = client.post("/api/v1/content/check", headers=headers, json={
        "course": "demo", "filename": "03-new.md",
        "markdown": "---\ntitle: New\n---\nText.\n\n## Practice\n\n### Q {#q}\n\nPick.\n\n- [x] Yes\n- [ ] No\n"
                    "  > No is wrong.\n"})
    assert good.status_code == 200, good.get_data(as_text=True)
    assert good.get_json()["ok"] and good.get_json()["title"] == "New" and good.get_json()["questions"] == 1
    bad = client.post("/api/v1/content/check", headers=headers,
                      json={"course": "demo", "filename": "03-new.md", "markdown": "no front matter\n"}).get_json()
    assert not bad["ok"] and bad["problems"][0]["line"] == 1 and bad["problems"][0]["severity"] == "error"
    assert {"rule", "message", "file", "column"} <= set(bad["problems"][0])
    missing = client.post("/api/v1/content/check", headers=headers,
                          json={"course": "nope", "filename": "03-new.md", "markdown": "x"})
    assert missing.status_code == 404
    named = client.post("/api/v1/content/check", headers=headers,
                        json={"course": "demo", "filename": "../etc.md", "markdown": "x"})
    assert named.status_code == 422 and "filename" in named.get_json()["errors"]
