"""A learner's data export (their account and attempts), on the web and for admins on the command line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from security_helpers import sign_in
from support import load_courses

pytestmark = pytest.mark.usefixtures("app")
WHERE = "/courses/demo/basics/where"


@pytest.fixture
def answered(app, people):
    """The learner has answered twice; another learner once."""
    load_courses()
    answers = [(people["learner"], "a", "k1"), (people["learner"], "b", "k2"), (people["author"], "b", "k3")]
    for user, choice, key in answers:
        client = app.test_client()
        sign_in(client, user)
        with app.app_context():
            client.post(WHERE, data={"action": "answer", "choice": choice, "submission_key": key})
    return people


def test_json_export_has_the_account_and_own_attempts_only(app, answered):
    client = app.test_client()
    sign_in(client, answered["learner"])
    response = client.get("/progress/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "learner@example.org"
    assert "password" not in json.dumps(data) and "scrypt" not in json.dumps(data)
    assert [(a["question"], a["response"], a["correct"]) for a in data["attempts"]] == [
        ("demo/basics/where", {"choices": ["a"]}, False),
        ("demo/basics/where", {"choices": ["b"]}, True),
    ]
    assert all(a["answered_at"] for a in data["attempts"])


def test_csv_export_has_one_row_per_attempt(app, answered):
    client = app.test_client()
    sign_in(client, answered["learner"])
    response = client.get("/progress/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["question"], r["correct"]) for r in rows] == [("demo/basics/where", "False"),
                                                             ("demo/basics/where", "True")]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(app, people):
    from quizapp.services.accounts.data_export import attempts_csv

    data = {"attempts": [{"answered_at": "t", "question": "=HYPERLINK(\"x\")", "version": 1, "correct": False,
                          "score": 0, "hints_used": 0, "seconds": None, "response": {"text": "x"}}]}
    row = list(csv.reader(io.StringIO(attempts_csv(data))))[1]
    assert row[1].startswith("'=")


def test_visitors_are_sent_to_log_in(app):
    response = app.test_client().get("/progress/export.json")
    assert response.status_code == 302 and "/login" in response.location


def test_admin_exports_a_learner_from_the_command_line(app, answered, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "export", "--email", "LEARNER@example.org"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["account"]["email"] == "learner@example.org" and len(data["attempts"]) == 2
    target = tmp_path / "learner.csv"
    result = runner.invoke(args=["users", "export", "--email", "learner@example.org", "--format", "csv",
                                 "--output", str(target)])
    assert result.exit_code == 0 and len(target.read_text().splitlines()) == 3
    missing = runner.invoke(args=["users", "export", "--email", "nobody@example.org"])
    assert missing.exit_code != 0 and "No account" in missing.output
