"""The learner's side of classes: join one by code or link, and list the classes joined."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp.services.learning import progress
from quizapp.services.teaching import classes as class_service

bp = Blueprint("classes", __name__)


@bp.get("/classes")
@login_required
def mine():
    """List the classes the user has joined, each leading to the course work and progress, and a join form."""
    return render_template("classes/mine.html", classes=class_service.get_classes_for_learner(current_user.id),
                           courses=progress.get_progress_for_user(current_user.id))


@bp.post("/classes/join")
@login_required
def join():
    """Join the class a typed code names."""
    code = request.form.get("code", "")
    info = class_service.join_class(current_user.id, code)
    if info is None:
        return wrong_code(code)
    flash(f"You joined {info.name}.", "ok")
    return redirect(url_for("classes.mine"))


@bp.get("/join/<code>")
@login_required
def join_link(code: str):
    """Show the class a join link names, with a button to join it (joining is a POST)."""
    info = class_service.find_open_class(code)
    if info is None:
        abort(404)
    member = class_service.is_enrolled(info.id, current_user.id)
    return render_template("classes/join.html", info=info, member=member)


@bp.post("/join/<code>")
@login_required
def join_by_link(code: str):
    """Join the class a join link names."""
    info = class_service.join_class(current_user.id, code)
    if info is None:  # the class was archived after its page was shown
        return wrong_code(code)
    flash(f"You joined {info.name}.", "ok")
    return redirect(url_for("classes.mine"))


def wrong_code(code: str):
    """A mistyped code is an ordinary outcome, not a missing page: 200, with the error at the code field."""
    classes = class_service.get_classes_for_learner(current_user.id)
    error = "No open class has that code. Check it with your instructor."
    courses = progress.get_progress_for_user(current_user.id)
    return render_template("classes/mine.html", classes=classes, courses=courses, code=code[:32], error=error)
