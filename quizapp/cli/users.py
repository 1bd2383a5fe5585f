"""`quizapp users ...`: create accounts and change roles from the command line."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from quizapp.models import ROLES
from quizapp.services import accounts

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
