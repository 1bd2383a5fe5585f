"""Spaced review: the due cards one at a time, answered as in a lesson, rated by the first answer of a round."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp.clock import review_now, round_from, round_token
from quizapp.services.learning import practice, review
from quizapp.services.learning.presenter import present
from quizapp.services.learning.review_schedule import comes_back
from quizapp.views.fragments import Live, authored_question, question_html
from quizapp.views.layout import page

bp = Blueprint("review", __name__)


@bp.get("/review")
@login_required
def index():
    """Show the most overdue card (in one course, with ?course=), or when the next one comes."""
    now, course_key = review_now(), _course_filter()
    item = review.get_next_due(current_user.id, now, course_key)
    authored = None if item is None else authored_question(item.course_key, item.lesson_slug, item.anchor)
    if authored is None:
        outlook = review.get_outlook(current_user.id, now, course_key)
        return render_template("review/index.html", outlook=outlook, course_key=course_key, now=now,
                               when=None if outlook.next_due is None else comes_back(now, outlook.next_due),
                               suspended=_suspended_note())
    round_ = item.round_for(now)
    shown = present(authored, item.state_in(round_), user_id=current_user.id)
    return _page(item, authored, shown, round_, course_key)


@bp.post("/review/<int:question_id>")
@login_required
def answer(question_id: int):
    """Grade an answer in a review round (the round's first answer rates the card), or give a hint or the solution."""
    item = review.get_item(current_user.id, question_id)
    authored = None if item is None else authored_question(item.course_key, item.lesson_slug, item.anchor)
    if authored is None:  # not this learner's card, or its question is retired: back to the queue
        return redirect(url_for("review.index", course=_course_filter()))
    round_ = item.round_for(review_now(), round_from(request.form.get("round")))
    shown, status, due = _act(item, authored, round_)
    return _page(item, authored, shown, round_, _course_filter(), status=status, due=due)


@bp.post("/review/<int:question_id>/suspend")
@login_required
def suspend(question_id: int):
    """Take a card out of the review queue ("don't show this again"); the next page offers to undo it."""
    found = review.set_suspended(current_user.id, question_id, True)
    return redirect(url_for("review.index", suspended=question_id if found else None, course=_course_filter()))


@bp.post("/review/<int:question_id>/restore")
@login_required
def restore(question_id: int):
    """Put a suspended card back in the review queue."""
    review.set_suspended(current_user.id, question_id, False)
    return redirect(url_for("review.index", course=_course_filter()))


def _act(item: review.ReviewItem, authored: practice.Authored, round_):
    """Do what the form asked in this round; give what to show, the status, and when the card comes back."""
    user_id, form = current_user.id, request.form.to_dict(flat=False)
    state = item.state_in(round_)
    action = request.form.get("action")
    key = (request.form.get("submission_key") or "")[:64] or uuid.uuid4().hex
    if action == "hint":
        hints = review.take_hint(user_id, item.question_id, round_, len(authored.hints_html))
        return present(authored, replace(state, hints=hints), user_id=user_id, echo=practice.echo_form(form)), 200, None
    if action == "solution":
        review.mark_asked(user_id, item.question_id, round_)
        state = practice.ask_solution(user_id, authored, state, submission_key=key, review=round_)
        after = review.get_item(user_id, item.question_id)  # rated Again if this was the round's first answer
        return present(authored, state, user_id=user_id), 200, after.card.due if after else None
    result = practice.submit_answer(user_id, authored.key, form, submission_key=key, hints_used=state.hints,
                                    review=round_)
    if result.error:
        return present(authored, state, user_id=user_id, error=result.error, echo=result.response), 422, None
    shown = present(authored, practice.state_after(state, result, in_round=True), user_id=user_id)
    return shown, 200, result.review_due or item.card.due


def _page(item, authored, shown, round_, course_key, *, status: int = 200, due: datetime | None = None):
    """Render the review card as a fragment (fetch) or as a page; ``due``: when it comes back, once answered."""
    back = comes_back(round_.now, due) if due is not None and shown.verdict is not None else ""
    context = {"lesson_url": url_for("learn.lesson", course_key=item.course_key, lesson_slug=item.lesson_slug),
               "action_url": url_for("review.answer", question_id=item.question_id, course=course_key),
               "continue_url": url_for("review.index", course=course_key), "in_round": True, "comes_back": back}
    live = Live(round_token(round_.due))  # per request: the render is kept across rounds and learners
    if request.headers.get("X-Requested-With") == "fetch":
        return question_html("learn/_question.html", shown, live, heading_level=2, **context), status
    content = question_html("review/_card.html", shown, live, heading_level=2, course_key=course_key,
                            course_title=authored.course_title, lesson_title=authored.lesson_title,
                            question_id=item.question_id, **context)
    return page("Review", content), status


def _course_filter() -> str | None:
    return (request.args.get("course") or "")[:100] or None


def _suspended_note() -> int | None:
    value = request.args.get("suspended", "")
    return int(value) if value.isdigit() and len(value) < 12 else None
