"""The dashboards' summaries and class counters equal a recomputation from the raw attempts."""

from __future__ import annotations

import shutil
from datetime import timedelta

from dashboard_helpers import add_learners, ask, question_id
from sqlalchemy import insert, select
from summary_helpers import built_pairs, class_expected, class_stored, recomputed, stored
from support import DATA, load_courses, make_user

from quizapp.devtools import synth
from quizapp.extensions import db
from quizapp.models import Attempt, ClassCourse, Classroom, Course, Question
from quizapp.services.learning import practice
from quizapp.services.teaching import classes
from quizapp.services.teaching.summaries import class_summaries
from quizapp.services.teaching.summaries import learner as summaries


def build_all() -> list[tuple[int, int]]:
    """Make every class's counters fresh for every course; give the (class, course) pairs."""
    courses = db.session.scalars(select(Course.id)).all()
    pairs = [(class_id, course_id) for class_id in db.session.scalars(select(Classroom.id)) for course_id in courses]
    for class_id, course_id in pairs:
        class_summaries.ensure_fresh(class_id, course_id)
    return pairs


def assert_all_equal(pairs) -> None:
    db.session.expire_all()
    assert stored() == recomputed()
    assert class_stored(pairs) == class_expected(pairs)


def test_submitted_answers_keep_the_summaries_equal_to_the_attempts(app, tmp_path):
    tree = tmp_path / "courses"
    shutil.copytree(DATA / "courses", tree)
    load_courses(tree)
    teacher = make_user("t@example.org", role="instructor")
    one, two = classes.create_class(teacher.id, "One"), classes.create_class(teacher.id, "Two")
    ann, ben, cat = make_user("ann@example.org"), make_user("ben@example.org"), make_user("cat@example.org")
    for user, joined in ((ann, (one, two)), (ben, (one,))):  # ann in both classes; cat in none
        for info in joined:
            classes.join_class(user.id, info.join_code)
    pairs = build_all()
    ask(ann, "where", choice="a", hints=1)  # wrong, named: a pick
    ask(ann, "where", choice="b")  # the retry, right
    ask(ann, "where", choice="a")  # wrong again after being right: last_correct false, ever_correct stays
    ask(ann, "method", text="put")  # wrong, unanticipated: no pick, "other"
    ask(ann, "method", text="post")
    ask(ben, "pick", choice=["a", "c"])
    ask(ben, "status", number="404")
    ask(cat, "where", choice="b")
    where = question_id("where")
    form = {"choice": ["c"]}
    stored_once = practice.submit_answer(ben.id, where, form, submission_key="twice")
    again = practice.submit_answer(ben.id, where, form, submission_key="twice")  # the double click: stored once
    assert again.attempt_id == stored_once.attempt_id
    assert all(class_summaries.is_fresh(*pair) for pair in pairs)  # answers never make counters stale
    assert_all_equal(pairs)
    # A new answer key: attempts on it get a row of their own; version 1's rows stay as they were. The
    # course's classes are stale until rebuilt, then every count is on the new key.
    text = (tree / "demo" / "01-basics.md").read_text().replace("- [ ] In the browser", "- [x] In the browser", 1)
    (tree / "demo" / "01-basics.md").write_text(text)
    load_courses(tree)
    assert not any(class_summaries.is_fresh(*pair) for pair in pairs if pair[1] == 1)
    build_all()
    ask(ann, "where", choice="c")
    ask(ben, "where", choice="a")
    assert_all_equal(pairs)
    rows, options, days = stored()
    assert sum(n for n, _ in days.values()) == 11 and sum(r for _, r in days.values()) == 3  # ann: b, post; cat: b
    assert db.session.scalar(select(Attempt.id).where(Attempt.submission_key == "twice").limit(2).offset(1)) is None
    assert rows[(ben.id, where, 1)]["attempts"] == 1
    first = rows[(ann.id, where, 1)]
    assert (first["attempts"], first["first_correct"], first["first_hints"], first["last_correct"],
            first["ever_correct"], first["best_score"]) == (3, False, 1, False, True, 1.0)
    assert rows[(ann.id, question_id("method"), 1)]["ever_other"] is True
    assert {(v, o) for u, q, v, o in options if u == ann.id and q == where} == {(1, "a"), (1, "b"), (2, "c")}
    assert rows[(ben.id, where, 2)]["first_correct"] is False  # 'a' is not right on version 2 either


def test_class_counters_add_up_answers_in_any_commit_order(app, demo_course):
    """A later attempt id merged first, then the earlier one: "first" moves back, and with it the learner's
    total and every sum of the questions they tried (what two answers racing on PostgreSQL can do)."""
    teacher = make_user("t@example.org", role="instructor")
    info = classes.create_class(teacher.id, "One")
    ann, ben = add_learners(info.id, 2)
    pairs = build_all()
    for anchor, choice in (("where", "b"), ("only", "a"), ("pick", ["a", "b"])):
        ask(ann, anchor, choice=choice)
        ask(ben, anchor, choice="c" if anchor == "pick" else "a")
    steps = question_id("steps")
    version = db.session.get(Question, steps).version
    course_id = db.session.scalar(select(Course.id))
    late, early, now = 10**6 + 1, 10**6, practice.utcnow()  # early scores 1/3, late 1: first must end up 1/3
    for attempt_id, score, correct in ((late, 1.0, True), (early, 1 / 3, False)):
        values = {"id": attempt_id, "user_id": ann.id, "question_id": steps, "version": version, "response": {},
                  "score": score, "correct": correct, "matched": [], "feedback_html": [], "hints_used": 0,
                  "seconds": None, "submission_key": f"k{attempt_id}",
                  "created_at": now + timedelta(seconds=attempt_id - early)}
        db.session.execute(insert(Attempt), values)
        summaries.record_answer(attempt_id, values, course_id)
        db.session.commit()
    matched = db.session.scalars(select(Attempt.matched).where(Attempt.user_id == ben.id)).all()
    assert sorted(option for options in matched for option in options) == ["a", "a", "c"]
    assert class_summaries.is_fresh(info.id, course_id)
    assert_all_equal(pairs)


def test_new_members_and_retired_questions_are_counted_after_a_rebuild(app, demo_course):
    teacher = make_user("t@example.org", role="instructor")
    info = classes.create_class(teacher.id, "One")
    (ann,) = add_learners(info.id, 1, prefix="a")
    dan = make_user("dan@example.org")
    ask(dan, "where", choice="b")  # before joining: counted once dan is a member
    ask(ann, "only", choice="b")
    pairs = build_all()
    classes.join_class(dan.id, info.join_code)
    course_id = pairs[0][1]
    assert not class_summaries.is_fresh(info.id, course_id)
    class_summaries.ensure_fresh(info.id, course_id)
    assert_all_equal(pairs)
    db.session.get(Question, question_id("where")).retired = True  # what a content reload does
    db.session.commit()
    assert not class_summaries.is_fresh(info.id, course_id)
    class_summaries.ensure_fresh(info.id, course_id)
    assert class_summaries.is_fresh(info.id, course_id)
    ask(dan, "only", choice="a")
    assert_all_equal(pairs)
    assert sorted(built_pairs()) == sorted(pairs)


def test_synth_writes_the_summaries_submitting_would_have(app, demo_course):
    report = synth.synthesize(learners=25, attempts_per_learner=30, classes=2, seed=9)
    rows, options, days = stored()
    assert len(rows) > 25 and len(options) > 25 and len(days) >= 25
    pairs = [(class_id, course_id) for class_id in report.classes for course_id in db.session.scalars(
        select(Course.id))]
    assert all(class_summaries.is_fresh(*pair) for pair in pairs)
    assert_all_equal(pairs)


def test_members_who_join_later_are_added_as_a_rebuild_would_count_them(app, tmp_path, monkeypatch):
    tree = tmp_path / "courses"
    shutil.copytree(DATA / "courses", tree)
    load_courses(tree)
    teacher = make_user("t@example.org", role="instructor")
    info = classes.create_class(teacher.id, "One")
    ann, eve, fay, gil = (make_user(f"{name}@example.org") for name in ("ann", "eve", "fay", "gil"))
    classes.join_class(ann.id, info.join_code)
    ask(ann, "where", choice="b")
    ask(eve, "where", choice="a")  # before a new answer key: a row on a version no longer current
    text = (tree / "demo" / "01-basics.md").read_text().replace("- [ ] In the browser", "- [x] In the browser", 1)
    (tree / "demo" / "01-basics.md").write_text(text)
    load_courses(tree)
    pairs = build_all()
    course_id = pairs[0][1]

    def built_at():
        return db.session.scalar(select(ClassCourse.built_at).where(ClassCourse.classroom_id == info.id,
                                                                     ClassCourse.course_id == course_id))

    before = built_at()
    ask(eve, "where", choice="c")
    ask(eve, "pick", choice=["a", "c"])
    ask(eve, "method", text="put")  # unanticipated: "other"
    ask(fay, "status", number="404")
    ask(fay, "where", choice="b")
    for user in (eve, fay, gil):  # gil has answered nothing
        classes.join_class(user.id, info.join_code)
    assert not class_summaries.is_fresh(info.id, course_id)
    class_summaries.ensure_fresh(info.id, course_id)
    assert class_summaries.is_fresh(info.id, course_id) and built_at() == before  # added, not rebuilt
    assert_all_equal(pairs)
    ask(eve, "where", choice="b")  # members' answers keep adding on top
    ask(gil, "only", choice="a")
    assert_all_equal(pairs)
    monkeypatch.setattr(class_summaries, "ADD_AT_MOST", 1)  # more joined at once than that: rebuilt instead
    hal, ivy = make_user("hal@example.org"), make_user("ivy@example.org")
    ask(hal, "where", choice="a")
    for user in (hal, ivy):
        classes.join_class(user.id, info.join_code)
    class_summaries.ensure_fresh(info.id, course_id)
    assert class_summaries.is_fresh(info.id, course_id) and built_at() != before
    assert_all_equal(pairs)
