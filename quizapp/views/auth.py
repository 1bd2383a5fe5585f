"""Sign up, log in, log out, and passwords: forgotten (reset by signed link) or changed."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from quizapp.extensions import login_manager
from quizapp.mail import in_words, public_url_for, send_mail
from quizapp.services import accounts, passwords
from quizapp.throttle import throttled
from quizapp.views.access import safe_next
from quizapp.views.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ResetPasswordForm, SignupForm

bp = Blueprint("auth", __name__)


def init_login(app: Flask) -> None:
    """Tell Flask-Login how to load users and where to send visitors."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to continue."
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)
    accounts.configure(app.config["PASSWORD_HASH_METHOD"])


def _load_user(session_id: str):
    return accounts.get_user_for_session(session_id)


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
@throttled("LOGIN_RATE_LIMIT")
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


@bp.route("/password/forgot", methods=["GET", "POST"])
@throttled("LOGIN_RATE_LIMIT")
def forgot_password():
    """Mail a reset link; the answer is the same whether or not the account exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.get_user_by_email(form.email.data)
        if user is not None:
            _send_reset_link(user)
        flash("If an account uses that email, a link to choose a new password is on its way. "
              f"It works for {_reset_lifetime()}, once.", "info")
        return redirect(url_for("auth.login"))
    status = 400 if form.errors else 200
    return render_template("auth/forgot.html", form=form, lifetime=_reset_lifetime()), status


def _reset_lifetime() -> str:
    return in_words(int(current_app.config["PASSWORD_RESET_MAX_AGE"]))


def _send_reset_link(user) -> None:
    token = passwords.make_reset_token(user, current_app.config["SECRET_KEY"])
    link = public_url_for("auth.reset_password", token=token)
    body = (f"Someone (we hope you) asked to reset the quizapp password for {user.email}.\n\n"
            f"Choose a new password here within {_reset_lifetime()}:\n{link}\n\n"
            "If it was not you, ignore this message; your password stays as it is.")
    send_mail(user.email, "Reset your quizapp password", body)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password through a link from the reset mail."""
    user = passwords.read_reset_token(token, current_app.config["SECRET_KEY"],
                                      int(current_app.config["PASSWORD_RESET_MAX_AGE"]))
    if user is None:
        return render_template("auth/reset.html", form=None, lifetime=_reset_lifetime()), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(user.id, form.password.data, min_length=current_app.config["PASSWORD_MIN_LENGTH"])
        except accounts.AccountError as error:
            form.password.errors.append(error.message)
        else:
            logout_user()
            flash("Your password is changed. Log in with the new one.", "success")
            return redirect(url_for("auth.login"))
    status = 400 if form.errors else 200
    return render_template("auth/reset.html", form=form, lifetime=_reset_lifetime()), status


@bp.route("/password/change", methods=["GET", "POST"])
@login_required
def change_password():
    """Let a signed-in user replace their password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user.id, form.current.data, form.password.data,
                                     min_length=current_app.config["PASSWORD_MIN_LENGTH"])
        except accounts.AccountError as error:
            getattr(form, error.field if error.field in ("current", "password") else "password").errors.append(
                error.message)
        else:
            login_user(accounts.get_user(current_user.id))  # this session carries on; all others end
            flash("Your password is changed. Other devices signed in to your account are signed out.", "success")
            return redirect(url_for("progress.mine"))
    status = 400 if form.errors else 200
    return render_template("auth/change_password.html", form=form), status
