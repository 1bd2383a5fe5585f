"""The learner's review queue as JSON, and taking a card out of review: the Review page's door for apps.

The same services as the page (quizapp.views.learning.review): ``services.review`` for the due cards, the count and
the outlook, the presenter for each card's question in its round. Bodies holding questions are sent as
built (``learn.sent``), as the lesson's are. Cards are answered through the lesson's
question endpoints (quizapp.api.learn), which rate a due card as the page does (quizapp.api.rounds).
"""

from __future__ import annotations

from datetime import datetime

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from quizapp.api.auth import authenticate, current_token, scoped
from quizapp.api.errors import ProblemSchema
from quizapp.api.learn import authored_or_404, question_payload, sent
from quizapp.api.lookup import authored_question
from quizapp.api.schemas import ReviewArgsSchema, ReviewQueueSchema, SuspensionSchema
from quizapp.clock import review_now, round_token
from quizapp.services.learning import lessons, review
from quizapp.services.learning.presenter import present
from quizapp.services.learning.review_schedule import comes_back, utc

bp = Blueprint("api_review", __name__, url_prefix="/api/v1",
               description="Spaced review: the due cards, and taking a card out of review.")
bp.before_request(authenticate)
MISSING = {"schema": ProblemSchema, "content_type": "application/problem+json"}
NO_CARD = "You have no review card for this question; answering it once makes one."


@bp.route("/review", methods=["GET"])
@scoped("learn")
@bp.arguments(ReviewArgsSchema(), location="query", as_kwargs=True)
@bp.response(200, ReviewQueueSchema)
@bp.alt_response(404, **MISSING)
def queue(limit: int, course: str | None = None):
    """Give the learner's due cards, most overdue first (in one course with ?course=), each question as in
    its review round; and when the next card falls due and how many come this week."""
    user_id, now = current_token().user_id, review_now()
    if course is not None and lessons.get_course_stamp(course) is None:
        abort(404, detail=f"There is no course '{course}'.")
    cards = [card for card in (_card(item, user_id, now) for item in review.get_due(user_id, now, course, limit))
             if card is not None]
    outlook = review.get_outlook(user_id, now, course)
    later = outlook.next_due
    return sent({"course": course, "due": review.count_due(user_id, now, course), "cards": cards,
                 "next_due": None if later is None else utc(later).isoformat(), "this_week": outlook.this_week,
                 "next_in": None if later is None else comes_back(now, later)})


@bp.route("/courses/<course>/lessons/<lesson>/questions/<question>/suspension")
class Suspension(MethodView):
    """A card's suspension: PUT takes it out of review ("don't show this again"), DELETE puts it back."""

    @scoped("learn")
    @bp.response(200, SuspensionSchema)
    @bp.alt_response(404, **MISSING)
    def put(self, course: str, lesson: str, question: str):
        """Take the question's card out of the review queue (its history is kept)."""
        return _suspend(course, lesson, question, True)

    @scoped("learn")
    @bp.response(200, SuspensionSchema)
    @bp.alt_response(404, **MISSING)
    def delete(self, course: str, lesson: str, question: str):
        """Put the question's card back in the review queue."""
        return _suspend(course, lesson, question, False)


def _suspend(course: str, lesson: str, question: str, suspended: bool) -> dict:
    """Suspend or restore the learner's card for a question (404 if the question or the card is not there)."""
    authored = authored_or_404(course, lesson, question)
    if not review.set_suspended(current_token().user_id, authored.view.id, suspended):
        abort(404, detail=NO_CARD)
    return {"course": course, "lesson": lesson, "question": question, "suspended": suspended}


def _card(item: review.ReviewItem, user_id: int, now: datetime) -> dict | None:
    """Give a due card with its question as the page shows it in the card's round (None if it went away)."""
    authored = authored_question(item.course_key, item.lesson_slug, item.anchor)
    if authored is None:
        return None
    found = item.round_for(now)
    shown = present(authored, item.state_in(found), user_id=user_id)
    return {"course": item.course_key, "lesson": item.lesson_slug, "course_title": authored.course_title,
            "lesson_title": authored.lesson_title, "due": utc(item.card.due).isoformat(),
            "round": round_token(found.due), "question": question_payload(shown)}
