"""Thin blueprints: parse input, call one service, render or redirect."""

from __future__ import annotations

from flask import Flask

from quizapp.views import author, errors, health, layout, operators
from quizapp.views.accounts import admin, auth, tokens
from quizapp.views.learning import learn, progress, review
from quizapp.views.teaching import assignments, classes, dashboard, review_dashboard, roster


def init_app(app: Flask) -> None:
    """Register every blueprint, the error pages and the session user loader."""
    for module in (auth, learn, progress, review, classes, dashboard, review_dashboard, health, author, admin,
                   roster, assignments, operators, tokens):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    layout.init_app(app)
    auth.init_login(app)
