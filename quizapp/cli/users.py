"""`quizapp users ...`: create accounts, change roles, export a learner's data from the command line."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from quizapp.models import ROLES
from quizapp.models.school import COURSE_ROLES
from quizapp.services.accounts import accounts, data_export
from quizapp.services.authoring import course_rights

OPERATOR = 0  # the audit log's actor for changes made from the command line

users = AppGroup("users", help="Manage accounts.")


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


@users.command("grant-course")
@click.option("--email", required=True, help="An author's (or admin's) email.")
@click.option("--course", "course_key", required=True, help="The course key (its folder name).")
@click.option("--role", type=click.Choice(COURSE_ROLES), default="owner", show_default=True)
def grant_course_command(email: str, course_key: str, role: str) -> None:
    """Make an author an owner or editor of a course (recorded in the audit log as actor 0)."""
    try:
        course_rights.set_member(OPERATOR, course_key, email, role)
    except course_rights.RightsError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{accounts.normalise_email(email)} is now {role} of {course_key}")


@users.command("export")
@click.option("--email", required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
def export_user_command(email: str, fmt: str, output: str | None) -> None:
    """Export one account's data (account details, classes, every attempt) for a data-protection request."""
    user = accounts.get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with email {accounts.normalise_email(email)}.")
    data = data_export.export_user_data(user.id)
    text = data_export.to_json(data) if fmt == "json" else data_export.attempts_csv(data)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        click.echo(f"wrote {len(data['attempts'])} attempts of {user.email} to {output}", err=True)
    else:
        click.echo(text, nl=False)
