"""Helpers for the dashboard tests: answer demo questions through the real door, enrol learners in bulk."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from quizapp.content.snapshots import answer_from_dict
from quizapp.extensions import db
from quizapp.models import Enrollment, Question, QuestionVersion, User
from quizapp.services.learning import practice

_keys = itertools.count()


def question_id(anchor: str) -> int:
    """Find a demo question's id by its anchor."""
    return db.session.scalar(select(Question.id).where(Question.key.endswith(f"/{anchor}")))


def ask(user, anchor: str, hints: int = 0, seconds: int | None = None, **form) -> None:
    """Answer a demo question as ``user`` through practice.submit_answer (the door the views use)."""
    data = {name: value if isinstance(value, list) else [value] for name, value in form.items()}
    result = practice.submit_answer(user.id, question_id(anchor), data, submission_key=f"k{next(_keys)}",
                                    hints_used=hints, seconds=seconds)
    assert result.error is None, result.error


def step_ids() -> list[str]:
    """Give the 'steps' order question's item ids in the right order."""
    version = db.session.scalar(
        select(QuestionVersion).join(Question, Question.id == QuestionVersion.question_id)
        .where(Question.key.endswith("/steps"))
    )
    return [item.id for item in answer_from_dict(version.answer).items]


def answer_class_a(l1, l2, l3) -> None:
    ask(l1, "where", choice="b")
    ask(l1, "pick", choice=["a", "b"])
    ask(l1, "method", text="post")
    ask(l1, "status", number="404")
    ask(l1, "only", choice="a")
    ask(l2, "where", choice="a")
    ask(l2, "pick", choice=["a", "c"])
    ask(l2, "method", text="get")
    ask(l2, "status", number="405")
    ask(l2, "only", choice="b")
    ask(l3, "where", choice="c")
    ask(l3, "pick", choice=["a", "b"])
    ask(l3, "method", text="put")
    ask(l3, "status", number="404")
    ask(l3, "only", choice="b")
    ask(l1, "status", number="405")
    ask(l2, "where", choice="b")
    ask(l3, "status", number="404")
    ids = step_ids()
    ask(l2, "steps", order=",".join(ids[1:] + ids[:1]))


def add_learners(class_id: int, count: int, prefix: str = "m") -> list[User]:
    """Enrol many learners quickly (rows written directly: hashing a password each would take seconds)."""
    users = [User(email=f"{prefix}{i:03d}@example.org", password_hash="x", role="learner") for i in range(count)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(Enrollment(classroom_id=class_id, user_id=user.id) for user in users)
    db.session.commit()
    return users
