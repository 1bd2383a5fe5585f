"""`quizapp content load` parses and renders only lesson files that changed, yet reports exactly what a full check does.

A reload reads every file but parses only those whose text differs from what is loaded. Links are the rule
that crosses files (a lesson may link another lesson or an asset), so they are checked in every file on
every load: an edit elsewhere that breaks them is still reported, with file and line, as before.
"""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select
from support import DATA

from quizapp.content import Renderer, parse_tree
from quizapp.content import courses as content_courses
from quizapp.extensions import db
from quizapp.models import Lesson, Question, QuestionVersion
from quizapp.services.authoring import content_sync
from quizapp.services.authoring.content_sync import loaded_lessons, sync_tree

LINK_TO_BASICS = "A second lesson, after [the basics](01-basics.md).\n"


@pytest.fixture
def tree(tmp_path):
    """A writable copy of the demo course; 02-more.md links to 01-basics.md, 01-basics.md to an asset."""
    root = tmp_path / "content"
    shutil.copytree(DATA / "courses", root)
    edit(root / "demo" / "02-more.md", "A second lesson.\n", LINK_TO_BASICS)
    return root


@pytest.fixture
def work(monkeypatch):
    """Record which lesson files get parsed and which lessons get rendered."""
    seen: dict[str, list[str]] = {"parsed": [], "rendered": []}
    parse, render = content_courses.parse_lesson, Renderer.lesson

    def parse_spy(text, **kwargs):
        seen["parsed"].append(kwargs["path"].rsplit("/", 1)[-1])
        return parse(text, **kwargs)

    def render_spy(self, lesson):
        seen["rendered"].append(lesson.slug)
        return render(self, lesson)

    monkeypatch.setattr(content_courses, "parse_lesson", parse_spy)
    monkeypatch.setattr(Renderer, "lesson", render_spy)
    return seen


def edit(path, old: str, new: str) -> None:
    """Replace text in a content file, failing if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load(runner, root, seen=None):
    """Run `quizapp content load` and forget what earlier loads parsed and rendered."""
    if seen is not None:
        seen["parsed"].clear()
        seen["rendered"].clear()
    return runner.invoke(args=["content", "load", str(root)])


def problems(result) -> list[str]:
    """The problem lines a command printed, without load's closing 'N error(s)' line."""
    return [line for line in result.stderr.splitlines() if "error(s): the courses named" not in line]


def body_html(slug: str) -> str:
    """The stored HTML of a lesson of the demo course."""
    return db.session.scalar(select(Lesson.body_html).where(Lesson.key == f"demo/{slug}"))


def test_unchanged_reload_parses_and_renders_nothing(runner, tree, work):
    """Every lesson file is read, none is parsed or rendered again, and the database is left alone."""
    assert load(runner, tree, work).exit_code == 0
    assert sorted(work["parsed"]) == ["01-basics.md", "02-more.md"]
    assert sorted(work["rendered"]) == ["basics", "more"]
    result = load(runner, tree, work)
    assert result.exit_code == 0, result.output
    assert work == {"parsed": [], "rendered": []}
    assert result.output.strip().splitlines()[-1].endswith(", 2 unchanged")


def test_edited_lesson_alone_is_parsed_and_rendered(runner, tree, work):
    """Editing one file re-parses and re-renders that file only, and its new text reaches the database."""
    load(runner, tree, work)
    edit(tree / "demo" / "01-basics.md", "## Code", "## Code, revised")
    result = load(runner, tree, work)
    assert result.exit_code == 0, result.output
    assert work == {"parsed": ["01-basics.md"], "rendered": ["basics"]}
    assert "changed demo/basics" in result.output and ", 1 unchanged" in result.output
    assert "Code, revised</h2>" in body_html("basics")


def test_new_renderer_version_parses_and_renders_everything_once(runner, tree, work, monkeypatch):
    """A release with another RENDERER_VERSION matches no stored fingerprint: every file is checked again."""
    load(runner, tree, work)
    monkeypatch.setattr(content_sync, "RENDERER_VERSION", "next")
    assert load(runner, tree, work).exit_code == 0
    assert sorted(work["parsed"]) == ["01-basics.md", "02-more.md"]
    assert sorted(work["rendered"]) == ["basics", "more"]
    assert load(runner, tree, work).exit_code == 0
    assert work == {"parsed": [], "rendered": []}


@pytest.mark.parametrize(
    "break_it",
    [
        pytest.param(lambda demo: (demo / "01-basics.md").rename(demo / "01-first-steps.md"),
                     id="linked-lesson-renamed"),
        pytest.param(lambda demo: (demo / "01-basics.md").unlink(), id="linked-lesson-deleted"),
        pytest.param(lambda demo: (demo / "assets" / "dot.svg").unlink(), id="linked-asset-deleted"),
    ],
)
def test_breaking_a_link_from_an_unchanged_lesson_is_reported_as_a_full_check_does(runner, tree, work, break_it):
    """A lesson that did not change is still link-checked: its broken link is an error at its own line."""
    load(runner, tree, work)
    before = {slug: body_html(slug) for slug in ("basics", "more")}
    break_it(tree / "demo")
    result = load(runner, tree, work)
    assert result.exit_code == 1
    assert problems(result) == problems(runner.invoke(args=["content", "check", str(tree)]))
    assert any(":" in line and "points to a missing file" in line for line in problems(result))
    assert "not loaded (errors) demo" in result.output
    assert {slug: body_html(slug) for slug in ("basics", "more")} == before  # all of the course or none


def test_broken_link_is_reported_with_file_line_and_column(runner, tree, work):
    """The unchanged lesson's problem names its file, the link's line and column, and a fix."""
    load(runner, tree, work)
    (tree / "demo" / "01-basics.md").unlink()
    result = load(runner, tree, work)
    more = tree / "demo" / "02-more.md"
    assert problems(result) == [
        f"{more}:4:37: link '01-basics.md' points to a missing file; check the spelling, or add the file "
        "(images and downloads go in assets/)"
    ]
    assert "02-more.md" not in work["parsed"]  # found by the link check alone, without parsing the lesson


def test_duplicate_lesson_slug_from_a_new_file_is_still_refused(runner, tree, work):
    """A new file whose slug an unchanged lesson already uses is refused, as before."""
    load(runner, tree, work)
    shutil.copy(tree / "demo" / "02-more.md", tree / "demo" / "03-more.md")
    result = load(runner, tree, work)
    assert result.exit_code == 1
    assert problems(result) == problems(runner.invoke(args=["content", "check", str(tree)]))
    assert f"{tree / 'demo' / '03-more.md'}:1: lesson slug 'more' is also used by 02-more.md" in result.stderr


def test_warnings_of_an_unchanged_lesson_are_shown_on_every_load(runner, tree, work):
    """A lesson with warnings is always parsed (so they are shown again) but not rendered again."""
    edit(tree / "demo" / "02-more.md", "#### Solution", "#### Solution\n\n```text\nx\n````")
    first = load(runner, tree, work)
    assert first.exit_code == 0 and "warning:" in first.stderr
    checked = runner.invoke(args=["content", "check", str(tree)])
    again = load(runner, tree, work)
    assert again.exit_code == 0
    assert work == {"parsed": ["02-more.md"], "rendered": []}
    assert problems(again) == problems(first) == problems(checked)
    assert again.output.strip().splitlines()[-1].endswith(", 2 unchanged")


def test_deleted_lesson_is_retired_and_comes_back_rendered(runner, tree, work):
    """Deleting a file retires its lesson; putting it back restores it, parsed and rendered again."""
    edit(tree / "demo" / "02-more.md", LINK_TO_BASICS, "A second lesson.\n")
    load(runner, tree, work)
    saved = (tree / "demo" / "01-basics.md").read_bytes()
    (tree / "demo" / "01-basics.md").unlink()
    result = load(runner, tree, work)
    assert result.exit_code == 0 and "retired demo/basics" in result.output
    assert db.session.scalar(select(Lesson.retired).where(Lesson.key == "demo/basics")) is True
    (tree / "demo" / "01-basics.md").write_bytes(saved)
    result = load(runner, tree, work)
    assert result.exit_code == 0 and "restored demo/basics" in result.output
    assert work == {"parsed": ["01-basics.md"], "rendered": ["basics"]}


def test_renumbered_file_is_moved_without_parsing(runner, tree, work):
    """A new leading number with the same text changes the lesson's place, not its content."""
    edit(tree / "demo" / "02-more.md", LINK_TO_BASICS, "A second lesson.\n")
    load(runner, tree, work)
    (tree / "demo" / "01-basics.md").rename(tree / "demo" / "07-basics.md")
    result = load(runner, tree, work)
    assert result.exit_code == 0 and "changed demo/basics" in result.output
    assert work == {"parsed": [], "rendered": []}
    rows = db.session.execute(select(Lesson.key, Lesson.position, Lesson.filename).order_by(Lesson.position)).all()
    assert [tuple(r) for r in rows] == [("demo/more", 0, "02-more.md"), ("demo/basics", 1, "07-basics.md")]


def test_lesson_changed_in_the_database_meanwhile_is_parsed_after_all(app, tree):
    """If what is loaded changes between reading the files and syncing them, the file's text still wins."""
    sync_tree(parse_tree(tree))
    skipping = parse_tree(tree, loaded_lessons())
    assert {type(lesson).__name__ for lesson in skipping.courses[0].lessons} == {"UnchangedLesson"}
    stale = Lesson.__table__.update().where(Lesson.key == "demo/basics").values(source_hash="x", body_html="stale")
    db.session.execute(stale)
    report = sync_tree(skipping)
    assert report.changed == ["demo/basics"] and report.unchanged == 1
    assert "stale" not in body_html("basics") and "<h2" in body_html("basics")


def test_cold_load_versions_every_question_and_an_edited_key_adds_one(runner, tree):
    """A cold load gives every question its first answer-key version; an edited key adds a second one."""
    assert load(runner, tree).exit_code == 0
    rows = db.session.execute(select(Question.key, Question.version)).all()
    assert len(rows) == 6 and {version for _, version in rows} == {1}
    assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 6
    edit(tree / "demo" / "01-basics.md", "Answer: 405", "Answer: 406")
    result = load(runner, tree)
    assert result.exit_code == 0 and "new answer key demo/basics/status" in result.output
    assert db.session.scalar(select(Question.version).where(Question.key == "demo/basics/status")) == 2
    query = (select(QuestionVersion.number).join(Question, Question.id == QuestionVersion.question_id)
             .where(Question.key == "demo/basics/status").order_by(QuestionVersion.number))
    numbers = db.session.scalars(query).all()
    assert numbers == [1, 2]
