"""A learner's own data, for data-protection requests: the account (never the password hash) and attempts."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, Classroom, Enrollment, Question, User

CSV_COLUMNS = ("answered_at", "question", "version", "correct", "score", "hints_used", "seconds", "response")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_user_data(user_id: int) -> dict | None:
    """Gather everything stored about one account as plain JSON data, or None if there is no such account."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    return {
        "account": {"id": user.id, "email": user.email, "role": user.role, "created_at": _iso(user.created_at)},
        "classes": _classes(user.id),
        "attempts": _attempts(user.id),
    }


def _attempts(user_id: int) -> list[dict]:
    rows = db.session.execute(
        select(Attempt, Question.key)
        .join(Question, Question.id == Attempt.question_id)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.id)
    )
    return [
        {
            "answered_at": _iso(attempt.created_at), "question": key, "version": attempt.version,
            "response": attempt.response, "correct": attempt.correct, "score": attempt.score,
            "feedback_html": attempt.feedback_html, "hints_used": attempt.hints_used,
            "seconds": attempt.seconds,
        }
        for attempt, key in rows
    ]


def _classes(user_id: int) -> list[dict]:
    rows = db.session.execute(
        select(Classroom.name, Enrollment.joined_at)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .where(Enrollment.user_id == user_id)
        .order_by(Enrollment.id)
    )
    return [{"name": name, "joined_at": _iso(joined)} for name, joined in rows]


def to_json(data: dict) -> str:
    """Format an export as indented JSON text."""
    return json.dumps(data, indent=2, ensure_ascii=False)


def attempts_csv(data: dict) -> str:
    """Give an export's attempts as CSV, one row per answer, safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for attempt in data["attempts"]:
        row = {**attempt, "response": json.dumps(attempt["response"], ensure_ascii=False)}
        writer.writerow([_cell(row[name]) for name in CSV_COLUMNS])
    return out.getvalue()


def _cell(value: object) -> object:
    """Defuse text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
