"""Teaching checks in the browser editor: each warning at its line, with its rule, for edits and imports."""

from __future__ import annotations

import io
import re
from html import unescape

from authoring_helpers import text_of
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Lesson

EDIT = "/author/courses/demo/lessons/more/edit"
LONG_KEY = "- [x] Right, and here is a long explanation of exactly why it is right\n"


def source() -> str:
    """Give the stored Markdown of the demo's second lesson."""
    return db.session.scalar(select(Lesson.source).where(Lesson.key == "demo/more"))


def test_preview_lists_teaching_warnings_at_their_lines_with_the_rule(client, author, demo_course):
    """The problem list links the warning's line (the editor jumps there) and names the rule."""
    text = source().replace("- [x] Right\n", LONG_KEY)
    line = text.splitlines().index(LONG_KEY.rstrip()) + 1
    html = client.post(EDIT, data={"action": "preview", "text": text}).get_data(as_text=True)
    item = re.search(r'<li class="warning">(.*?)</li>', html, re.DOTALL)[1]
    assert f'data-line="{line}">line {line}</a>' in item
    assert "the right choice is" in item and "[length-cue]" in item


def test_silenced_check_is_not_listed(client, author, demo_course):
    """'.allow-length-cue' on the heading silences the warning in the editor too."""
    text = source().replace("- [x] Right\n", LONG_KEY).replace("{#only}", "{#only .allow-length-cue}")
    html = client.post(EDIT, data={"action": "preview", "text": text}).get_data(as_text=True)
    assert "[length-cue]" not in html and "No problems" in html


def test_index_names_the_rule_of_each_warning(client, author, demo_course):
    """The overview's per-lesson warnings carry the rule's name."""
    db.session.execute(Lesson.__table__.update().where(Lesson.key == "demo/more")
                       .values(source=source().replace("- [x] Right\n", LONG_KEY)))
    db.session.commit()
    assert re.search(r"line 12: the right choice is .*\[length-cue\]", unescape(text_of(client.get("/author/"))))


GIFT = b"::Cue:: Which one? {=It runs on the server, whoever calls it#Yes. ~Client#No. ####Because.}\n"


def test_gift_import_shows_teaching_warnings(client, author, demo_course):
    """An imported question gets the same checks: at its GIFT line, and at its line in the draft."""
    response = client.post("/author/import-gift", data={"file": (io.BytesIO(GIFT), "quiz.gift"), "course": "demo",
                                                        "title": "Imported"}, content_type="multipart/form-data")
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "quiz.gift:1</code>:" in html and "Cue {#cue}: the right choice is" in html
    assert re.search(r'data-line="\d+">line \d+</a>:\s*warning: the right choice is', html)
    assert html.count("[length-cue]") == 2
