"""Thin blueprints: parse input, call one service, render or redirect."""

from __future__ import annotations

from flask import Flask

from quizapp.views import (
    admin,
    assignments,
    auth,
    author,
    classes,
    dashboard,
    errors,
    health,
    layout,
    learn,
    operators,
    progress,
    review,
    review_dashboard,
    roster,
    tokens,
)


def init_app(app: Flask) -> None:
    """Register every blueprint, the error pages and the session user loader."""
    for module in (auth, learn, progress, review, classes, dashboard, review_dashboard, health, author, admin,
                   roster, assignments, operators, tokens):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    layout.init_app(app)
    auth.init_login(app)
