"""`quizapp dev synth` fills a database with the counts asked for, and the dashboards render on it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from support import login

from quizapp.devtools import synth
from quizapp.extensions import db
from quizapp.models import Attempt, Classroom, Enrollment, User


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_synth_makes_the_requested_classes_learners_and_attempts(app, runner, demo_course):
    result = runner.invoke(args=["dev", "synth", "--learners", "12", "--attempts-per-learner", "7",
                                 "--classes", "2", "--instructor", "teacher@example.org", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "added 12 learners in 2 class(es)" in result.output
    assert db.session.scalar(select(func.count(User.id)).where(User.role == "learner")) == 12
    assert count(Classroom) == 2 and count(Enrollment) == 12
    assert count(Attempt) == 12 * 7
    picks = sum(len(matched) for matched in db.session.scalars(select(Attempt.matched)))
    assert f"{picks} picks" in result.output and picks > 0
    oldest = db.session.scalar(select(func.min(Attempt.created_at)))
    assert oldest.replace(tzinfo=UTC) > datetime.now(UTC) - timedelta(days=31)
    assert {True, False} == set(db.session.scalars(select(Attempt.correct).distinct()))


def test_same_seed_twice_is_refused_and_a_new_seed_adds_more(app, runner, demo_course):
    assert runner.invoke(args=["dev", "synth", "--learners", "3", "--attempts-per-learner", "2"]).exit_code == 0
    again = runner.invoke(args=["dev", "synth", "--learners", "3", "--attempts-per-learner", "2"])
    assert again.exit_code != 0 and "another --seed" in again.output
    assert runner.invoke(args=["dev", "synth", "--learners", "3", "--attempts-per-learner", "2",
                               "--seed", "2"]).exit_code == 0
    assert count(Attempt) == 12
    # ids were given explicitly: ordinary inserts must still work afterwards
    db.session.add(Attempt(user_id=1, question_id=1, version=1, response={}, score=0, correct=False,
                           submission_key="after-synth"))
    db.session.commit()


def test_synth_without_content_says_what_to_do(app, runner):
    result = runner.invoke(args=["dev", "synth", "--learners", "2"])
    assert result.exit_code != 0 and "load content first" in result.output


def test_dashboard_renders_on_synthetic_data(app, client, demo_course):
    report = synth.synthesize(learners=30, attempts_per_learner=10, classes=1, seed=5)
    login(client, "instructor@example.org", synth.PASSWORD)
    class_id = report.classes[0]
    overview = client.get(f"/dashboard/classes/{class_id}")
    assert overview.status_code == 200
    assert "synth.example.org" in overview.get_data(as_text=True)
    assert client.get(f"/dashboard/classes/{class_id}/items").status_code == 200
    assert client.get("/dashboard").status_code == 200
