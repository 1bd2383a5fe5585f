"""A learner's way through a lesson's practice: where "Continue" goes, and how the lesson went at the end."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from quizapp.models import Question
from quizapp.services.learning.lessons import LessonHead, get_states
from quizapp.services.learning.presenter import QuestionState
from quizapp.speed.direct import Prepared, read

NOTHING_YET = QuestionState()


@dataclass(frozen=True)
class Item:
    """One question of the lesson in the summary."""

    anchor: str
    title: str


@dataclass(frozen=True)
class LessonSummary:
    """How a learner did on a lesson's questions (current answer keys)."""

    right_first_time: tuple[Item, ...]
    right_after_retry: tuple[Item, ...]
    missed: tuple[Item, ...]  # answered, never right yet: what to review
    not_answered: tuple[Item, ...]

    @property
    def total(self) -> int:
        """Count the lesson's questions."""
        return sum(map(len, (self.right_first_time, self.right_after_retry, self.missed, self.not_answered)))


def next_unanswered(head: LessonHead, user_id: int, after: str) -> str | None:
    """Give the anchor of the first question after ``after`` (then from the top) not answered yet, or None."""
    items = _questions(head)
    states = get_states(head.id, user_id)
    anchors = [anchor for _, anchor, _ in items]
    start = anchors.index(after) + 1 if after in anchors else 0
    for question_id, anchor, _title in items[start:] + items[:start]:
        if not states.get(question_id, NOTHING_YET).attempts:
            return anchor
    return None


def lesson_summary(head: LessonHead, user_id: int) -> LessonSummary:
    """Sort the lesson's questions by how the learner did on them (two queries)."""
    groups: dict[str, list[Item]] = {"first": [], "retry": [], "missed": [], "new": []}
    states = get_states(head.id, user_id)
    for question_id, anchor, title in _questions(head):
        state = states.get(question_id, NOTHING_YET)
        if not state.attempts:
            group = "new"
        elif state.ever_correct:
            group = "first" if state.first_correct else "retry"
        else:
            group = "missed"
        groups[group].append(Item(anchor, title))
    return LessonSummary(*(tuple(groups[name]) for name in ("first", "retry", "missed", "new")))


def _questions(head: LessonHead) -> list[tuple[int, str, str]]:
    rows = read(_QUESTIONS, {"lesson_id": head.id})
    return [(row.id, row.key.rsplit("/", 1)[-1], row.title) for row in rows]


_QUESTIONS = Prepared(
    select(Question.id, Question.key, Question.title)
    .where(Question.lesson_id == bindparam("lesson_id"), Question.retired.is_(False))
    .order_by(Question.position)
)
