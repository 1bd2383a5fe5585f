"""Every dashboard summary recomputed in Python from the raw attempts, picks, members and content, and as stored.

The summary tests compare the two: learner_question, learner_option and learner_day per learner, and
the class counters (class_learner, class_question, class_option, class_day) per class and course.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    ClassCourse,
    ClassDay,
    ClassLearner,
    ClassOption,
    ClassQuestion,
    Course,
    Enrollment,
    LearnerDay,
    LearnerOption,
    LearnerQuestion,
    Lesson,
    Question,
)

# prev_* only carry the row's state from the upsert to the class counters within one answer's transaction.
COLUMNS = [c.name for c in LearnerQuestion.__table__.columns if not c.name.startswith("prev_")]


def utc(value):
    return value.astimezone(UTC).replace(tzinfo=None) if value is not None and value.tzinfo else value


def recomputed() -> tuple[dict, set, dict]:
    """Rebuild every learner summary row from the attempts, first/last by attempt id, days in UTC."""
    rows: dict[tuple, dict] = {}
    options = set()
    for a in db.session.scalars(select(Attempt).order_by(Attempt.id)):
        key = (a.user_id, a.question_id, a.version)
        other = not a.correct and not a.matched
        options.update((*key, option_id) for option_id in a.matched)
        row = rows.get(key)
        if row is None:
            rows[key] = dict(zip(COLUMNS, (*key, 1, a.id, a.score, a.correct, a.hints_used, utc(a.created_at), a.id,
                                          a.correct, utc(a.created_at), a.score, a.correct, other), strict=True))
            continue
        row.update(attempts=row["attempts"] + 1, last_attempt_id=a.id, last_correct=a.correct,
                   last_at=max(row["last_at"], utc(a.created_at)), best_score=max(row["best_score"], a.score),
                   ever_correct=row["ever_correct"] or a.correct, ever_other=row["ever_other"] or other)
    days: dict[tuple, list[int]] = {}
    query = select(Attempt.user_id, Lesson.course_id, Attempt.created_at, Attempt.correct).join(
        Question, Question.id == Attempt.question_id).join(Lesson, Lesson.id == Question.lesson_id)
    for user_id, course_id, created_at, correct in db.session.execute(query):
        counts = days.setdefault((user_id, course_id, utc(created_at).date()), [0, 0])
        counts[0] += 1
        counts[1] += int(correct)
    return rows, options, {key: tuple(n) for key, n in days.items()}


def stored() -> tuple[dict, set, dict]:
    """Read the learner summary rows as they are."""
    rows = {}
    for row in db.session.execute(select(LearnerQuestion.__table__)).mappings():
        row = {name: utc(v) if name.endswith("_at") else v for name, v in row.items() if name in COLUMNS}
        rows[(row["user_id"], row["question_id"], row["version"])] = row
    options = {tuple(row) for row in db.session.execute(select(LearnerOption.__table__))}
    days = {(u, c, d): (n, r) for u, c, d, n, r in db.session.execute(select(LearnerDay.__table__))}
    return rows, options, days


def _content() -> tuple[dict, dict, set]:
    """Each question's course; each course's current active (question, version) pairs; the active questions."""
    course_of, current, active = {}, defaultdict(set), set()
    query = select(Question.id, Question.version, Question.retired, Lesson.retired, Course.id, Course.retired).join(
        Lesson, Lesson.id == Question.lesson_id).join(Course, Course.id == Lesson.course_id)
    for qid, version, retired, lesson_retired, course_id, course_retired in db.session.execute(query):
        course_of[qid] = course_id
        if not (retired or lesson_retired or course_retired):
            current[course_id].add((qid, version))
            active.add(qid)
    return course_of, current, active


def class_expected(pairs) -> dict:
    """The class counters for each (class, course) of ``pairs``, recomputed from the raw rows by their definitions."""
    rows, options, days = recomputed()
    course_of, current, active = _content()
    members = defaultdict(set)
    for class_id, user_id in db.session.execute(select(Enrollment.classroom_id, Enrollment.user_id)):
        members[class_id].add(user_id)
    found: dict = {"learners": {}, "questions": {}, "options": defaultdict(int), "days": defaultdict(lambda: [0, 0])}
    for class_id, course_id in pairs:
        totals = {}
        for user_id in members[class_id]:
            mine = {k: r for k, r in rows.items() if k[0] == user_id and course_of[k[1]] == course_id}
            now = [r for k, r in mine.items() if k[1:] in current[course_id]]
            last = [r["last_at"] for k, r in mine.items() if k[1] in active]
            totals[user_id] = sum(r["first_score"] for r in now)
            found["learners"][(class_id, course_id, user_id)] = (
                len(now), sum(r["ever_correct"] for r in now), max(last, default=None), round(totals[user_id], 9))
        sums = defaultdict(lambda: [0] * 10)
        for (user_id, qid, version), r in rows.items():
            if user_id in totals and course_of[qid] == course_id:
                counted = (qid, version) in current[course_id]
                x, t = r["first_score"], totals[user_id] if counted else 0.0
                add = (1, r["first_correct"], r["attempts"], r["ever_correct"], r["ever_other"], x, x * x, t, t * t,
                       x * t)
                sums[(qid, version)] = [a + b for a, b in zip(sums[(qid, version)], add, strict=True)]
        for pair in current[course_id]:
            sums.setdefault(pair, [0] * 10)
        for (qid, version), values in sums.items():
            found["questions"][(class_id, course_id, qid, version)] = (
                (qid, version) in current[course_id], *(int(v) for v in values[:5]),
                *(round(v, 9) for v in values[5:]))
        for user_id, qid, version, option_id in options:
            if user_id in totals and course_of[qid] == course_id:
                found["options"][(class_id, course_id, qid, version, option_id)] += 1
        for (user_id, day_course, day), (n, right) in days.items():
            if user_id in totals and day_course == course_id:
                found["days"][(class_id, course_id, day)][0] += n
                found["days"][(class_id, course_id, day)][1] += right
    found["options"] = dict(found["options"])
    found["days"] = {key: tuple(v) for key, v in found["days"].items()}
    return found


def class_stored(pairs) -> dict:
    """Read the class counters of ``pairs`` as they are, in class_expected's shape."""
    wanted = set(pairs)
    found: dict = {"learners": {}, "questions": {}, "options": {}, "days": {}}
    for r in db.session.scalars(select(ClassLearner)):
        if (r.classroom_id, r.course_id) in wanted:
            found["learners"][(r.classroom_id, r.course_id, r.user_id)] = (
                r.answered, r.correct, utc(r.last_active), round(r.first_total, 9))
    for r in db.session.scalars(select(ClassQuestion)):
        if (r.classroom_id, r.course_id) in wanted:
            found["questions"][(r.classroom_id, r.course_id, r.question_id, r.version)] = (
                r.counted, r.learners, r.first_correct, r.attempts, r.ever_correct, r.ever_other,
                *(round(v, 9) for v in (r.sum_x, r.sum_xx, r.sum_t, r.sum_tt, r.sum_xt)))
    for r in db.session.scalars(select(ClassOption)):
        if (r.classroom_id, r.course_id) in wanted:
            found["options"][(r.classroom_id, r.course_id, r.question_id, r.version, r.option_id)] = r.learners
    for r in db.session.scalars(select(ClassDay)):
        if (r.classroom_id, r.course_id) in wanted:
            found["days"][(r.classroom_id, r.course_id, r.day)] = (r.attempts, r.correct)
    return found


def built_pairs() -> list[tuple[int, int]]:
    """The (class, course) pairs whose counters were built."""
    return [tuple(row) for row in db.session.execute(select(ClassCourse.classroom_id, ClassCourse.course_id))]
