"""Rights per course through the author pages: owners and editors edit, other authors do not, admins assign."""

from __future__ import annotations

import io
import zipfile

import sqlalchemy as sa
from support import DATA, login, make_user

from quizapp.extensions import db
from quizapp.models.school import AuditEvent, CourseMember

EDIT = "/author/courses/demo/lessons/basics/edit"


def zipped(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((DATA / "courses" / "demo").rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder}/{path.relative_to(DATA / 'courses' / 'demo')}")
    return buffer.getvalue()


def upload(client, data: bytes, name: str):
    return client.post("/author/upload", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_a_course_loaded_by_the_operator_is_for_admins_until_an_admin_names_an_editor(door, client, admin,
                                                                                       demo_course):
    make_user("writer@example.org", role="author")
    writer = door()
    login(writer, "writer@example.org")
    assert writer.get(EDIT).status_code == 403
    assert "01-basics.md" not in writer.get("/author/").get_data(as_text=True)
    assert client.get(EDIT).status_code == 200  # admins edit every course
    response = client.post("/admin/courses/demo/members", data={"email": "writer@example.org", "role": "editor"})
    assert response.status_code == 303
    assert writer.get(EDIT).status_code == 200
    assert "01-basics.md" in writer.get("/author/").get_data(as_text=True)
    assert "writer@example.org (editor)" in client.get("/admin/courses").get_data(as_text=True)
    member = db.session.scalar(sa.select(CourseMember))
    client.post(f"/admin/courses/demo/members/{member.user_id}/remove")
    assert writer.get(EDIT).status_code == 403
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["course-editor", "course-remove"]


def test_rights_go_only_to_authors(client, admin, demo_course):
    make_user("kid@example.org")
    response = client.post("/admin/courses/demo/members", data={"email": "kid@example.org", "role": "owner"})
    assert response.status_code == 303 and db.session.scalar(sa.select(sa.func.count()).select_from(CourseMember)) == 0


def test_the_uploader_of_a_new_course_owns_it_and_another_author_cannot_replace_it(door, app):
    make_user("one@example.org", role="author")
    make_user("two@example.org", role="author")
    one, two = door(), door()
    login(one, "one@example.org")
    login(two, "two@example.org")
    assert upload(one, zipped("algebra"), "algebra.zip").status_code == 302
    assert one.get("/author/courses/algebra/lessons/basics/edit").status_code == 200
    assert db.session.scalar(sa.select(CourseMember.role)) == "owner"
    refused = upload(two, zipped("algebra"), "algebra.zip")
    assert refused.status_code == 422 and "not one of its owners or editors" in refused.get_data(as_text=True)
    assert two.get("/author/courses/algebra/lessons/basics/edit").status_code == 403


def test_the_operators_cli_load_still_works_without_rights(runner):
    result = runner.invoke(args=["content", "load", str(DATA / "courses")])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CourseMember)) == 0


def test_an_operator_grants_rights_from_the_command_line(runner, demo_course):
    make_user("writer@example.org", role="author")
    result = runner.invoke(args=["users", "grant-course", "--email", "writer@example.org", "--course", "demo"])
    assert result.exit_code == 0 and "writer@example.org is now owner of demo" in result.output
    assert db.session.scalar(sa.select(CourseMember.role)) == "owner"
    refused = runner.invoke(args=["users", "grant-course", "--email", "nobody@example.org", "--course", "demo"])
    assert refused.exit_code != 0 and "enabled author" in refused.output
