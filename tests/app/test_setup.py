"""Start-up: configuration sources, the secret key, SQLite pragmas, health, and the CLI commands."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from itertools import chain
from pathlib import Path

import pytest
import sqlalchemy as sa
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from support import PASSWORD, ROOT, login

from quizapp import create_app
from quizapp.config import DEFAULTS, load_config
from quizapp.content import pygments_css
from quizapp.extensions import db
from quizapp.models import User


def test_secret_key_is_generated_once_and_kept_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("QUIZAPP_SECRET_KEY", raising=False)
    first = load_config(str(tmp_path), {})["SECRET_KEY"]
    second = load_config(str(tmp_path), {})["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_overrides_instance_file_which_overrides_defaults(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("WORKERS = 3\nBIND = '0.0.0.0:9000'\n")
    monkeypatch.setenv("QUIZAPP_WORKERS", "7")
    monkeypatch.setenv("QUIZAPP_SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("QUIZAPP_DATABASE_URL", "postgres://u@db/quiz")
    config = load_config(str(tmp_path), {})
    assert config["WORKERS"] == 7 and config["BIND"] == "0.0.0.0:9000"
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is True
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/quiz"


def test_environment_values_take_their_settings_types(tmp_path, monkeypatch):
    for name, value in {"RATELIMIT_ENABLED": "0", "REQUEST_LOG": "off", "METRICS_ENABLED": "yes",
                        "SECRET_KEY": "12345", "METRICS_TOKEN": "1.50", "WORKERS": "3"}.items():
        monkeypatch.setenv(f"QUIZAPP_{name}", value)
    config = load_config(str(tmp_path), {})
    assert (config["RATELIMIT_ENABLED"], config["REQUEST_LOG"], config["METRICS_ENABLED"]) == (False, False, True)
    assert (config["SECRET_KEY"], config["METRICS_TOKEN"], config["WORKERS"]) == ("12345", "1.50", 3)


def test_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("QUIZAPP_DATABASE_URL", raising=False)
    assert load_config(str(tmp_path), {"SECRET_KEY": "x"})["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{tmp_path / 'quizapp.sqlite3'}")


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(sa.text("PRAGMA busy_timeout")).scalar() == 2000  # a writer waits about 2 s, then 503


def test_healthz_reports_database_health(client, tmp_path):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}
    broken = create_app({"TESTING": True, "SECRET_KEY": "x",
                         "DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "unreachable"


def test_users_create_makes_any_role_and_explains_refusals(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "Boss@Example.org", "--password", PASSWORD,
                                 "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert db.session.query(User).filter_by(email="boss@example.org").one().role == "admin"
    weak = runner.invoke(args=["users", "create", "--email", "x@example.org", "--password", "short"])
    assert weak.exit_code != 0 and "at least 10 characters" in weak.output
    again = runner.invoke(args=["users", "create", "--email", "boss@example.org", "--password", PASSWORD])
    assert again.exit_code != 0 and "already exists" in again.output
    bad_role = runner.invoke(args=["users", "create", "--email", "y@example.org", "--password", PASSWORD,
                                   "--role", "wizard"])
    assert bad_role.exit_code != 0 and "wizard" in bad_role.output


def test_demo_prepares_database_course_and_a_working_instructor(make_app, tmp_path):
    app = make_app(CONTENT_DIR=str(ROOT / "content"), DEMO_PASSWORD_FILE=str(tmp_path / "demo.txt"))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
        assert result.exit_code == 0, result.output
        line = next(row for row in result.output.splitlines() if row.startswith("Demo instructor:"))
        email, password = line.split()[2], line.split()[4]
        client = app.test_client()
        assert login(client, email, password).status_code == 302
        assert client.get("/dashboard").status_code == 200
        assert "Server Logic in Next.js" in client.get("/").get_data(as_text=True)
        again = app.test_cli_runner().invoke(args=["demo", "--no-serve"])  # a second run is harmless
        assert again.exit_code == 0 and "Content: nothing changed" in again.output


def test_console_script_is_a_flask_cli_group():
    script = Path(sys.executable).with_name("quizapp")
    output = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True,
                            cwd=ROOT, timeout=60).stdout
    for command in ("run", "routes", "shell", "db", "content", "users", "serve", "demo"):
        assert f"  {command}" in output, command


def test_passwords_are_stored_with_a_real_kdf(app, runner):
    runner.invoke(args=["users", "create", "--email", "kdf@example.org", "--password", PASSWORD])
    stored = db.session.query(User).filter_by(email="kdf@example.org").one().password_hash
    assert stored.startswith(("scrypt:", "pbkdf2:")) and PASSWORD not in stored
    assert DEFAULTS["PASSWORD_HASH_METHOD"] == "scrypt"  # tests use a cheap KDF; production does not


def test_pygments_stylesheet_is_generated_light_and_dark(client):
    served = client.get("/static/pygments.css")
    css = served.get_data(as_text=True)
    served.close()
    assert css == pygments_css(), "regenerate quizapp/static/pygments.css from quizapp.content.pygments_css()"
    assert ".highlight" in css and "prefers-color-scheme: dark" in css


def test_every_declared_dependency_is_pinned_where_ci_and_the_readme_install_from():
    """.ci/constraints.txt holds the versions the suite passed with; a dependency missing there would float."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [Requirement(line) for line in [*project["dependencies"],
                                               *chain.from_iterable(project["optional-dependencies"].values())]]
    pinned = {}
    for line in (ROOT / ".ci" / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pinned[canonicalize_name(name)] = version.strip()
    for requirement in declared:
        version = pinned.get(canonicalize_name(requirement.name))
        assert version is not None, f"{requirement.name} is not pinned in .ci/constraints.txt"
        assert requirement.specifier.contains(version), f"{requirement.name}=={version} breaks {requirement}"
