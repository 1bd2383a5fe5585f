"""Write many rows fast, for synthetic data: batches, COPY on PostgreSQL, then sequences and statistics fixed."""

from __future__ import annotations

import json

from sqlalchemy import JSON, insert, text

from quizapp.extensions import db

BATCH = 10_000


def insert_in_batches(model, rows) -> None:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            insert_rows(model.__table__, batch)
            db.session.commit()
            batch = []
    if batch:
        insert_rows(model.__table__, batch)
        db.session.commit()


def insert_rows(table, rows: list[dict]) -> None:
    """Insert rows fast: executemany on SQLite, COPY on PostgreSQL (executemany there is one round trip a row)."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
    names = ", ".join(f'"{name}"' for name in columns)
    with connection.connection.driver_connection.cursor() as cursor, \
            cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in as_json else row[c] for c in columns])


def fix_sequences() -> None:
    """Move PostgreSQL's id sequences past the explicit ids, so ordinary inserts keep working; then refresh
    the planner's statistics, which a bulk COPY leaves stale until autovacuum gets round to it."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("user_account", "attempt", "enrollment"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        ))
    db.session.commit()
    analyze_tables("course", "lesson", "question", "question_version", "user_account", "classroom", "enrollment",
             "attempt", "learner_question", "learner_option", "learner_day")


def analyze_tables(*tables: str) -> None:
    for table in tables:
        db.session.execute(text(f"ANALYZE {table}"))
    db.session.commit()
