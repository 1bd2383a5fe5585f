"""The OpenAPI document: generated from the code, served, and committed as docs/openapi.json."""

from __future__ import annotations

import json

from support import ROOT

SPEC = ROOT / "docs" / "openapi.json"


def test_the_committed_spec_is_what_the_code_generates(app):
    generated = app.extensions["quizapp.api"].spec.to_dict()
    committed = json.loads(SPEC.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(generated)), (
        "docs/openapi.json is stale: run `quizapp openapi write docs/openapi.json` and commit it")


def test_the_spec_is_served_as_openapi_3_1_without_a_token(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    spec = response.get_json()
    assert spec["openapi"].startswith("3.1")
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "A personal access token, qz_..."}
    assert spec == json.loads(SPEC.read_text(encoding="utf-8"))


def test_every_api_route_is_in_the_spec(app):
    spec = app.extensions["quizapp.api"].spec.to_dict()
    documented = {(method.upper(), path) for path, item in spec["paths"].items() for method in item
                  if method in ("get", "post", "put", "patch", "delete")}
    routes = {(method, rule.rule.replace("<int:", "<").replace("<", "{").replace(">", "}"))
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented


def test_the_cli_writes_the_spec(runner, tmp_path):
    target = tmp_path / "openapi.json"
    result = runner.invoke(args=["openapi", "write", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text()) == json.loads(SPEC.read_text(encoding="utf-8"))
