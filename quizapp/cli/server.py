"""`quizapp demo` and `quizapp serve`: run the app with gunicorn."""

from __future__ import annotations

import secrets

import click
from flask import current_app
from flask_migrate import upgrade

from quizapp import metrics, telemetry
from quizapp.cli.content import default_path, echo_problems, read_content
from quizapp.database import schema_state
from quizapp.server import GunicornServer
from quizapp.services import accounts
from quizapp.services.content_sync import sync_tree


@click.command("demo")
@click.option("--no-serve", is_flag=True, help="Prepare everything, then exit instead of serving.")
def demo(no_serve: bool) -> None:
    """Upgrade the database, load content/, create a demo instructor, print it, and serve."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    tree, whole = read_content(default_path(None))
    echo_problems(tree)
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
    """Run the production server (gunicorn), refusing a database this release cannot use."""
    state = schema_state(current_app.extensions["quizapp.schema_head"])
    if state == "behind":
        raise click.ClickException("the database schema is older than this release. Back it up "
                                   "(`quizapp db backup PATH`), run `quizapp db upgrade`, then serve again.")
    if state == "unreachable":
        raise click.ClickException("the database does not answer; check QUIZAPP_DATABASE_URL and the server.")
    if current_app.config["METRICS_ENABLED"]:
        metrics.reset_folder(telemetry.metrics_folder(current_app))  # counters start at zero with the server
    run_gunicorn(bind or current_app.config["BIND"], workers or int(current_app.config["WORKERS"]),
                 access_log=not current_app.config["REQUEST_LOG"])


def run_gunicorn(bind: str, workers: int, *, access_log: bool = True) -> None:
    """Serve the app with gunicorn; each worker builds its own app from the same configuration.

    gunicorn's access log names client addresses and full paths (reset tokens, join codes): it is off
    when the app writes its own request lines (REQUEST_LOG).
    """
    GunicornServer(bind=bind, workers=workers, options=None if access_log else {"accesslog": None}).run()
