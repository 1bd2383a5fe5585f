"""Author assets never run script in our origin (review H2): raster images inline, the rest sandboxed downloads."""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile

import pytest
from sqlalchemy import select
from support import DATA, login, make_author

from quizapp.extensions import db
from quizapp.models import Asset, Course

SCRIPT = b"<script>document.title='pwned'</script>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def store_asset(path: str, mimetype: str, data: bytes) -> None:
    """Put an asset row in the demo course as an older version of the loader would have stored it."""
    course = db.session.scalar(select(Course).where(Course.key == "demo"))
    digest = hashlib.sha256(data).hexdigest()
    db.session.add(Asset(course_id=course.id, path=path, mimetype=mimetype, data=data, sha256=digest))
    db.session.commit()


@pytest.mark.parametrize("name", ["page.html", "PAGE.HTM", "app.js", "mod.mjs", "doc.xhtml", "feed.xml"])
def test_content_check_refuses_script_capable_assets_at_the_file(runner, tmp_path, name):
    root = tmp_path / "content"
    shutil.copytree(DATA / "courses", root)
    (root / "demo" / "assets" / name).write_bytes(SCRIPT)
    result = runner.invoke(args=["content", "check", str(root)])
    assert result.exit_code != 0
    assert f"assets/{name}:1" in result.output and "can run script" in result.output
    load = runner.invoke(args=["content", "load", str(root)])
    assert load.exit_code != 0 and "can run script" in load.output


def test_zip_upload_refuses_an_html_asset(client, app):
    login(client, make_author("author@example.org").email)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in (DATA / "courses" / "demo").rglob("*"):
            if file.is_file():
                archive.writestr(f"demo/{file.relative_to(DATA / 'courses' / 'demo').as_posix()}", file.read_bytes())
        archive.writestr("demo/assets/page.html", SCRIPT)
    response = client.post("/author/upload", data={"file": (io.BytesIO(buffer.getvalue()), "demo.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "can run script" in response.get_data(as_text=True)
    assert db.session.scalar(select(Course).where(Course.key == "demo")) is None


@pytest.mark.parametrize("name, mimetype", [("a.png", "image/png"), ("b.jpg", "image/jpeg"),
                                            ("c.gif", "image/gif"), ("d.webp", "image/webp")])
def test_raster_images_are_shown_inline(client, demo_course, name, mimetype):
    store_asset(f"assets/{name}", mimetype, PNG)
    response = client.get(f"/courses/demo/assets/{name}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert "Content-Disposition" not in response.headers


@pytest.mark.parametrize("name, mimetype", [("dot.svg", "image/svg+xml"), ("old.html", "text/html"),
                                            ("old.js", "text/javascript"), ("notes.pdf", "application/pdf"),
                                            ("caf\u00e9 \"x\".txt", "text/plain")])
def test_every_other_asset_is_a_sandboxed_download(client, demo_course, name, mimetype):
    if name != "dot.svg":
        store_asset(f"assets/{name}", mimetype, SCRIPT)  # stored before the loader refused such files
    response = client.get(f"/courses/demo/assets/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp and "script-src 'self'" not in csp
