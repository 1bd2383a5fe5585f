"""`quizapp content ...`: check, load and scaffold course content."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from quizapp.content import ContentTree, new_lesson_markdown, parse_course_dir, parse_tree, slug_from_filename
from quizapp.services.content_sync import sync_tree

content = AppGroup("content", help="Check, load and scaffold course content.")


def read_content(path: Path) -> tuple[ContentTree, bool]:
    """Parse a content root, or a single course folder; say whether it was a whole tree."""
    if (path / "course.md").is_file():
        course, problems = parse_course_dir(path)
        broken = () if course else (path.name,)
        return ContentTree((course,) if course else (), tuple(problems), broken), False
    return parse_tree(path), True


def default_path(path: str | None) -> Path:
    return Path(path or current_app.config["CONTENT_DIR"])


def echo_problems(tree: ContentTree) -> int:
    errors = 0
    for problem in tree.problems:
        click.echo(str(problem), err=True)
        errors += problem.severity == "error"
    return errors


@content.command("check")
@click.argument("path", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
def check_command(path: str | None, fmt: str) -> None:
    """Check content files without touching the database; exit 1 on any error."""
    tree, _ = read_content(default_path(path))
    errors = sum(p.severity == "error" for p in tree.problems)
    if fmt == "json":
        click.echo(json.dumps([p.to_dict() for p in tree.problems], indent=2))
    else:
        echo_problems(tree)
        lessons = sum(len(c.lessons) for c in tree.courses)
        questions = sum(len(lesson.questions) for c in tree.courses for lesson in c.lessons)
        verdict = f"{errors} error{'s' if errors != 1 else ''}" if errors else "no errors"
        click.echo(f"{len(tree.courses)} courses, {lessons} lessons, {questions} questions checked: {verdict}.")
    sys.exit(1 if errors else 0)


@content.command("load")
@click.argument("path", required=False)
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
def load_command(path: str | None, dry_run: bool) -> None:
    """Check and load content; a course with any error is left exactly as it was."""
    tree, whole = read_content(default_path(path))
    errors = echo_problems(tree)
    report = sync_tree(tree, dry_run=dry_run, retire_missing=whole)
    prefix = "would be " if dry_run else ""
    for line in report.lines():
        click.echo(prefix + line if not line[0].isdigit() else line)
    if errors:
        click.echo(f"{errors} error(s): the courses named above were not loaded; fix and load again.", err=True)
        sys.exit(1)


@content.command("new-lesson")
@click.argument("title")
@click.option("--course", "course_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The course folder to add the lesson to.")
def new_lesson_command(title: str, course_dir: Path) -> None:
    """Create a numbered lesson file from a template that passes the checker."""
    if not (course_dir / "course.md").is_file():
        raise click.ClickException(f"{course_dir} has no course.md; give the folder of an existing course.")
    numbers = [slug_from_filename(p.name)[0] or 0 for p in course_dir.glob("*.md") if p.name != "course.md"]
    slug = "-".join("".join(ch if ch.isalnum() else " " for ch in title.lower()).split()) or "lesson"
    target = course_dir / f"{max(numbers, default=0) + 1:02d}-{slug}.md"
    if target.exists():
        raise click.ClickException(f"{target} already exists.")
    target.write_text(new_lesson_markdown(title), encoding="utf-8")
    click.echo(f"created {target}")
