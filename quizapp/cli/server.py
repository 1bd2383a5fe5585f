"""`quizapp demo` and `quizapp serve`: run the app with gunicorn."""

from __future__ import annotations

import secrets
import socket
from dataclasses import replace
from pathlib import Path

import click
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import select

from quizapp import metrics, telemetry
from quizapp.cli.content import default_path, echo_problems, read_content
from quizapp.database import schema_state
from quizapp.extensions import db
from quizapp.models import Course
from quizapp.server import AVAILABLE, UNAVAILABLE, GunicornServer
from quizapp.services.accounts import accounts
from quizapp.services.authoring import bundles
from quizapp.services.authoring.content_sync import sync_tree

DEMO_EMAIL = "instructor@example.org"
DEMO_PASSWORD_FILE = "demo-instructor.txt"  # in the instance folder, beside the SQLite database


@click.command("demo")
@click.option("--no-serve", is_flag=True, help="Prepare everything, then exit instead of serving.")
@click.option("--bind", default=None, help="host:port to serve on (default: BIND setting, 127.0.0.1:8000).")
def demo(no_serve: bool, bind: str | None) -> None:
    """Set up a demo (database, content/, an instructor) and serve it; rerunning keeps password and edits."""
    bind = bind or current_app.config["BIND"]
    if not no_serve:
        check_port_free(bind)
    upgrade(directory=current_app.extensions["migrate"].directory)
    root = default_path(None)
    tree, whole = read_content(root)
    echo_problems(tree)
    edited = courses_edited_in_the_browser(root)
    if edited:
        tree = replace(tree, courses=tuple(c for c in tree.courses if c.slug not in edited),
                       broken=tuple(tree.broken) + tuple(edited))  # kept as they are, never retired
    report = sync_tree(tree, retire_missing=whole)
    report.skipped_broken = [key for key in report.skipped_broken if key not in edited]
    click.echo(f"Content: {report.summary()[0].lower() + report.summary()[1:]}.")
    for key in edited:
        click.echo(f"Content: kept course '{key}' as stored: its lessons differ from {root / key} (edited in the "
                   f"browser?). To replace them with the files: .venv/bin/quizapp content load {root / key}")
    password, where = demo_password()
    click.echo(f"\nDemo instructor: {DEMO_EMAIL}  password: {password}  ({where})")
    click.echo("Try each role: a learner signs up on the site; an author or admin account comes from "
               ".venv/bin/quizapp users create --email you@example.org --password 'a long passphrase' --role author "
               "(or --role admin).")
    if not no_serve:
        click.echo(f"Open http://{bind}/ (Ctrl-C to stop)\n")
        run_gunicorn(bind, int(current_app.config["WORKERS"]), int(current_app.config["WORKER_THREADS"]))


def demo_password() -> tuple[str, str]:
    """Give the demo instructor's password, the same on every run; create the account on the first."""
    path = Path(current_app.config.get("DEMO_PASSWORD_FILE") or Path(current_app.instance_path) / DEMO_PASSWORD_FILE)
    existing = accounts.get_user_by_email(DEMO_EMAIL)
    saved = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
    if existing is not None and saved and accounts.authenticate(DEMO_EMAIL, saved) is not None:
        return saved, f"unchanged; kept in {path}"
    password = secrets.token_urlsafe(12)
    if existing is None:
        accounts.create_user(DEMO_EMAIL, password, role="instructor")
    else:
        accounts.reset_password(existing.id, password)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(password + "\n", encoding="utf-8")
    return password, f"kept in {path} for the next run"


def courses_edited_in_the_browser(root: Path) -> list[str]:
    """Name the stored courses whose active lessons differ from their folder's files (so loading the files
    would overwrite browser edits): another text, a lesson only one side has."""
    edited = []
    for course in db.session.scalars(select(Course).where(Course.retired.is_(False))):
        folder = root / course.key
        if not (folder / "course.md").is_file():
            continue
        files = {p.name: p.read_text(encoding="utf-8-sig") for p in folder.glob("*.md")
                 if p.name != "course.md" and not p.name.startswith(".")}
        stored = {bundles.lesson_filename(ls): ls.source for ls in course.lessons if not ls.retired}
        if stored and stored != files:
            edited.append(course.key)
    return edited


def check_port_free(bind: str) -> None:
    """Refuse, in one sentence, an address already in use (rather than gunicorn's retries and tracebacks)."""
    host, _, port = bind.rpartition(":")
    if not port.isdigit() or host.startswith("unix"):
        return
    with socket.socket(socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does: TIME_WAIT is no conflict
        try:
            probe.bind((host.strip("[]") or "0.0.0.0", int(port)))
        except OSError:
            raise click.ClickException(
                f"{bind} is already in use (another quizapp demo?): stop it, or pick another address "
                f"with --bind 127.0.0.1:{int(port) + 1}") from None


@click.command("serve")
@click.option("--bind", default=None, help="host:port (default: BIND setting).")
@click.option("--workers", type=int, default=None, help="Worker processes (default: WORKERS setting).")
@click.option("--threads", type=int, default=None, help="Threads per worker (default: WORKER_THREADS setting).")
def serve(bind: str | None, workers: int | None, threads: int | None) -> None:
    """Run the production server (gunicorn), refusing a database this release cannot use."""
    if not AVAILABLE:
        raise click.ClickException(UNAVAILABLE)
    state = schema_state(current_app.extensions["quizapp.schema_head"])
    if state == "behind":
        raise click.ClickException("the database schema is older than this release. Back it up "
                                   "(`quizapp db backup PATH`), run `quizapp db upgrade`, then serve again.")
    if state == "unreachable":
        raise click.ClickException("the database does not answer; check QUIZAPP_DATABASE_URL and the server.")
    if current_app.config["METRICS_ENABLED"]:
        metrics.reset_folder(telemetry.metrics_folder(current_app))  # counters start at zero with the server
    run_gunicorn(bind or current_app.config["BIND"], workers or int(current_app.config["WORKERS"]),
                 threads or int(current_app.config["WORKER_THREADS"]), access_log=not current_app.config["REQUEST_LOG"])


def run_gunicorn(bind: str, workers: int, threads: int, *, access_log: bool = True) -> None:
    """Serve the app with gunicorn; each worker builds its own app from the same configuration.

    gunicorn's access log names client addresses and full paths (reset tokens, join codes): it is off
    when the app writes its own request lines (REQUEST_LOG).
    """
    if not AVAILABLE:
        raise click.ClickException(UNAVAILABLE)
    GunicornServer(bind=bind, workers=workers, threads=threads,
                   options=None if access_log else {"accesslog": None}).run()
