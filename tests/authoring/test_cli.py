"""`quizapp content check/load/export/import-gift` through the real CLI runner, on real files."""

from __future__ import annotations

import json

import pytest
from authoring_helpers import GOOD_COURSE_MD, GOOD_LESSON, edit, run, write
from sqlalchemy import func, select
from support import make_user

from quizapp.extensions import db
from quizapp.models import Attempt, Course, Lesson, Question, QuestionVersion
from quizapp.services.learning import practice, progress
from quizapp.services.teaching import classes
from quizapp.services.teaching.summaries import class_summaries

BASICS = "01-basics.md"


def count(model) -> int:
    """Count rows of a table."""
    return db.session.scalar(select(func.count()).select_from(model))


def broken_lesson(folder) -> None:
    """Add a lesson with two mistakes on known lines."""
    write(folder / "03-broken.md", """
        ---
        titel: Broken
        ---
        Text.

        ## Practice

        ### No id here

        - [x] A
        - [ ] B
        """)


# --- check ------------------------------------------------------------------------------------


def test_check_clean_tree_exits_zero(runner, tree):
    result = run(runner, "check", tree)
    assert result.exit_code == 0, result.output
    assert "no errors" in result.output


def test_check_reports_every_problem_as_file_line_message_and_exits_one(runner, tree):
    broken_lesson(tree / "demo")
    result = run(runner, "check", tree)
    assert result.exit_code == 1
    path = tree / "demo" / "03-broken.md"
    assert f"{path}:2: unknown key 'titel'" in result.output
    assert f"{path}:8: question heading has no id" in result.output  # the second problem, same run
    assert "did you mean 'title'" in result.output


def test_check_reports_problems_of_several_courses_in_one_run(runner, tree):
    broken_lesson(tree / "demo")
    write(tree / "other" / "course.md", "---\ntitle: Other\n---\n")
    write(tree / "other" / "01-x.md", "---\ntitle: X\n---\n![gone](assets/gone.png)\n")
    result = run(runner, "check", tree)
    assert result.exit_code == 1
    assert "03-broken.md:2:" in result.output and "01-x.md:4:" in result.output


def test_check_json_lists_problems_with_file_line_column_severity_message(runner, tree):
    broken_lesson(tree / "demo")
    result = run(runner, "check", "--format", "json", tree)
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert {"file", "path", "line", "column", "severity", "message"} <= set(problems[0])
    typo = next(p for p in problems if "unknown key 'titel'" in p["message"])
    assert typo["file"].endswith("03-broken.md") and typo["line"] == 2 and typo["severity"] == "error"
    assert any(p["line"] == 8 and "no id" in p["message"] for p in problems)


def test_check_json_of_a_clean_tree_is_an_empty_list(runner, tree):
    result = run(runner, "check", "--format", "json", tree)
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_check_never_touches_the_database(make_app, tree, tmp_path):
    # The database file's folder does not exist: any query would fail.
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'x.sqlite3'}")
    broken_lesson(tree / "demo")
    result = app.test_cli_runner().invoke(args=["content", "check", str(tree)])
    assert result.exit_code == 1 and "03-broken.md:2:" in result.output
    assert not (tmp_path / "no").exists()


def test_check_of_a_single_course_folder(runner, tree):
    broken_lesson(tree / "demo")
    result = run(runner, "check", tree / "demo")
    assert result.exit_code == 1 and "03-broken.md:2:" in result.output


# --- load: all or nothing ---------------------------------------------------------------------


def test_broken_course_loads_nothing_while_a_good_course_loads(runner, tree):
    broken_lesson(tree / "demo")
    write(tree / "good" / "course.md", GOOD_COURSE_MD)
    write(tree / "good" / "01-only.md", GOOD_LESSON)
    result = run(runner, "load", tree)
    assert result.exit_code == 1
    assert "not loaded (errors) demo" in result.output
    assert [c.key for c in db.session.scalars(select(Course))] == ["good"]
    assert count(Lesson) == 1 and count(Question) == 1


def test_existing_course_stays_exactly_as_it_was_when_its_new_version_is_broken(runner, tree):
    assert run(runner, "load", tree).exit_code == 0
    before = snapshot()
    edit(tree / "demo" / BASICS, "Where does a server action's body run?", "Reworded prompt.")
    edit(tree / "demo" / "02-more.md", "title: More", "title: More, renamed")
    broken_lesson(tree / "demo")
    result = run(runner, "load", tree)
    assert result.exit_code == 1
    db.session.expire_all()
    assert snapshot() == before


def snapshot() -> list:
    """Everything a load can change, as plain values."""
    rows = []
    for model in (Course, Lesson, Question, QuestionVersion):
        for row in db.session.scalars(select(model).order_by(model.id)):
            rows.append({k: v for k, v in vars(row).items() if not k.startswith("_")})
    return rows


def test_load_refuses_a_missing_folder_instead_of_retiring_everything(runner, tree, tmp_path):
    run(runner, "load", tree)
    result = run(runner, "load", tmp_path / "typo")
    assert result.exit_code != 0 and "does not exist" in result.output
    assert db.session.scalar(select(Course.retired).where(Course.key == "demo")) is False


# --- dry run ------------------------------------------------------------------------------------


def test_dry_run_prints_what_would_change_and_changes_nothing(runner, tree):
    result = run(runner, "load", "--dry-run", tree)
    assert result.exit_code == 0
    assert "would be added demo" in result.output and "would be added demo/basics/where" in result.output
    assert count(Course) == 0 and count(Question) == 0
    run(runner, "load", tree)
    edit(tree / "demo" / BASICS, "title: Basics", "title: Basics, edited")
    (tree / "demo" / "02-more.md").unlink()
    before = snapshot()
    result = run(runner, "load", "--dry-run", tree)
    assert "would be changed demo/basics" in result.output
    assert "would be retired demo/more" in result.output
    db.session.expire_all()
    assert snapshot() == before


# --- reloads keep progress ----------------------------------------------------------------------


def answer(user_id: int, key: str, **form) -> practice.AnswerResult:
    """Answer a question through the same service the learner's form uses."""
    question = db.session.scalar(select(Question).where(Question.key == key))
    return practice.submit_answer(user_id, question.id, {k: [v] for k, v in form.items()},
                                  submission_key=f"{key}-{len(form)}-{count(Attempt)}")


def basics_progress(user_id: int):
    """Give (answered, correct, total) of the Basics lesson for one learner."""
    lessons = progress.get_progress_for_user(user_id, "demo")[0].lessons
    lesson = next(item for item in lessons if item.slug == "basics")
    return lesson.answered, lesson.correct, lesson.total


@pytest.fixture
def loaded(runner, tree, app):
    """The demo tree loaded through the CLI, and a learner with one right answer."""
    assert run(runner, "load", tree).exit_code == 0
    user = make_user()
    answer(user.id, "demo/basics/where", choice="b")
    return user


def test_reload_with_edited_prompt_and_title_keeps_attempts_and_progress(runner, tree, loaded):
    edit(tree / "demo" / BASICS, "### Where does it run? {#where}", "### Where is the body run? {#where}")
    edit(tree / "demo" / BASICS, "Where does a server action's body run?", "In which place does the body run?")
    edit(tree / "demo" / BASICS, "title: Basics", "title: Basics of actions")
    result = run(runner, "load", tree)
    assert "changed demo/basics" in result.output and "new answer key demo" not in result.output
    question = db.session.scalar(select(Question).where(Question.key == "demo/basics/where"))
    assert question.title == "Where is the body run?" and "In which place" in question.prompt_html
    assert question.version == 1 and count(Attempt) == 1
    assert basics_progress(loaded.id) == (1, 1, 5)


def test_reworded_feedback_keeps_the_answer_key(runner, tree, loaded):
    # What a choice says, and whether it is right, is the key; the feedback on it is wording.
    edit(tree / "demo" / BASICS, "> Calling a function from the browser does not move its body there.",
         "> The browser only calls it: the body stays on the server.")
    result = run(runner, "load", tree)
    assert "changed demo/basics" in result.output and "new answer key demo" not in result.output
    question = db.session.scalar(select(Question).where(Question.key == "demo/basics/where"))
    assert question.version == 1 and count(QuestionVersion) == count(Question)
    assert basics_progress(loaded.id) == (1, 1, 5)


def test_a_load_that_changes_answer_keys_rebuilds_the_class_counters(runner, tree, loaded):
    teacher = make_user("teacher@example.org", role="instructor")
    info = classes.create_class(teacher.id, "One")
    classes.join_class(loaded.id, info.join_code)
    course_id = db.session.scalar(select(Course.id).where(Course.key == "demo"))
    edit(tree / "demo" / BASICS, "- [ ] In the browser", "- [x] In the browser")
    result = run(runner, "load", tree)
    assert "new answer key demo/basics/where" in result.output
    assert "class counters rebuilt for 1 class and course pair(s)" in result.output
    assert class_summaries.is_fresh(info.id, course_id)  # no instructor's page view has to rebuild them
    assert "class counters" not in run(runner, "load", tree).output  # nothing changed: nothing rebuilt


def test_changed_answer_key_makes_version_two_and_old_attempts_stop_counting(runner, tree, loaded):
    text = (tree / "demo" / BASICS).read_text()
    text = text.replace("- [ ] In the browser", "- [x] In the browser", 1)
    (tree / "demo" / BASICS).write_text(text)
    result = run(runner, "load", tree)
    assert "new answer key demo/basics/where" in result.output
    question = db.session.scalar(select(Question).where(Question.key == "demo/basics/where"))
    versions = db.session.scalars(select(QuestionVersion.number).where(QuestionVersion.question_id == question.id))
    assert question.version == 2 and sorted(versions) == [1, 2]
    assert [a.version for a in db.session.scalars(select(Attempt))] == [1]  # the old attempt keeps v1
    assert basics_progress(loaded.id) == (0, 0, 5)  # progress counts current-version attempts only
    answer(loaded.id, "demo/basics/where", choice="a")
    assert basics_progress(loaded.id)[0] == 1


def test_removed_question_and_lesson_are_retired_then_restored(runner, tree, loaded, client):
    original = (tree / "demo" / BASICS).read_text()
    start = original.index("### Where does it run?")
    (tree / "demo" / BASICS).write_text(original[:start] + original[original.index("### Pick the true ones"):])
    more = (tree / "demo" / "02-more.md").read_text()
    (tree / "demo" / "02-more.md").unlink()
    result = run(runner, "load", tree)
    assert "retired demo/basics/where" in result.output and "retired demo/more" in result.output
    assert client.get("/courses/demo/basics/where").status_code == 404
    assert client.get("/courses/demo/more").status_code == 404
    assert count(Attempt) == 1  # kept
    assert basics_progress(loaded.id) == (0, 0, 4)  # and not counted
    (tree / "demo" / BASICS).write_text(original)
    (tree / "demo" / "02-more.md").write_text(more)
    result = run(runner, "load", tree)
    assert "restored demo/basics/where" in result.output and "restored demo/more" in result.output
    assert client.get("/courses/demo/more").status_code == 200
    assert basics_progress(loaded.id) == (1, 1, 5)


def test_removed_course_folder_is_retired_with_prune_and_restored(runner, tree, loaded, tmp_path):
    (tree / "demo").rename(tmp_path / "demo-away")
    write(tree / "good" / "course.md", GOOD_COURSE_MD)
    write(tree / "good" / "01-only.md", GOOD_LESSON)
    assert "retired demo" in run(runner, "load", "--prune", tree).output
    assert progress.get_progress_for_user(loaded.id, "demo") == []
    (tmp_path / "demo-away").rename(tree / "demo")
    assert "restored demo" in run(runner, "load", tree).output
    assert basics_progress(loaded.id) == (1, 1, 5)


def test_a_load_keeps_courses_not_under_its_path_unless_told(runner, tree, loaded, tmp_path):
    """Loading one folder of courses used to retire every course not in it (another team's, say)."""
    other = tmp_path / "other"
    write(other / "good" / "course.md", GOOD_COURSE_MD)
    write(other / "good" / "01-only.md", GOOD_LESSON)
    result = run(runner, "load", other)
    assert result.exit_code == 0 and "added good" in result.output and "retired demo" not in result.output
    assert f"kept (not under {other}): demo; add --prune to retire them" in result.output
    assert db.session.scalar(select(Course.retired).where(Course.key == "demo")) is False
    assert run(runner, "load", tree / "demo").exit_code == 0  # one course folder: the others stay too
    assert db.session.scalar(select(Course.retired).where(Course.key == "good")) is False
    dry = run(runner, "load", "--dry-run", "--prune", other)
    assert "would be retired demo" in dry.output
    db.session.expire_all()
    assert db.session.scalar(select(Course.retired).where(Course.key == "demo")) is False
    assert "retired demo" in run(runner, "load", "--prune", other).output
    db.session.expire_all()
    assert db.session.scalar(select(Course.retired).where(Course.key == "demo")) is True


def test_unchanged_reload_reports_no_changes_and_renders_nothing(runner, tree, loaded):
    stamps = dict(db.session.execute(select(Lesson.key, Lesson.updated_at)).all())
    result = run(runner, "load", tree)
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[-1] == (
        "0 added, 0 changed, 0 new answer key, 0 retired, 0 restored, 0 removed, 0 not loaded (errors), 2 unchanged"
    )
    db.session.expire_all()
    assert dict(db.session.execute(select(Lesson.key, Lesson.updated_at)).all()) == stamps


def test_changed_asset_is_reported_and_replaced(runner, tree, loaded, client):
    (tree / "demo" / "assets" / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    result = run(runner, "load", tree)
    assert "changed demo/assets/dot.svg" in result.output
    assert client.get("/courses/demo/assets/dot.svg").data == b'<svg xmlns="http://www.w3.org/2000/svg"/>'


def test_renumbered_lesson_file_keeps_its_key_and_attempts(runner, tree, loaded):
    (tree / "demo" / BASICS).rename(tree / "demo" / "05-basics.md")
    result = run(runner, "load", tree)
    assert "changed demo/basics" in result.output
    lesson = db.session.scalar(select(Lesson).where(Lesson.key == "demo/basics"))
    assert lesson.filename == "05-basics.md" and lesson.position == 1
    assert basics_progress(loaded.id) == (1, 1, 5)
