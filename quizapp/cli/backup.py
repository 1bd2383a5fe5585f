"""`quizapp db backup PATH` and `quizapp db restore PATH`, added to Flask-Migrate's `db` group.

SQLite: an online copy through sqlite3's backup API (safe while the app serves requests), checked
before it is trusted. PostgreSQL: quizapp does not run pg_dump itself (credentials, versions and
dump formats are the operator's choice); the commands print the exact pg_dump / pg_restore lines
for the configured database and exit with status 2 so a script cannot mistake guidance for a backup.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from quizapp.database import close_all


def init_app(app: Flask) -> None:
    """Add backup and restore to the `db` command group Flask-Migrate registered."""
    group = app.cli.commands["db"]
    group.add_command(backup_command)
    group.add_command(restore_command)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Copy the live database to PATH (SQLite; prints pg_dump guidance for PostgreSQL)."""
    live = _sqlite_path_or_guidance("backup", path)
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; choose a new name or add --force.")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    copy_sqlite(live, partial)
    revision = check_backup(partial)
    os.replace(partial, path)  # PATH is either the old file or the complete new backup, never half of one
    click.echo(f"backed up {live} to {path} ({path.stat().st_size} bytes, schema revision {revision})")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Really replace every row of the live database.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the live database with a backup made by `db backup` (SQLite; guidance for PostgreSQL)."""
    live = _sqlite_path_or_guidance("restore", path)
    revision = check_backup(path)
    if not yes:
        raise click.ClickException(
            f"{path} is a valid backup (schema revision {revision}). Restoring replaces ALL current data "
            f"in {live}; run again with --yes to do it."
        )
    safety = live.with_name(f"{live.name}.before-restore-{time.strftime('%Y%m%d-%H%M%S')}")
    close_all()  # nothing may hold the file while it is replaced
    copy_sqlite(live, safety)
    copy_sqlite(path, live, keep_journal_mode=True)
    click.echo(f"restored {path} into {live}; the data it replaced is kept in {safety}")
    click.echo(f"schema revision {revision}: run `quizapp db upgrade` if this backup predates the code.")


def copy_sqlite(source: Path, target: Path, *, keep_journal_mode: bool = False) -> None:
    """Copy a SQLite database page by page with the online backup API (readers and writers may continue)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
        if not keep_journal_mode:
            # A backup file should be one self-contained file, not a WAL database with side files.
            dst.execute("PRAGMA journal_mode=DELETE")
    src.close()
    dst.close()


def check_backup(path: Path) -> str:
    """Make sure ``path`` is an intact quizapp database and give its schema revision."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        conn.close()
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{path} is not a quizapp SQLite database ({error}).") from None
    if ok != "ok" or row is None:
        raise click.ClickException(f"{path} is damaged or has no schema revision; it cannot be used.")
    scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
    try:
        if scripts.get_revision(row[0]) is None:
            raise CommandError(row[0])
    except CommandError:
        raise click.ClickException(f"{path} has schema revision {row[0]}, which this quizapp does not know.") from None
    return row[0]


def _sqlite_path_or_guidance(action: str, path: Path) -> Path:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database)
    if url.get_backend_name() == "postgresql":
        click.echo(postgres_guidance(action, url.set(drivername="postgresql"), path), err=True)
        sys.exit(2)
    raise click.ClickException(f"db {action} supports SQLite files and PostgreSQL; this database is {url.drivername}.")


def postgres_guidance(action: str, url, path: Path) -> str:
    """Spell out the pg_dump / pg_restore command for this database (password hidden: use ~/.pgpass)."""
    shown = url.render_as_string(hide_password=True)
    if action == "backup":
        command = f"pg_dump --format=custom --no-owner --file '{path}' '{shown}'"
    else:
        command = f"pg_restore --clean --if-exists --no-owner --single-transaction --dbname '{shown}' '{path}'"
    return (
        f"quizapp does not run pg_dump/pg_restore itself on PostgreSQL. Run:\n\n  {command}\n\n"
        "Put the password in ~/.pgpass or PGPASSWORD, not on the command line. "
        f"See docs/deploy.md, 'Backups'.{os.linesep}"
    )
