"""The JSON API under /api/v1: flask-smorest blueprints over the same services as the pages.

An extension of the app (flask-smorest's ``Api``), not an app of its own: its blueprints are exempt from
CSRF because no cookie authenticates them (quizapp.api.auth), its failures are problem details
(quizapp.api.errors) while every other path keeps its HTML error pages, and its OpenAPI 3.1 document is
served at /api/openapi.json and written by ``quizapp openapi write docs/openapi.json``.
"""

from __future__ import annotations

import http

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from quizapp.api import author, errors, learn, review, teach
from quizapp.api.schemas import AnswerSchema
from quizapp.extensions import csrf

PROBLEM = errors.PROBLEM
SETTINGS = {
    "API_TITLE": "quizapp",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {"description": "Lessons, answers and class reports for scripts and apps. See docs/api.md."},
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "description": "A personal access token, qz_..."}}},
    },
}


class ProblemApi(Api):
    """flask-smorest's Api whose errors are problem details, documented as such, on /api/ paths only."""

    ERROR_SCHEMA = errors.ProblemSchema

    def _register_error_handlers(self) -> None:
        errors.init_app(self._app)

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            if status >= 400:
                response = {"description": status.phrase, "schema": self.ERROR_SCHEMA}
                prepare_response(response, self.spec, PROBLEM)
                self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_app(app: Flask) -> None:
    """Mount the API's blueprints and its spec (after the HTML error pages are registered)."""
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    api = ProblemApi(app)
    api.spec.components.schema("Answer", schema=AnswerSchema)  # loaded by hand in learn.answer; named for the spec
    for module in (learn, review, teach, author):
        api.register_blueprint(module.bp)
        csrf.exempt(module.bp)
    app.extensions["quizapp.api"] = api
