"""The project's own commands, added to Flask's CLI (so `quizapp run`, `routes`, `shell`, `db` work too)."""

from __future__ import annotations

from flask import Flask

from quizapp.cli import backup
from quizapp.cli.content import content
from quizapp.cli.dev import dev
from quizapp.cli.server import demo, serve
from quizapp.cli.tokens import group as tokens
from quizapp.cli.users import users


def init_app(app: Flask) -> None:
    """Attach the command groups to the app's CLI."""
    for command in (content, users, demo, serve, dev, tokens):
        app.cli.add_command(command)
    backup.init_app(app)
