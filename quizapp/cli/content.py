"""`quizapp content ...`: check, load, scaffold, export and import course content."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from quizapp.content import (
    MAX_FILE_BYTES,
    ContentTree,
    Loaded,
    course_language,
    gift_to_markdown,
    new_lesson_markdown,
    parse_course_dir,
    parse_tree,
)
from quizapp.content.checks import CHECKS
from quizapp.content.parsing.parser import count_questions
from quizapp.services.authoring import bundles
from quizapp.services.authoring.content_sync import courses_outside, loaded_lessons, sync_tree
from quizapp.services.authoring.editor import next_lesson_filename
from quizapp.services.teaching.summaries import class_summaries

content = AppGroup("content", help="Check, load, scaffold, export and import course content.")


def read_content(path: Path, loaded: Loaded | None = None) -> tuple[ContentTree, bool]:
    """Parse a content root, or a single course folder; say whether it was a whole tree.

    ``loaded`` (from ``loaded_lessons``) skips parsing the lesson files the database already holds.
    """
    if (path / "course.md").is_file():
        course, problems = parse_course_dir(path, loaded)
        broken = () if course else (path.name,)
        return ContentTree((course,) if course else (), tuple(problems), broken), False
    return parse_tree(path, loaded), True


def default_path(path: str | None) -> Path:
    """Use the given path, else the configured content folder."""
    return Path(path or current_app.config["CONTENT_DIR"])


def problem_json(problem) -> dict:
    """Give one problem as JSON: 'file' and 'path' both name the file (editors look for either)."""
    return {"file": problem.path, **problem.to_dict()}


def echo_problems(tree: ContentTree) -> int:
    """Print every problem to stderr; give the number of errors."""
    errors = 0
    for problem in tree.problems:
        click.echo(str(problem), err=True)
        errors += problem.severity == "error"
    return errors


@content.command("check")
@click.argument("path", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@click.option("--strict", is_flag=True, help="Treat every warning (teaching checks included) as an error.")
@click.option("--list-checks", is_flag=True, help="List the teaching checks ('.allow-<name>' silences one) and exit.")
def check_command(path: str | None, fmt: str, strict: bool, list_checks: bool) -> None:
    """Check content files without touching the database; exit 1 on any error (or warning, with --strict)."""
    if list_checks:
        width = max(len(check.name) for check in CHECKS)
        click.echo("\n".join(f"{check.name:<{width}}  {check.catches}" for check in CHECKS))
        return
    root = default_path(path)
    tree, _ = read_content(root)
    problems = [replace(p, severity="error") if strict else p for p in tree.problems]
    errors = sum(p.severity == "error" for p in problems)
    if fmt == "json":
        click.echo(json.dumps([problem_json(p) for p in problems], indent=2))
    else:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(check_summary(tally(root, tree), errors, len(problems) - errors))
    sys.exit(1 if errors else 0)


def tally(root: Path, tree: ContentTree) -> tuple[int, int, int]:
    """Count the courses, lessons and questions checked, those in courses with errors included."""
    courses = len(tree.courses)
    lessons = sum(len(c.lessons) for c in tree.courses)
    questions = sum(len(getattr(lesson, "questions", ())) for c in tree.courses for lesson in c.lessons)
    for slug in tree.broken:
        folder = root if root.name == slug and (root / "course.md").is_file() else root / slug
        if not (folder / "course.md").is_file():
            continue
        files = [f for f in folder.glob("*.md") if f.name != "course.md" and not f.name.startswith(".")]
        courses, lessons = courses + 1, lessons + len(files)
        questions += sum(count_questions(_text_of(f)) for f in files)
    return courses, lessons, questions


def _text_of(file: Path) -> str:
    try:
        return file.read_bytes()[:MAX_FILE_BYTES].decode("utf-8", errors="replace")
    except OSError:
        return ""


def check_summary(counts: tuple[int, int, int], errors: int, warnings: int) -> str:
    """Say what was checked and found: '1 course, 5 lessons, 28 questions checked: no errors, 2 warnings.'"""
    checked = ", ".join(_plural(n, word) for n, word in zip(counts, ("course", "lesson", "question"), strict=True))
    verdict = _plural(errors, "error") if errors else "no errors"
    if warnings:
        verdict += ", " + _plural(warnings, "warning")
    return f"{checked} checked: {verdict}."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@content.command("load")
@click.argument("path", required=False)
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
@click.option("--prune", is_flag=True, help="Also retire loaded courses that are not under PATH.")
def load_command(path: str | None, dry_run: bool, prune: bool) -> None:
    """Check and load the courses under PATH; a course with any error is left exactly as it was.

    Lessons and questions missing from a loaded course are retired; courses not under PATH are kept,
    unless --prune is given (see them first with --dry-run --prune).
    """
    root = default_path(path)
    if not root.is_dir():
        raise click.ClickException(f"content folder '{root}' does not exist; nothing was loaded")
    tree, _whole = read_content(root, loaded_lessons())
    errors = echo_problems(tree)
    report = sync_tree(tree, dry_run=dry_run, retire_missing=prune)
    prefix = "would be " if dry_run else ""
    for line in report.lines():
        click.echo(prefix + line if not line[0].isdigit() else line)
    if not prune and (kept := courses_outside(tree)):
        click.echo(f"kept (not under {root}): {', '.join(kept)}; add --prune to retire them")
    if report.touched and not dry_run:
        # New answer keys and retirements change what the class counters count: rebuild them now, not
        # inside the next instructor's page view (seconds for a class of thousands).
        started = time.perf_counter()
        rebuilt = class_summaries.refresh_all()
        if rebuilt:
            click.echo(f"class counters rebuilt for {rebuilt} class and course pair(s) in "
                       f"{time.perf_counter() - started:.1f} s")
    if errors:
        click.echo(f"{errors} error(s): the courses named above were not loaded; fix and load again.", err=True)
        sys.exit(1)


@content.command("new-lesson")
@click.argument("title")
@click.option("--course", "course_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The course folder to add the lesson to.")
def new_lesson_command(title: str, course_dir: Path) -> None:
    """Create a numbered lesson file from a template that passes the checker."""
    target = _new_lesson_path(course_dir, title)
    texts = [p.read_text(encoding="utf-8") for p in sorted(course_dir.glob("[0-9]*.md"))]
    target.write_text(new_lesson_markdown(title, course_language(texts)), encoding="utf-8")
    click.echo(f"created {target}")


def _new_lesson_path(course_dir: Path, title: str) -> Path:
    if not (course_dir / "course.md").is_file():
        raise click.ClickException(f"{course_dir} has no course.md; give the folder of an existing course.")
    target = course_dir / next_lesson_filename([p.name for p in course_dir.glob("*.md")], title)
    if target.exists():
        raise click.ClickException(f"{target} already exists.")
    return target


@content.command("export")
@click.argument("course_key")
@click.argument("dest", type=click.Path(path_type=Path))
def export_command(course_key: str, dest: Path) -> None:
    """Write a loaded course (browser edits included) to DEST: a folder, or a zip if DEST ends in .zip."""
    bundle = bundles.export_course(course_key)
    if bundle is None:
        raise click.ClickException(f"there is no course '{course_key}' in the database; see the /author page")
    if dest.suffix.lower() == ".zip":
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(bundles.zip_bytes(bundle))
    else:
        if dest.exists() and any(dest.iterdir()):
            raise click.ClickException(f"{dest} is not empty; give a new or empty folder")
        bundles.write_folder(bundle, dest)
    click.echo(f"exported {course_key}: {len(bundle.files)} files to {dest}")


@content.command("import-gift")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--course", "course_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The course folder to add the lesson to.")
@click.option("--title", help="The lesson title (default: from the file name).")
def import_gift_command(file: Path, course_dir: Path, title: str | None) -> None:
    """Convert a Moodle GIFT file into a new numbered lesson file of the course."""
    title = title or file.stem.replace("-", " ").replace("_", " ").capitalize()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file} is not UTF-8; re-save it as UTF-8") from None
    target = _new_lesson_path(course_dir, title)
    markdown, problems = gift_to_markdown(text, title=title, path=str(file))
    for problem in problems:
        click.echo(str(problem), err=True)
    target.write_text(markdown, encoding="utf-8")
    click.echo(f"created {target} ({len(problems)} warning{'s' if len(problems) != 1 else ''}); "
               f"check it with: quizapp content check {course_dir}")
