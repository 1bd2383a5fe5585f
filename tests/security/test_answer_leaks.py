"""Nothing that grading reveals (correct flags, feedback, solution, quick check, mistakes) is sent before grading."""

from __future__ import annotations

import html as htmllib
import re

from security_helpers import sign_in

from quizapp.extensions import db
from quizapp.models import Lesson, Question, QuestionVersion

MIN_SECRET = 12  # shorter strings ("Yes", "404") can appear in a lesson for other reasons


def text(markup: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", markup or ""))).strip()


def secrets_of(question: Question, answer: dict) -> list[str]:
    """Every string that is only for after grading, as visible text."""
    found = [question.solution_html, question.quick_check_html, *question.mistakes_html]
    for choice in answer.get("choices", ()):
        found += [choice.get("feedback_html", ""), choice.get("feedback", "")]
    for wrong in answer.get("wrong", ()):
        found += [wrong.get("feedback_html", ""), wrong.get("feedback", "")]
    return [t for t in (text(s) for s in found) if len(t) >= MIN_SECRET]


def assert_no_leak(page: str, secrets: list[str], where: str) -> None:
    visible, raw = text(page), page
    for secret in secrets:
        assert secret not in visible, f"{where} shows after-grading text: {secret[:80]!r}"
    assert not re.search(r"data-[a-z-]*(correct|answer|solution|feedback|key)\b", raw), where
    assert not re.search(r"""["']?correct["']?\s*[:=]\s*["']?(true|false|1|0)""", raw, re.I), where
    assert 'class="solution"' not in raw and 'class="feedback"' not in raw and "Common mistakes" not in raw, where


def test_real_course_pages_hide_every_answer_before_grading(app, real_course, people):
    rows = db.session.execute(
        db.select(Question, QuestionVersion, Lesson)
        .join(QuestionVersion, (QuestionVersion.question_id == Question.id)
              & (QuestionVersion.number == Question.version))
        .join(Lesson, Lesson.id == Question.lesson_id)
        .where(Question.retired.is_(False))
    ).all()
    assert len(rows) >= 10, "the shipped course should have questions"
    assert sum(len(secrets_of(q, v.answer)) for q, v, _ in rows) >= len(rows), "too few secrets to compare"
    by_lesson: dict[str, list] = {}
    for question, version, lesson in rows:
        by_lesson.setdefault(lesson.key, []).append((question, version.answer))
    for role in ("anonymous", "learner"):
        client = app.test_client()
        sign_in(client, people.get(role))
        for lesson_key, questions in by_lesson.items():
            every_secret = [s for q, a in questions for s in secrets_of(q, a)]
            with app.app_context():
                lesson_page = client.get(f"/courses/{lesson_key}").get_data(as_text=True)
            assert_no_leak(lesson_page, every_secret, f"{role} lesson {lesson_key}")
            for question, answer in questions:
                own = secrets_of(question, answer)
                for headers in ({}, {"X-Requested-With": "fetch"}):
                    with app.app_context():
                        response = client.get(f"/courses/{question.key}", headers=headers)
                    assert response.status_code == 200, question.key
                    page = response.get_data(as_text=True)
                    assert_no_leak(page, own, f"{role} question {question.key}")
                    if answer["kind"] == "order":
                        shown = re.findall(r'name="position-([0-9a-f]+)"', page)
                        assert shown != [item["id"] for item in answer["items"]], "order shown already solved"


def test_hint_reveals_hints_only(app, real_course, people):
    client = app.test_client()
    sign_in(client, people["learner"])
    question, version = next((q, v) for q, v in current_questions() if q.hints_html)
    with app.app_context():
        page = client.post(f"/courses/{question.key}", data={"action": "hint", "hints_used": "99"}).get_data(
            as_text=True)
    assert text(question.hints_html[-1]) in text(page)
    assert_no_leak(page, secrets_of(question, version.answer), question.key)


def test_the_same_secrets_do_appear_after_grading(app, real_course, people):
    """Proves the comparison above can see a leak: after a second try, the solution is there."""
    client = app.test_client()
    sign_in(client, people["learner"])
    rows = [(q, v) for q, v in current_questions() if v.answer["kind"] == "choice" and q.solution_html]
    assert rows
    question, version = rows[0]
    wrong = next(c["id"] for c in version.answer["choices"] if not c["correct"])
    for key in ("first", "second"):
        with app.app_context():
            page = client.post(f"/courses/{question.key}", data={"action": "answer", "choice": wrong,
                                                                "submission_key": key}).get_data(as_text=True)
    assert text(question.solution_html) in text(page)


def after_the_rule(question: Question, answer: dict) -> list[str]:
    """What a first miss must not show yet: the solution, quick check and common mistakes."""
    found = [question.solution_html, question.quick_check_html, *question.mistakes_html]
    return [t for t in (text(s) for s in found) if len(t) >= MIN_SECRET]


def test_a_first_miss_shows_its_mistake_and_nothing_the_rule_holds_back(app, real_course, people):
    """Every question of the shipped course, missed once: on the answer's page, on the lesson page and on the
    question page afterwards, no solution, quick check or common mistake, no other choice's feedback, and no
    right choice marked as missed."""
    client = app.test_client()
    sign_in(client, people["learner"])
    for n, (question, version) in enumerate(current_questions()):
        answer = version.answer
        form, own = _a_wrong_answer(answer)
        if form is None:
            continue
        with app.app_context():
            graded = client.post(f"/courses/{question.key}", data={"action": "answer", "submission_key": f"m{n}",
                                                                    **form}).get_data(as_text=True)
            again = client.get(f"/courses/{question.key}").get_data(as_text=True)
            lesson = client.get(f"/courses/{question.key.rsplit('/', 1)[0]}").get_data(as_text=True)
        held_back = after_the_rule(question, answer)
        others = [text(c.get("feedback_html", "")) for c in answer.get("choices", ()) if c["id"] not in own]
        for where, page in (("answer", graded), ("question page", again)):
            visible = text(page)
            assert "Not quite" in visible or "Partly right" in visible, question.key
            for secret in held_back + [o for o in others if len(o) >= MIN_SECRET]:
                assert secret not in visible, f"{where} of {question.key} shows {secret[:60]!r} after one miss"
            assert "Also right" not in visible, f"{where} of {question.key} marks a right choice"
        for secret in held_back:
            assert secret not in text(lesson), f"lesson page shows {secret[:60]!r} after one miss"


def _a_wrong_answer(answer: dict) -> tuple[dict | None, set[str]]:
    """A form that answers wrong, and the choices it picks."""
    if answer["kind"] == "choice":
        wrong = next(c["id"] for c in answer["choices"] if not c["correct"])
        return {"choice": wrong}, {wrong}
    if answer["kind"] == "text":
        return {"text": "certainly not the answer"}, set()
    if answer["kind"] == "number":
        return {"number": "123456789"}, set()
    items = [item["id"] for item in answer["items"]]
    return {"order": ",".join(reversed(items))}, set()


def current_questions() -> list:
    return db.session.execute(
        db.select(Question, QuestionVersion)
        .join(QuestionVersion, (QuestionVersion.question_id == Question.id)
              & (QuestionVersion.number == Question.version))
        .where(Question.retired.is_(False))
        .order_by(Question.id)
    ).all()
