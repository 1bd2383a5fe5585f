"""In Chromium: an author's SVG still shows as an image, but no asset runs script in our origin (review H2)."""

from __future__ import annotations

import hashlib
import threading

import pytest
from playwright.sync_api import Error
from sqlalchemy import select
from support import load_courses
from werkzeug.serving import make_server

from quizapp.extensions import db
from quizapp.models import Asset, Course

pytestmark = pytest.mark.browser

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><script>top.document.title="pwned"</script></svg>'
HTML = b"<script>document.title='pwned'</script>"


@pytest.fixture
def demo_server(make_app):
    """The demo course, with a scripted SVG and an HTML page stored as an older loader let them in."""
    app = make_app()
    with app.app_context():
        load_courses()
        course = db.session.scalar(select(Course).where(Course.key == "demo"))
        stored = (("assets/evil.svg", "image/svg+xml", SVG), ("assets/page.html", "text/html", HTML))
        for path, mimetype, data in stored:
            db.session.add(Asset(course_id=course.id, path=path, mimetype=mimetype, data=data,
                                 sha256=hashlib.sha256(data).hexdigest()))
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_an_svg_shows_as_an_image_and_no_asset_runs_script(page, demo_server):
    page.goto(f"{demo_server}/courses/demo/basics")
    page.wait_for_function("document.querySelector('img[src$=\"dot.svg\"]').complete")
    assert page.evaluate("document.querySelector('img[src$=\"dot.svg\"]').naturalWidth") == 4
    title = page.title()
    for name in ("evil.svg", "page.html"):
        with pytest.raises(Error, match="Download is starting"):
            page.goto(f"{demo_server}/courses/demo/assets/{name}")
        assert page.title() == title != "pwned"
