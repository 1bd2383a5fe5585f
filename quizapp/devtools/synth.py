"""Fill a database quickly with realistic classes, learners and attempts, for benchmarks and demos.

Learners get a skill, questions a difficulty; the chance of a right answer rises with skill and with
each retry. Every outcome is graded once per question by the real graders (so responses, feedback,
matched ids are exactly what a learner would have produced) and then sampled, and rows go
in with explicit ids, in batches, one transaction per batch. The same seed gives the same data.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, select
from werkzeug.security import generate_password_hash

from quizapp.content.model import ChoiceAnswer, NumberAnswer, OrderAnswer, TextAnswer
from quizapp.content.snapshots import answer_from_dict
from quizapp.devtools.bulk import BATCH, analyze_tables, fix_sequences, insert_in_batches, insert_rows
from quizapp.extensions import db
from quizapp.grading import ResponseError, grade, parse_response
from quizapp.models import (
    Attempt,
    Classroom,
    Enrollment,
    LearnerDay,
    LearnerOption,
    LearnerQuestion,
    Lesson,
    Question,
    QuestionVersion,
    User,
)
from quizapp.services.learning.progress import active_questions
from quizapp.services.teaching.summaries import class_summaries
from quizapp.services.teaching.summaries.learner import day_values, summary_values

PASSWORD = "synth-password"  # every synthetic account shares it, so demos can log in as anyone
DAYS = 30


class SynthError(ValueError):
    """A synth request that cannot run; the message says what to do."""


@dataclass(frozen=True)
class Outcome:
    """One graded response, ready to copy into attempt rows."""

    response: dict
    score: float
    correct: bool
    matched: tuple[str, ...]
    feedback_html: tuple[str, ...]


@dataclass(frozen=True)
class SynthQuestion:
    """A question as the simulation needs it: its current version, difficulty and possible outcomes."""

    id: int
    version: int
    course_id: int
    hints: int
    difficulty: float
    right: tuple[Outcome, ...]
    wrong: tuple[Outcome, ...]


@dataclass(frozen=True)
class SynthReport:
    """What a synth run added, and how long it took."""

    learners: int
    classes: tuple[int, ...]
    attempts: int
    picks: int
    seconds: float


def synthesize(*, learners: int, attempts_per_learner: int, classes: int = 1,
               instructor_email: str = "instructor@example.org", seed: int = 1) -> SynthReport:
    """Add ``learners`` learners in ``classes`` classes of one instructor, each with their attempts."""
    started = time.perf_counter()
    now = datetime.now(UTC).replace(microsecond=0)
    rng = random.Random(seed)
    questions = _questions(rng)
    if not questions:
        raise SynthError("No active questions: load content first (quizapp content load).")
    prefix = f"s{seed}-"
    if db.session.scalar(select(User.id).where(User.email.like(f"{prefix}%@synth.example.org")).limit(1)):
        raise SynthError(f"Seed {seed} was already synthesized into this database; use another --seed.")
    instructor_id = _instructor(instructor_email)
    class_ids = _classrooms(rng, instructor_id, classes, seed)
    joined = now - timedelta(days=DAYS)
    user_ids = _learners(prefix, learners, joined)
    insert_in_batches(Enrollment, ({"classroom_id": class_ids[i % len(class_ids)], "user_id": uid,
                                  "joined_at": joined} for i, uid in enumerate(user_ids)))
    attempts, picks = _attempts(rng, questions, user_ids, attempts_per_learner, now)
    fix_sequences()
    _build_classes(class_ids, sorted({question.course_id for question in questions}))
    return SynthReport(len(user_ids), tuple(class_ids), attempts, picks, time.perf_counter() - started)


def _questions(rng: random.Random) -> list[SynthQuestion]:
    sub = active_questions().subquery()
    query = (
        select(Question.id, Question.version, Lesson.course_id, Question.hints_html, QuestionVersion.answer)
        .join(sub, sub.c.id == Question.id)
        .join(Lesson, Lesson.id == Question.lesson_id)
        .join(QuestionVersion, and_(QuestionVersion.question_id == Question.id,
                                    QuestionVersion.number == Question.version))
        .order_by(Question.lesson_id, Question.position)
    )
    found = []
    for qid, version, course_id, hints, data in db.session.execute(query):
        right, wrong = _outcomes(answer_from_dict(data), rng)
        if right and wrong:
            found.append(SynthQuestion(qid, version, course_id, len(hints or ()), rng.gauss(0, 1), right, wrong))
    return found


def _outcomes(answer, rng: random.Random) -> tuple[tuple[Outcome, ...], tuple[Outcome, ...]]:
    """Grade every plausible form for a question once; split the outcomes into right and wrong."""
    right: dict[str, Outcome] = {}
    wrong: dict[str, Outcome] = {}
    for form in _candidate_forms(answer, rng):
        try:
            response = parse_response(answer, form)
        except ResponseError:
            continue
        result = grade(answer, response)
        outcome = Outcome(response, result.score, result.correct, result.matched, result.feedback_html)
        (right if result.correct else wrong).setdefault(repr(response), outcome)
    return tuple(right.values()), tuple(wrong.values())


def _candidate_forms(answer, rng: random.Random) -> list[dict[str, list[str]]]:
    if isinstance(answer, ChoiceAnswer):
        good = [c.id for c in answer.choices if c.correct]
        bad = [c.id for c in answer.choices if not c.correct]
        forms = [{"choice": good}] + [{"choice": [b]} for b in bad]
        if len(good) > 1:
            forms += [{"choice": good[:-1]}] + [{"choice": good + [b]} for b in bad]
        return forms
    if isinstance(answer, OrderAnswer):
        ids = [item.id for item in answer.items]
        shuffles = [rng.sample(ids, len(ids)) for _ in range(4)]
        return [{"order": [",".join(order)]} for order in [ids, *shuffles, ids[1:] + ids[:1]]]
    if isinstance(answer, TextAnswer):
        typed = [p.raw for p in answer.accepted if p.regex is None]
        typed += [w.match.raw for w in answer.wrong if getattr(w.match, "regex", None) is None]
        return [{"text": [t]} for t in [*typed, "not sure", "idk"]]
    if isinstance(answer, NumberAnswer):
        numbers = [(r.low + r.high) / 2 for r in answer.accepted]
        numbers += [(w.match.low + w.match.high) / 2 for w in answer.wrong if hasattr(w.match, "low")]
        numbers += [(answer.accepted[0].high + 1) * 10 if answer.accepted else 12345]
        return [{"number": [f"{n:g}"]} for n in numbers]
    return []


def _instructor(email: str) -> int:
    found = db.session.scalar(select(User.id).where(User.email == email.strip().lower()))
    if found is not None:
        return found
    user = User(email=email.strip().lower(), password_hash=generate_password_hash(PASSWORD), role="instructor")
    db.session.add(user)
    db.session.commit()
    return user.id


def _classrooms(rng: random.Random, instructor_id: int, count: int, seed: int) -> list[int]:
    rows = [Classroom(name=f"Synthetic class {seed}.{n + 1}", instructor_id=instructor_id,
                      join_code=f"SYN{seed}-{n + 1}-{rng.getrandbits(32):08X}") for n in range(max(count, 1))]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def _learners(prefix: str, count: int, joined: datetime) -> list[int]:
    first = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    password_hash = generate_password_hash(PASSWORD)  # hashed once: scrypt per learner would take minutes
    insert_in_batches(User, ({"id": first + i, "email": f"{prefix}{i:06d}@synth.example.org",
                            "password_hash": password_hash, "role": "learner", "created_at": joined}
                           for i in range(count)))
    return list(range(first, first + count))


def _attempts(rng: random.Random, questions: list[SynthQuestion], user_ids: list[int], per_learner: int,
              now: datetime) -> tuple[int, int]:
    next_attempt = (db.session.scalar(select(func.max(Attempt.id))) or 0) + 1
    attempts: list[dict] = []
    summaries: list[dict] = []
    options: list[dict] = []
    days: list[dict] = []
    courses = {question.id: question.course_id for question in questions}
    total_attempts = total_picks = 0
    for user_id in user_ids:
        rows = _learner_attempts(rng, questions, user_id, per_learner, now)
        for row in rows:
            row["id"] = next_attempt
            next_attempt += 1
            attempts.append(row)
        _summarize(rows, summaries, options)
        days.extend(_days(rows, courses))
        if len(attempts) >= BATCH:
            total_attempts, total_picks = _flush(attempts, [summaries, options, days], total_attempts, total_picks)
    return _flush(attempts, [summaries, options, days], total_attempts, total_picks)


def _days(rows: list[dict], courses: dict[int, int]) -> list[dict]:
    """Add up one learner's attempts per course and UTC day, as the learner_day upsert would."""
    found: dict[tuple, dict] = {}
    for row in rows:
        new = day_values(courses[row["question_id"]], row)
        key = (new["course_id"], new["day"])
        if key in found:
            found[key]["attempts"] += 1
            found[key]["correct"] += new["correct"]
        else:
            found[key] = new
    return list(found.values())


def _summarize(rows: list[dict], summaries: list[dict], options: list[dict]) -> None:
    """Add one learner's learner_question and learner_option rows, merged as submitting ``rows`` would."""
    found: dict[tuple, dict] = {}
    picked: dict[tuple, None] = {}
    for row in rows:  # in id order, which is also time order
        new = summary_values(row["id"], row)
        key = (row["user_id"], row["question_id"], row["version"])
        for option_id in row["matched"]:
            picked[(*key, option_id)] = None
        old = found.get(key)
        if old is None:
            found[key] = new
            continue
        old["attempts"] += 1
        old.update(last_attempt_id=new["last_attempt_id"], last_correct=new["last_correct"],
                   last_at=max(old["last_at"], new["last_at"]), best_score=max(old["best_score"], new["best_score"]),
                   ever_correct=old["ever_correct"] or new["ever_correct"],
                   ever_other=old["ever_other"] or new["ever_other"])
    summaries.extend(found.values())
    options.extend({"user_id": u, "question_id": q, "version": v, "option_id": o} for u, q, v, o in picked)


def _flush(attempts: list[dict], summaries: list[list[dict]], total_attempts: int, total_picks: int) -> tuple[int, int]:
    """Write one batch of attempts and their summaries in one transaction; empty the buffers; give the running
    counts of attempts and of options picked (matched).

    Batches end between learners, so each learner's summary rows are complete in one batch.
    """
    if attempts:
        insert_rows(Attempt.__table__, attempts)
        for table, rows in zip((LearnerQuestion, LearnerOption, LearnerDay), summaries, strict=True):
            insert_rows(table.__table__, rows)
        db.session.commit()
    counts = total_attempts + len(attempts), total_picks + sum(len(row["matched"]) for row in attempts)
    for buffer in (attempts, *summaries):
        buffer.clear()
    return counts


def _learner_attempts(rng: random.Random, questions: list[SynthQuestion], user_id: int, count: int,
                      now: datetime) -> list[dict]:
    """Walk one learner through the questions in order, retrying misses up to twice, then reviewing at random."""
    skill = rng.gauss(0, 1)
    start = now - timedelta(days=DAYS * rng.random())
    span = (now - start).total_seconds()
    stamps = sorted(start + timedelta(seconds=span * rng.random()) for _ in range(count))
    rows, index, tries = [], 0, 0
    for n, created_at in enumerate(stamps):
        question = questions[index] if index < len(questions) else rng.choice(questions)
        chance = 1 / (1 + math.exp(question.difficulty - 1.2 * skill - 0.9 * tries - 0.5))
        outcome = rng.choice(question.right if rng.random() < chance else question.wrong)
        hints = rng.randint(1, question.hints) if question.hints and not outcome.correct and rng.random() < 0.3 else 0
        rows.append({
            "user_id": user_id, "question_id": question.id, "version": question.version,
            "response": outcome.response, "score": outcome.score, "correct": outcome.correct,
            "matched": list(outcome.matched), "feedback_html": list(outcome.feedback_html),
            "hints_used": hints, "seconds": min(int(rng.lognormvariate(3.4, 0.8)) + 3, 3600),
            "submission_key": f"synth-{n}", "created_at": created_at,
        })
        if outcome.correct or tries >= 2:
            index, tries = index + 1, 0
        else:
            tries += 1
    return rows


def _build_classes(class_ids: list[int], course_ids: list[int]) -> None:
    """Build the new classes' counters for every course learners answered in, as the dashboards would."""
    for class_id in class_ids:
        for course_id in course_ids:
            class_summaries.rebuild(class_id, course_id)
    if db.engine.dialect.name == "postgresql":
        analyze_tables(*(model.__tablename__ for model in class_summaries.TABLES))
