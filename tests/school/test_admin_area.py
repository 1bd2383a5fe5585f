"""The admin area through its doors: search and pages, roles, disable and enable, delete, the audit log."""

from __future__ import annotations

import sqlalchemy as sa
from support import PASSWORD, login, make_user

from quizapp.extensions import db
from quizapp.models import Attempt, User
from quizapp.models.school import AuditEvent


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_accounts_are_searched_and_paged_in_sql(client, admin):
    for n in range(30):
        make_user(f"pupil{n:02d}@school.example", role="learner")
    first = text_of(client.get("/admin/"))
    assert "31 accounts" in first and "Page 1 of 2" in first
    assert "pupil29@school.example" in text_of(client.get("/admin/?page=2"))
    found = text_of(client.get("/admin/?q=PUPIL07"))
    assert "1 account matching" in found and "pupil07@school.example" in found and "pupil08" not in found


def test_role_change_is_audited_and_readable(client, admin):
    learner = make_user("kim@example.org")
    response = client.post(f"/admin/accounts/{learner.id}/role", data={"role": "author"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, learner.id).role == "author"
    log = text_of(client.get("/admin/audit"))
    assert "learner -&gt; author" in log and f"#{learner.id}" in log
    assert client.post(f"/admin/accounts/{learner.id}/role", data={"role": "king"}).status_code == 422


def test_disabled_account_cannot_sign_in_and_its_sessions_end(door, client, admin):
    make_user("kim@example.org")
    other = door()
    assert login(other, "kim@example.org").status_code == 302
    assert other.get("/progress").status_code == 200
    kim = db.session.scalar(sa.select(User).where(User.email == "kim@example.org"))
    assert client.post(f"/admin/accounts/{kim.id}/disable", data={"disabled": "1"}).status_code == 303
    assert "/login" in other.get("/progress").location  # the open session ended
    assert login(door(), "kim@example.org").status_code == 400  # and no new one starts
    assert client.post(f"/admin/accounts/{kim.id}/disable", data={"disabled": "0"}).status_code == 303
    assert login(door(), "kim@example.org").status_code == 302
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["disable", "enable"]


def test_the_last_admin_cannot_remove_themselves(client, admin):
    for path, data in ((f"/admin/accounts/{admin.id}/role", {"role": "learner"}),
                       (f"/admin/accounts/{admin.id}/disable", {"disabled": "1"}),
                       (f"/admin/accounts/{admin.id}/delete", {"confirm": "DELETE"})):
        response = client.post(path, data=data)
        assert response.status_code == 409 and "last enabled admin" in text_of(response)
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == "admin"
    second = make_user("deputy@example.org", role="admin")
    assert client.post(f"/admin/accounts/{second.id}/role", data={"role": "instructor"}).status_code == 303


def test_delete_offers_the_export_then_anonymises_and_keeps_attempts(door, client, admin, demo_course):
    kim = make_user("kim@example.org")
    learner_client = door()
    login(learner_client, "kim@example.org")
    learner_client.post("/courses/demo/basics/where", data={"action": "answer", "choice": "a", "submission_key": "k1"})
    attempts = db.session.scalar(sa.select(sa.func.count()).select_from(Attempt).where(Attempt.user_id == kim.id))
    assert attempts == 1
    page = text_of(client.get(f"/admin/accounts/{kim.id}"))
    assert f"/admin/accounts/{kim.id}/export.json" in page
    export = client.get(f"/admin/accounts/{kim.id}/export.json")
    assert export.status_code == 200 and export.json["account"]["email"] == "kim@example.org"
    assert client.post(f"/admin/accounts/{kim.id}/delete", data={"confirm": "no"}).status_code == 422
    assert client.post(f"/admin/accounts/{kim.id}/delete", data={"confirm": "DELETE"}).status_code == 303
    db.session.expire_all()
    gone = db.session.get(User, kim.id)
    assert gone.email == f"deleted-{kim.id}@deleted.invalid" and gone.disabled and gone.display_name is None
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(Attempt).where(Attempt.user_id == kim.id)) == attempts
    assert "/login" in learner_client.get("/progress").location
    assert login(door(), "kim@example.org", PASSWORD).status_code == 400
    assert client.post(f"/admin/accounts/{kim.id}/role", data={"role": "author"}).status_code == 409
    assert "kim@example.org" not in text_of(client.get("/admin/?q=kim"))


def test_admin_nav_link_only_for_admins(client, admin, door):
    assert 'href="/admin/"' in text_of(client.get("/"))
    other = door()
    make_user("kim@example.org")
    login(other, "kim@example.org")
    assert 'href="/admin/"' not in text_of(other.get("/"))
