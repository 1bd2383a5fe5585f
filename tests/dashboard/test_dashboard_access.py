"""Who sees what: instructors only their classes, nobody a class or learner by editing ids, admins everything."""

from __future__ import annotations

import pytest
from support import make_user


def class_urls(class_id: int, user_id: int, qid: int) -> list[str]:
    """Every class-scoped page and export."""
    base = f"/dashboard/classes/{class_id}"
    return [
        base, f"{base}?course=demo&sort=last&dir=desc&q=l&behind=1", f"{base}/learners/{user_id}",
        f"{base}/items", f"{base}/items/{qid}?course=demo",
        *(f"{base}/export/{name}.csv" for name in ("overview", "items", "options", "attempts")),
    ]


def test_instructor_opens_every_page_of_their_class(school, as_user, qid):
    client = as_user(school.alice)
    for url in class_urls(school.a.id, school.l1.id, qid("where")):
        assert client.get(url).status_code == 200, url


def test_instructor_gets_404_for_another_instructors_class(school, as_user, qid):
    client = as_user(school.alice)
    for url in class_urls(school.b.id, school.l4.id, qid("where")):
        assert client.get(url).status_code == 404, url
    for action in ("rename", "archive"):
        response = client.post(f"/dashboard/classes/{school.b.id}/{action}", data={"name": "x", "archived": "1"})
        assert response.status_code == 404


def test_learner_of_another_class_is_404_even_in_my_class_url(school, as_user):
    client = as_user(school.alice)
    for user in (school.l4, school.bob, school.admin):
        assert client.get(f"/dashboard/classes/{school.a.id}/learners/{user.id}").status_code == 404
    assert client.get(f"/dashboard/classes/{school.a.id}/learners/99999").status_code == 404
    assert client.get("/dashboard/classes/99999").status_code == 404


def test_dashboard_lists_only_my_classes(school, as_user):
    html = as_user(school.alice).get("/dashboard").get_data(as_text=True)
    assert "Class A" in html and "Class B" not in html
    page = as_user(school.alice).get(f"/dashboard/classes/{school.a.id}").get_data(as_text=True)
    assert "l1@example.org" in page and "l4@example.org" not in page


def test_admin_sees_every_class(school, as_user, qid):
    client = as_user(school.admin)
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Class A" in html and "Class B" in html and "bob@example.org" in html
    for url in class_urls(school.b.id, school.l4.id, qid("where")):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["learner", "author"])
def test_non_teachers_are_refused(school, as_user, role):
    client = as_user(make_user(f"{role}-x@example.org", role=role))
    assert client.get("/dashboard").status_code == 403
    assert client.get(f"/dashboard/classes/{school.a.id}").status_code == 403
    assert client.get(f"/dashboard/classes/{school.a.id}/export/attempts.csv").status_code == 403
    assert client.post("/dashboard/classes", data={"name": "Mine"}).status_code == 403


def test_anonymous_is_sent_to_log_in(school, client):
    response = client.get(f"/dashboard/classes/{school.a.id}")
    assert response.status_code == 302 and "/login" in response.location
