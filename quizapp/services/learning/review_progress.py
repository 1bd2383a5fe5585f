"""A learner's review cards per course for "My progress": cards learned, due now, and the next 14 days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, true

from quizapp.models import Course, Lesson, Question, ReviewCard
from quizapp.services.learning.review_schedule import forecast_days, utc
from quizapp.speed.direct import Prepared, read

FORECAST_DAYS = 14
REVIEW_STATE = 2  # fsrs.State.Review: out of the learning steps


@dataclass(frozen=True)
class CourseReview:
    """One course's review cards for a learner."""

    key: str
    title: str
    cards: int
    learned: int  # past the learning steps (fsrs Review state)
    due_now: int
    days: tuple[str, ...]  # the forecast's days, "Mon 7"
    forecast: tuple[int, ...]  # cards due per UTC day from today (today counts what is due already)

    @property
    def table(self) -> tuple[tuple[str, int], ...]:
        """Give the forecast as (day, cards due) rows, the chart's data table."""
        return tuple(zip(self.days, self.forecast, strict=True))


def get_review_progress(user_id: int, now: datetime) -> list[CourseReview]:
    """Sum up the learner's active, unsuspended cards per course, in course order."""
    grouped: dict[str, list] = {}
    titles: dict[str, str] = {}
    for row in read(_CARDS, {"user_id": user_id}):
        grouped.setdefault(row.key, []).append(row)
        titles[row.key] = row.title
    today = utc(now).date()
    days = tuple((today + timedelta(days=n)).strftime("%a %d").replace(" 0", " ") for n in range(FORECAST_DAYS))
    return [CourseReview(key, titles[key], len(rows), sum(1 for r in rows if r.state == REVIEW_STATE),
                         sum(1 for r in rows if utc(r.due) <= now), days,
                         tuple(forecast_days([r.due for r in rows], now, FORECAST_DAYS)))
            for key, rows in grouped.items()]


_CARDS = Prepared(
    select(Course.key, Course.title, ReviewCard.state, ReviewCard.due).select_from(ReviewCard)
    .join(Question, Question.id == ReviewCard.question_id).join(Lesson, Lesson.id == Question.lesson_id)
    .join(Course, Course.id == Lesson.course_id)
    .where(ReviewCard.user_id == bindparam("user_id"), ReviewCard.suspended.is_not(true()),
           Question.retired.is_(False), Lesson.retired.is_(False), Course.retired.is_(False))
    .order_by(Course.position, Course.id)
)
