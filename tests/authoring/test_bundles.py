"""Upload (lesson file, course zip), GIFT import and export in the browser; the export round-trips."""

from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path

import pytest
from authoring_helpers import GOOD_COURSE_MD, GOOD_LESSON, text_of
from sqlalchemy import func, select
from support import DATA, ROOT, grant_courses, load_courses

from quizapp.content import answer_key_hash, parse_tree, render_course
from quizapp.extensions import db
from quizapp.models import Course, Lesson, Question
from quizapp.services.authoring import bundles


def lessons() -> int:
    """Count lesson rows."""
    return db.session.scalar(select(func.count()).select_from(Lesson))


def make_zip(files: dict[str, bytes | str], *, links: tuple[str, ...] = ()) -> bytes:
    """Build a zip in memory; names in ``links`` are stored as symbolic links."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name)
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def good_files(root: str = "good/") -> dict[str, str]:
    """A small valid course as zip entries."""
    return {f"{root}course.md": GOOD_COURSE_MD.lstrip(), f"{root}01-only.md": GOOD_LESSON.lstrip()}


def upload(client, data: bytes, name: str, **fields):
    """Post the upload form with one file."""
    return client.post("/author/upload", data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


# --- uploads ----------------------------------------------------------------------------------------


def test_upload_a_lesson_file_into_a_course(client, author, demo_course):
    response = upload(client, GOOD_LESSON.lstrip().encode(), "03-extra.md", course="demo")
    assert response.status_code == 302
    assert "1 lesson and 1 question added" in text_of(client.get("/author/"))
    assert client.get("/courses/demo/extra").status_code == 200


def test_upload_of_a_broken_lesson_saves_nothing(client, author, demo_course):
    response = upload(client, b"---\ntitel: X\n---\n", "03-extra.md", course="demo")
    assert response.status_code == 422
    page = text_of(response)
    assert "Nothing was saved" in page and "03-extra.md:2" in page and "unknown key" in page
    assert lessons() == 2


def test_upload_of_a_non_utf8_lesson_names_the_line(client, author, demo_course):
    response = upload(client, b"---\ntitle: X\n---\ncaf\xe9\n", "03-extra.md", course="demo")
    assert response.status_code == 422 and "03-extra.md:4" in text_of(response) and "UTF-8" in text_of(response)


def test_upload_lesson_needs_a_course_and_a_known_kind_of_file(client, author, demo_course):
    assert "Pick the course" in text_of(upload(client, b"x", "03-extra.md"))
    assert "Upload a lesson (.md)" in text_of(upload(client, b"x", "notes.pdf"))
    assert "Choose a .md lesson file" in text_of(client.post("/author/upload", data={}))


@pytest.mark.parametrize("root", ["good/", ""])
def test_upload_a_zipped_course_folder(client, author, app, root):
    response = upload(client, make_zip(good_files(root)), "good.zip")
    assert response.status_code == 302, text_of(response)
    assert client.get("/courses/good/only").status_code == 200


def test_zip_with_a_broken_lesson_loads_nothing(client, author, app):
    files = {**good_files(), "good/02-bad.md": "---\ntitle: Bad\n---\n```python\nnever closed\n"}
    response = upload(client, make_zip(files), "good.zip")
    assert response.status_code == 422 and "02-bad.md:4" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0


@pytest.mark.parametrize(
    ("files", "links", "message"),
    [
        ({**good_files(), "good/../evil.md": "x"}, (), "outside the course folder"),
        ({**good_files(), "/etc/evil.md": "x"}, (), "outside the course folder"),
        ({**good_files(), "good/assets/link.png": "/etc/passwd"}, ("good/assets/link.png",), "symbolic link"),
        ({**good_files(), "good/run.sh": "echo"}, (), "neither a lesson"),
        ({**good_files(), "good/sub/x.md": "x"}, (), "neither a lesson"),
        ({"a/x.md": "x"}, (), "no course.md"),
        ({**good_files(), **{f"good/assets/{n}.txt": "x" for n in range(501)}}, (), "over the limit of 500"),
    ],
)
def test_unsafe_zips_are_refused_and_nothing_is_written(client, author, app, files, links, message, tmp_path):
    response = upload(client, make_zip(files, links=links), "good.zip")
    assert response.status_code == 422 and message in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0


def test_zip_bomb_is_refused_by_real_size_not_the_claimed_size(client, author, app, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in good_files().items():
            archive.writestr(name, data)
        archive.writestr("good/assets/zeros.bin", b"\0" * (21 * 1024 * 1024))
    (tmp_path / "unpack").mkdir()
    with pytest.raises(bundles.BundleError, match="more than 20 MB"):
        bundles.unpack_course_zip(buffer.getvalue(), tmp_path / "unpack", "good")
    assert not any((tmp_path / "unpack").iterdir())
    response = upload(client, buffer.getvalue(), "good.zip")
    assert response.status_code == 422 and "more than 20 MB" in text_of(response)


def test_not_a_zip_is_explained(client, author, app):
    assert "not a zip archive" in text_of(upload(client, b"hello", "course.zip"))


# --- GIFT import -----------------------------------------------------------------------------------

GIFT = b"""
::Capital:: What is the capital of France? {=Paris#Yes. ~London#That is England's capital. ~Berlin}

::Answer:: Six times seven? {#42:0.5}

::Essay:: Write an essay. {}
"""


def test_gift_import_shows_the_lesson_for_review_and_saves_only_on_save(client, author, demo_course):
    response = client.post("/author/import-gift", data={"file": (io.BytesIO(GIFT), "quiz.gift"), "course": "demo",
                                                        "title": "Imported quiz"}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "03-imported-quiz.md" in html
    assert "That is England" in html and "✓ right" in html  # converted, previewed
    assert "skipped" in html  # the essay question cannot be converted: a warning
    assert lessons() == 2
    text = text_of(response)
    assert "Not saved yet" in text


def test_gift_import_form_errors_are_shown_beside_the_fields(client, author, demo_course):
    response = client.post("/author/import-gift", data={"course": "demo"})
    assert response.status_code == 422
    page = text_of(response)
    assert "Choose a GIFT file" in page and "Give the new lesson a title." in page


# --- export and round trip ------------------------------------------------------------------------


def test_export_zip_holds_course_lessons_and_assets(client, author, demo_course):
    response = client.get("/author/courses/demo/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"  # the author's work: never kept by a cache (L6)
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert sorted(names) == ["demo/01-basics.md", "demo/02-more.md", "demo/assets/dot.svg", "demo/course.md"]
    assert client.get("/author/courses/nope/export.zip").status_code == 404


def comparable(root):
    """Parse and render a content tree into plain values: keys, titles, answer keys and HTML."""
    tree = parse_tree(root)
    assert not [p for p in tree.problems if p.severity == "error"]
    out = []
    for course in map(render_course, tree.courses):
        out.append((course.slug, course.title, course.intro_html, sorted((a.path, a.data) for a in course.assets)))
        for lesson in course.lessons:
            out.append((lesson.slug, lesson.title, lesson.body_html, lesson.tags))
            for q in lesson.questions:
                out.append((q.id, q.title, q.prompt_html, answer_key_hash(q.answer), q.solution_html, q.hints_html))
    return out


@pytest.mark.parametrize("source", [DATA / "courses", ROOT / "content"], ids=["demo", "real"])
def test_export_round_trips_to_the_same_courses(app, runner, tmp_path, source):
    load_courses(source)
    exported = tmp_path / "exported"
    for key in db.session.scalars(select(Course.key)):
        assert runner.invoke(args=["content", "export", key, str(exported / key)]).exit_code == 0
    assert comparable(exported) == comparable(source)
    result = runner.invoke(args=["content", "load", str(exported)])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1].startswith("0 added, 0 changed, 0 new answer key, 0 retired")


def test_browser_edits_survive_export_and_a_disk_load_replaces_them(client, author, runner, tree, tmp_path):
    load_courses(tree)
    grant_courses(author.email)
    client.post("/author/courses/demo/lessons/basics/edit", data={
        "action": "save", "text": (tree / "demo" / "01-basics.md").read_text().replace("title: Basics", "title: Web")})
    assert "changed demo/basics" in runner.invoke(args=["content", "load", "--dry-run", str(tree)]).output
    assert runner.invoke(args=["content", "export", "demo", str(tmp_path / "out")]).exit_code == 0
    assert "title: Web" in (tmp_path / "out" / "01-basics.md").read_text()
    runner.invoke(args=["content", "load", str(tree)])
    db.session.expire_all()
    assert db.session.scalar(select(Lesson.title).where(Lesson.key == "demo/basics")) == "Basics"
    assert db.session.scalar(select(func.count()).select_from(Question)) == 6  # nothing lost or duplicated


def test_a_zip_that_would_retire_lessons_names_them_and_asks_first(client, author, demo_course, app):
    files = {f"demo/{p.relative_to(DATA / 'courses' / 'demo').as_posix()}": p.read_bytes()
             for p in (DATA / "courses" / "demo").rglob("*") if p.is_file() and p.name != "02-more.md"}
    asked = upload(client, make_zip(files), "demo.zip")
    page = text_of(asked)
    assert asked.status_code == 200 and "Retire 1 lesson?" in page and "demo/more" in page
    assert "Nothing has been saved yet" in page
    assert db.session.scalar(select(Lesson.retired).where(Lesson.key == "demo/more")) is False
    token = re.search(r'name="pending" value="([^"]+)"', asked.get_data(as_text=True)).group(1)
    confirmed = client.post("/author/upload", data={"pending": token, "name": "demo.zip", "confirm_retire": "1"})
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Lesson.retired).where(Lesson.key == "demo/more")) is True
    again = client.post("/author/upload", data={"pending": token, "name": "demo.zip", "confirm_retire": "1"})
    assert again.status_code == 422 and "kept for an hour" in text_of(again)  # a stash is taken once
    assert not list((Path(app.instance_path) / "pending-uploads").glob("*.upload"))
