"""Sign up, log in, log out."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from quizapp.extensions import limiter, login_manager
from quizapp.services import accounts
from quizapp.views.access import safe_next
from quizapp.views.forms import LoginForm, SignupForm

bp = Blueprint("auth", __name__)


def init_login(app: Flask) -> None:
    """Tell Flask-Login how to load users and where to send visitors."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to continue."
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)


def _load_user(user_id: str):
    return accounts.get_user(int(user_id)) if user_id.isdigit() else None


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Create a learner account and sign it in."""
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data, form.password.data, min_length=current_app.config["PASSWORD_MIN_LENGTH"]
            )
        except accounts.AccountError as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            login_user(user)
            flash("Welcome! Pick a course to start.", "success")
            return redirect(safe_next(request.args.get("next"), url_for("learn.home")))
    status = 400 if form.errors else 200
    return render_template("auth/signup.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Sign in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append("That email and password do not match an account.")
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("learn.home")))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign out (POST, so a link elsewhere cannot sign a learner out)."""
    if current_user.is_authenticated:
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("learn.home"))
