"""A release with a new renderer re-renders unchanged lessons once, without touching answer-key versions."""

from __future__ import annotations

from sqlalchemy import select
from support import load_courses

from quizapp.extensions import db
from quizapp.models import Lesson, QuestionVersion
from quizapp.services.authoring import content_sync


def test_a_new_renderer_version_rerenders_every_lesson_once_and_keeps_versions(app, monkeypatch):
    load_courses()
    versions = db.session.scalars(select(QuestionVersion.id)).all()
    db.session.execute(Lesson.__table__.update().values(body_html="stale"))
    db.session.commit()

    assert load_courses().unchanged == 2  # same release: nothing is rendered again

    monkeypatch.setattr(content_sync, "RENDERER_VERSION", "next")
    report = load_courses()
    assert sorted(report.changed) == ["demo", "demo/basics", "demo/more"] and not report.new_versions
    assert "stale" not in db.session.scalars(select(Lesson.body_html)).all()
    assert db.session.scalars(select(QuestionVersion.id)).all() == versions
    assert load_courses().unchanged == 2  # and only once
