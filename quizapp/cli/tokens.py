"""`quizapp tokens ...`: make and revoke personal access tokens for the JSON API from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from quizapp.services.accounts import accounts, tokens

group = AppGroup("tokens", help="Manage personal access tokens for the JSON API.")


@group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True, help="What the token is for, e.g. 'phone'.")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(tokens.SCOPES),
              help="learn (default), teach or author; repeat for several. Never more than the role allows.")
@click.option("--expires-days", type=int, default=90, show_default=True)
def create_command(email: str, name: str, scopes: tuple[str, ...], expires_days: int) -> None:
    """Make a token and print it once: it is stored only as a hash and cannot be shown again."""
    user = _user(email)
    try:
        info, secret = tokens.create_token(user.id, name, scopes or ("learn",), expires_days)
    except tokens.TokenError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"token {info.id} '{info.name}' for {user.email}, scopes {' '.join(info.scopes)}, "
               f"expires {info.expires_at:%Y-%m-%d}; copy it now, it is not shown again:", err=True)
    click.echo(secret)


@group.command("revoke")
@click.option("--email", required=True)
@click.option("--id", "token_id", type=int, default=None, help="The token's id (`tokens list`).")
@click.option("--name", default=None, help="The token's name.")
def revoke_command(email: str, token_id: int | None, name: str | None) -> None:
    """Revoke one of an account's tokens, by id or by name."""
    user = _user(email)
    if (token_id is None) == (name is None):
        raise click.ClickException("Give either --id or --name.")
    done = tokens.revoke_token(user.id, token_id) if token_id is not None else tokens.revoke_token_named(user.id, name)
    if not done:
        raise click.ClickException("No such live token for that account.")
    click.echo("revoked")


@group.command("list")
@click.option("--email", required=True)
def list_command(email: str) -> None:
    """List an account's live tokens (never their secrets)."""
    for info in tokens.list_tokens(_user(email).id):
        used = f"{info.last_used_at:%Y-%m-%d %H:%M}" if info.last_used_at else "never"
        expires = f"{info.expires_at:%Y-%m-%d}" if info.expires_at else "never"
        click.echo(f"{info.id}\t{info.name}\t{' '.join(info.scopes)}\texpires {expires}\tlast used {used}")


def _user(email: str):
    user = accounts.get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with email {accounts.normalise_email(email)}.")
    return user
