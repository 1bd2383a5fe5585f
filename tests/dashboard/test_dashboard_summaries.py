"""The dashboards' summaries (learner_question, learner_option) equal a recomputation from the raw attempts."""

from __future__ import annotations

import shutil
from datetime import UTC

from dashboard_helpers import ask, question_id
from sqlalchemy import select
from support import DATA, load_courses, make_user

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptPick, LearnerDay, LearnerOption, LearnerQuestion, Lesson, Question
from quizapp.services import practice, synth

COLUMNS = [c.name for c in LearnerQuestion.__table__.columns]


def _utc(value):
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def recomputed() -> tuple[dict, set, dict]:
    """Rebuild every summary row from attempt and attempt_pick, first/last by attempt id, days in UTC."""
    picked = {a for (a,) in db.session.execute(select(AttemptPick.attempt_id))}
    rows: dict[tuple, dict] = {}
    for a in db.session.scalars(select(Attempt).order_by(Attempt.id)):
        key = (a.user_id, a.question_id, a.version)
        other = not a.correct and a.id not in picked
        row = rows.get(key)
        if row is None:
            rows[key] = dict(zip(COLUMNS, (*key, 1, a.id, a.score, a.correct, a.hints_used, _utc(a.created_at), a.id,
                                          a.correct, _utc(a.created_at), a.score, a.correct, other), strict=True))
            continue
        row.update(attempts=row["attempts"] + 1, last_attempt_id=a.id, last_correct=a.correct,
                   last_at=max(row["last_at"], _utc(a.created_at)), best_score=max(row["best_score"], a.score),
                   ever_correct=row["ever_correct"] or a.correct, ever_other=row["ever_other"] or other)
    query = select(AttemptPick.user_id, AttemptPick.question_id, AttemptPick.version, AttemptPick.option_id)
    options = {tuple(row) for row in db.session.execute(query)}
    days: dict[tuple, list[int]] = {}
    query = select(Attempt.user_id, Lesson.course_id, Attempt.created_at, Attempt.correct).join(
        Question, Question.id == Attempt.question_id).join(Lesson, Lesson.id == Question.lesson_id)
    for user_id, course_id, created_at, correct in db.session.execute(query):
        counts = days.setdefault((user_id, course_id, _utc(created_at).date()), [0, 0])
        counts[0] += 1
        counts[1] += int(correct)
    return rows, options, {key: tuple(n) for key, n in days.items()}


def stored() -> tuple[dict, set, dict]:
    """Read the summary rows as they are."""
    rows = {}
    for row in db.session.execute(select(LearnerQuestion.__table__)).mappings():
        row = {name: _utc(v) if name.endswith("_at") else v for name, v in row.items()}
        rows[(row["user_id"], row["question_id"], row["version"])] = row
    options = {tuple(row) for row in db.session.execute(select(LearnerOption.__table__))}
    days = {(u, c, d): (n, r) for u, c, d, n, r in db.session.execute(select(LearnerDay.__table__))}
    return rows, options, days


def test_submitted_answers_keep_the_summaries_equal_to_the_attempts(app, tmp_path, monkeypatch):
    tree = tmp_path / "courses"
    shutil.copytree(DATA / "courses", tree)
    load_courses(tree)
    ann, ben = make_user("ann@example.org"), make_user("ben@example.org")
    ask(ann, "where", choice="a", hints=1)  # wrong, named: a pick
    ask(ann, "where", choice="b")  # the retry, right
    ask(ann, "where", choice="a")  # wrong again after being right: last_correct false, ever_correct stays
    ask(ann, "method", text="put")  # wrong, unanticipated: no pick, "other"
    ask(ann, "method", text="post")
    ask(ben, "pick", choice=["a", "c"])
    ask(ben, "status", number="404")
    where = question_id("where")
    form = {"choice": ["c"]}
    practice.submit_answer(ben.id, where, form, submission_key="twice")
    practice.submit_answer(ben.id, where, form, submission_key="twice")  # the double click: stored once
    # The race: the other request's attempt is not seen up front, so the insert itself is refused.
    real, missed = practice._attempt_by_key, iter([True])
    monkeypatch.setattr(practice, "_attempt_by_key", lambda *args: None if next(missed, False) else real(*args))
    raced = practice.submit_answer(ben.id, where, form, submission_key="twice")
    monkeypatch.undo()
    assert next(missed, None) is None and raced.attempt_id == real(ben.id, "twice").id
    # A new answer key: attempts on it get a row of their own; version 1's rows stay as they were.
    text = (tree / "demo" / "01-basics.md").read_text().replace("- [ ] In the browser", "- [x] In the browser", 1)
    (tree / "demo" / "01-basics.md").write_text(text)
    load_courses(tree)
    ask(ann, "where", choice="c")
    ask(ben, "where", choice="a")
    rows, options, days = stored()
    assert (rows, options, days) == recomputed()
    assert sum(n for n, _ in days.values()) == 10 and sum(r for _, r in days.values()) == 2  # ann: b, post
    assert db.session.scalar(select(Attempt.id).where(Attempt.submission_key == "twice").limit(2).offset(1)) is None
    assert rows[(ben.id, where, 1)]["attempts"] == 1
    first = rows[(ann.id, where, 1)]
    assert (first["attempts"], first["first_correct"], first["first_hints"], first["last_correct"],
            first["ever_correct"], first["best_score"]) == (3, False, 1, False, True, 1.0)
    assert rows[(ann.id, question_id("method"), 1)]["ever_other"] is True
    assert {(v, o) for u, q, v, o in options if u == ann.id and q == where} == {(1, "a"), (1, "b"), (2, "c")}
    assert rows[(ben.id, where, 2)]["first_correct"] is False  # 'a' is not right on version 2 either


def test_synth_writes_the_summaries_submitting_would_have(app, demo_course):
    synth.synthesize(learners=25, attempts_per_learner=30, classes=2, seed=9)
    rows, options, days = stored()
    assert len(rows) > 25 and len(options) > 25 and len(days) >= 25
    assert (rows, options, days) == recomputed()
