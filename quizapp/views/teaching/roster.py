"""Class management for instructors (members, join code, roster, one-time codes) and the pupils' sign-in."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from quizapp.services.accounts import accounts, pupils
from quizapp.services.teaching import roster
from quizapp.services.teaching.classes import ClassError
from quizapp.views.access import allowed_if
from quizapp.views.accounts.auth import sign_in, throttled_sign_in
from quizapp.views.teaching.viewer import class_or_404, viewer

bp = Blueprint("roster", __name__)
teachers = allowed_if("can_teach")
MUST_CHOOSE = "choose_password"  # session flag: signed in with a one-time code, no password chosen yet
OPEN_WHILE_CHOOSING = {"roster.choose_password", "auth.logout", "static"}


@bp.before_app_request
def _choose_password_first():
    """Send a pupil signed in with a one-time code to choose a password before anything else."""
    if session.get(MUST_CHOOSE) and request.endpoint not in OPEN_WHILE_CHOOSING:
        return redirect(url_for("roster.choose_password"))
    return None


@bp.get("/dashboard/classes/<int:class_id>/members")
@teachers
def members(class_id: int):
    """Show a class's members with remove and new-code buttons, the roster form and the join code."""
    info, found = class_or_404(class_id), roster.get_members(class_id, viewer())
    return render_template("roster/members.html", info=info, members=found)


@bp.post("/dashboard/classes/<int:class_id>/members/<int:user_id>/remove")
@teachers
def remove(class_id: int, user_id: int):
    """Take a learner out of the class."""
    class_or_404(class_id)
    removed = roster.remove_learner(class_id, viewer(), user_id)
    flash("Learner removed from the class." if removed else "That learner is not in the class.", "ok")
    return redirect(url_for("roster.members", class_id=class_id)), 303


@bp.post("/dashboard/classes/<int:class_id>/join-code")
@teachers
def rotate(class_id: int):
    """Give the class a new join code; the old one stops working."""
    class_or_404(class_id)
    info = roster.rotate_join_code(class_id, viewer())
    flash(f"New join code: {info.join_code}. The old code no longer works.", "ok")
    return redirect(url_for("roster.members", class_id=class_id)), 303


@bp.post("/dashboard/classes/<int:class_id>/roster")
@teachers
def add(class_id: int):
    """Create accounts for a pasted list of pupils and show their cards, ready to print (codes shown once)."""
    info = class_or_404(class_id)
    try:
        result = roster.add_pupils(class_id, viewer(), request.form.get("names", "")[:20000])
    except ClassError as error:
        flash(error.message, "error")
        return redirect(url_for("roster.members", class_id=class_id)), 303
    if not result.cards and not result.refused:
        flash("Paste one pupil per line: a name, or a name and an email.", "error")
        return render_template("roster/members.html", info=info, members=roster.get_members(class_id, viewer())), 422
    return _cards(info, result.cards, result.refused)


@bp.post("/dashboard/classes/<int:class_id>/members/<int:user_id>/new-code")
@teachers
def new_code(class_id: int, user_id: int):
    """Reset a pupil's password to a new one-time code and show their card."""
    info = class_or_404(class_id)
    card = roster.new_code(class_id, viewer(), user_id)
    if card is None:
        flash("Only pupils added by roster get one-time codes; others reset their password by email.", "error")
        return redirect(url_for("roster.members", class_id=class_id)), 303
    return _cards(info, (card,), ())


@bp.route("/pupils/login", methods=["GET", "POST"])
def pupil_login():
    """Sign a pupil in with the username and code (or password) from their card."""
    username, code = request.form.get("username", "")[:40], request.form.get("password", "")[:256]
    if request.method == "GET":
        return render_template("roster/login.html", username="")
    name = f"pupil:{username.strip().lower()}"  # counted like an email: per account, per address, per device
    response = throttled_sign_in(name, lambda: pupils.authenticate_pupil(username, code) if username and code else None,
                                 False, _after_pupil_sign_in)
    if response is None:
        return render_template("roster/login.html", username=username, error=True), 400
    return response


def _after_pupil_sign_in(user) -> str:
    """Say where a signed-in pupil goes: to choose a password first after a one-time code, else home."""
    if not user.must_change_password:
        return url_for("learn.home")
    session[MUST_CHOOSE] = True
    return url_for("roster.choose_password")


@bp.route("/pupils/password", methods=["GET", "POST"])
@login_required
def choose_password():
    """Let a pupil signed in with a one-time code choose their own password."""
    if not session.get(MUST_CHOOSE):
        return redirect(url_for("learn.home"))
    if request.method == "GET":
        return render_template("roster/choose_password.html")
    password = request.form.get("password", "")[:256]
    if password != request.form.get("confirm", "")[:256]:
        return render_template("roster/choose_password.html", error="The two passwords differ."), 400
    try:
        pupils.choose_password(current_user.id, password, min_length=current_app.config["PASSWORD_MIN_LENGTH"])
    except accounts.AccountError as error:
        return render_template("roster/choose_password.html", error=error.message), 400
    session.pop(MUST_CHOOSE, None)
    sign_in(accounts.get_user(current_user.id), remember=False)  # its logins ended with the old code: a new one
    flash("Your password is set. Sign in with your username and it from now on.", "success")
    return redirect(url_for("learn.home"))


def _cards(info, cards, refused):
    return render_template("roster/cards.html", info=info, cards=cards, refused=refused,
                           login_url=url_for("roster.pupil_login", _external=True))


