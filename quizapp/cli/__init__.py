"""The project's own commands, added to Flask's CLI (so `quizapp run`, `routes`, `shell`, `db` work too)."""

from __future__ import annotations

from flask import Flask

from quizapp.cli.content import content
from quizapp.cli.server import demo, serve
from quizapp.cli.users import users


def init_app(app: Flask) -> None:
    """Attach the command groups to the app's CLI."""
    for command in (content, users, demo, serve):
        app.cli.add_command(command)
