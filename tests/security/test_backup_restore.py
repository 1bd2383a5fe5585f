"""`quizapp db backup` / `db restore`: an online SQLite copy that round-trips; PostgreSQL gets exact guidance."""

from __future__ import annotations

import sqlite3

import pytest
from support import make_user

from quizapp.extensions import db
from quizapp.models import User

pytestmark = pytest.mark.usefixtures("app")


def emails() -> list[str]:
    db.session.remove()
    return sorted(db.session.scalars(db.select(User.email)))


@pytest.fixture
def sqlite_only(database_template):
    if database_template["kind"] != "sqlite":
        pytest.skip("SQLite backup; PostgreSQL has its own test")


def test_backup_then_restore_brings_the_data_back(sqlite_only, runner, tmp_path):
    make_user("kept@example.org")
    backup = tmp_path / "backup.sqlite3"
    result = runner.invoke(args=["db", "backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert "backed up" in result.output and backup.exists()
    with sqlite3.connect(backup) as conn:  # one self-contained file, not WAL
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()

    make_user("added-later@example.org")
    db.session.execute(db.update(User).where(User.email == "kept@example.org").values(role="admin"))
    db.session.commit()
    refused = runner.invoke(args=["db", "restore", str(backup)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    assert emails() == ["added-later@example.org", "kept@example.org"]

    result = runner.invoke(args=["db", "restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    assert emails() == ["kept@example.org"]
    assert db.session.scalar(db.select(User.role)) == "learner"
    safety = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(safety) == 1, "the replaced data is kept"


def test_backup_refuses_to_overwrite_without_force(sqlite_only, runner, tmp_path):
    target = tmp_path / "exists.sqlite3"
    target.write_text("keep me")
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code != 0 and "--force" in result.output
    assert target.read_text() == "keep me"
    assert runner.invoke(args=["db", "backup", str(target), "--force"]).exit_code == 0


def test_restore_refuses_files_that_are_not_our_backups(sqlite_only, runner, tmp_path):
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    unknown = tmp_path / "unknown.sqlite3"
    with sqlite3.connect(unknown) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('feedfacecafe')")
    conn.close()
    make_user("still@example.org")
    for path, message in [(garbage, "not a quizapp SQLite database"), (foreign, "not a quizapp SQLite database"),
                          (unknown, "does not know")]:
        result = runner.invoke(args=["db", "restore", str(path), "--yes"])
        assert result.exit_code != 0 and message in result.output, result.output
    assert emails() == ["still@example.org"]


def test_postgresql_gets_pg_dump_guidance(make_app, tmp_path):
    app = make_app(DATABASE_URL="postgresql://quiz:s3cret@db.example:5432/quizapp")
    runner = app.test_cli_runner()
    with app.app_context():  # the commands use the current app; make it this one
        check_guidance(runner, tmp_path)


def check_guidance(runner, tmp_path):
    result = runner.invoke(args=["db", "backup", str(tmp_path / "q.dump")])
    assert result.exit_code == 2
    assert "pg_dump --format=custom" in result.output
    assert "postgresql://quiz:***@db.example:5432/quizapp" in result.output
    assert "s3cret" not in result.output
    result = runner.invoke(args=["db", "restore", str(tmp_path / "q.dump")])
    assert result.exit_code == 2 or "does not exist" in result.output
    (tmp_path / "q.dump").write_bytes(b"x")
    result = runner.invoke(args=["db", "restore", str(tmp_path / "q.dump")])
    assert result.exit_code == 2 and "pg_restore" in result.output
