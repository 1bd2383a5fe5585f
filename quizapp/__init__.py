"""quizapp: lessons and practice questions with feedback aimed at the learner's exact mistake."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from quizapp import api, cli, database, mail, security, telemetry, throttle, views
from quizapp.config import load_config
from quizapp.extensions import csrf, login_manager, migrate
from quizapp.speed import stores

MIGRATIONS = str(Path(__file__).parent / "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, then extensions, then blueprints, then CLI commands."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(load_config(app.instance_path, test_config))
    database.init_app(app)
    stores.init_app(app)
    migrate.init_app(app, database.db, directory=MIGRATIONS)
    app.extensions["quizapp.schema_head"] = database.migrations_head(MIGRATIONS)
    login_manager.init_app(app)
    csrf.init_app(app)
    throttle.init_app(app)
    mail.init_app(app)
    security.init_app(app)
    telemetry.init_app(app)
    views.init_app(app)
    api.init_app(app)  # after the pages: their error handlers stay for every path outside /api/
    cli.init_app(app)
    return app
