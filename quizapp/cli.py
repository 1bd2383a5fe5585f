"""The project's own commands, added to Flask's CLI: content, users, demo and serve."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from quizapp.content import ContentTree, new_lesson_markdown, parse_course_dir, parse_tree, slug_from_filename
from quizapp.models import ROLES
from quizapp.server import GunicornServer
from quizapp.services import accounts
from quizapp.services.content_sync import sync_tree

content = AppGroup("content", help="Check, load and scaffold course content.")
users = AppGroup("users", help="Manage accounts.")


def init_app(app: Flask) -> None:
    """Attach the command groups to the app's CLI."""
    for command in (content, users, demo, serve):
        app.cli.add_command(command)


def read_content(path: Path) -> tuple[ContentTree, bool]:
    """Parse a content root, or a single course folder; say whether it was a whole tree."""
    if (path / "course.md").is_file():
        course, problems = parse_course_dir(path)
        broken = () if course else (path.name,)
        return ContentTree((course,) if course else (), tuple(problems), broken), False
    return parse_tree(path), True


def _default_path(path: str | None) -> Path:
    return Path(path or current_app.config["CONTENT_DIR"])


def _echo_problems(tree: ContentTree) -> int:
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
    tree, _ = read_content(_default_path(path))
    errors = sum(p.severity == "error" for p in tree.problems)
    if fmt == "json":
        click.echo(json.dumps([p.to_dict() for p in tree.problems], indent=2))
    else:
        _echo_problems(tree)
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
    tree, whole = read_content(_default_path(path))
    errors = _echo_problems(tree)
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


@users.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", type=click.Choice(ROLES), default="learner", show_default=True)
def create_user_command(email: str, password: str, role: str) -> None:
    """Create an account with any role."""
    try:
        user = accounts.create_user(email, password, role=role,
                                    min_length=current_app.config["PASSWORD_MIN_LENGTH"])
    except accounts.AccountError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"created {user.role} {user.email}")


@users.command("set-role")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
def set_role_command(email: str, role: str) -> None:
    """Change an account's role."""
    try:
        user = accounts.set_role(email, role)
    except accounts.AccountError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{user.email} is now {user.role}")


@click.command("demo")
@click.option("--no-serve", is_flag=True, help="Prepare everything, then exit instead of serving.")
def demo(no_serve: bool) -> None:
    """Upgrade the database, load content/, create a demo instructor, print it, and serve."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    tree, whole = read_content(_default_path(None))
    _echo_problems(tree)
    click.echo(sync_tree(tree, retire_missing=whole).lines()[-1])
    password = secrets.token_urlsafe(12)
    email = "instructor@example.org"
    existing = accounts.get_user_by_email(email)
    if existing is None:
        accounts.create_user(email, password, role="instructor")
    else:
        accounts.reset_password(existing.id, password)
    click.echo(f"\nDemo instructor: {email}  password: {password}")
    if not no_serve:
        click.echo(f"Open http://{current_app.config['BIND']}/ (Ctrl-C to stop)\n")
        run_gunicorn(current_app.config["BIND"], int(current_app.config["WORKERS"]))


@click.command("serve")
@click.option("--bind", default=None, help="host:port (default: BIND setting).")
@click.option("--workers", type=int, default=None, help="Worker processes (default: WORKERS setting).")
def serve(bind: str | None, workers: int | None) -> None:
    """Run the production server (gunicorn)."""
    run_gunicorn(bind or current_app.config["BIND"], workers or int(current_app.config["WORKERS"]))


def run_gunicorn(bind: str, workers: int) -> None:
    """Serve the app with gunicorn; each worker builds its own app from the same configuration."""
    GunicornServer(bind=bind, workers=workers).run()
