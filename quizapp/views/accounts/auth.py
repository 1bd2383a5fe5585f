"""Sign up, log in, log out, and passwords: forgotten (reset by signed link) or changed.

Every sign-in is a row on the server (``accounts.start_login``) named in the session and remember-me
cookies; logout deletes it. The CSRF token is renewed at sign-in and logout. The throttles are in
quizapp/throttle.py. With real mail on, sign-up answers the same whether or not the email has an account:
a new account waits for the link mailed to it, and an existing account's owner gets a mail instead.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from quizapp import throttle
from quizapp.extensions import login_manager
from quizapp.mail import in_words, public_url_for, real_mail, send_mail
from quizapp.services.accounts import accounts, passwords
from quizapp.throttle import throttled
from quizapp.views.access import safe_next
from quizapp.views.forms import (
    ChangePasswordForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
)

bp = Blueprint("auth", __name__)


def init_login(app: Flask) -> None:
    """Tell Flask-Login how to load users and where to send visitors."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to continue."
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)


def _load_user(session_id: str):
    return accounts.get_user_for_session(session_id)


def _renew_csrf_token() -> None:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(field, None)
    g.pop(field, None)


def sign_in(user, remember: bool) -> None:
    """Record a new login for ``user`` and put it in this browser's cookies, with a new CSRF token."""
    config = current_app.config
    lifetime = int(config["REMEMBER_DAYS"]) * 86400 if remember else int(config["SIGNED_IN_HOURS"]) * 3600
    _renew_csrf_token()
    login_user(accounts.start_login(user, lifetime), remember=remember)


def throttled_sign_in(name: str, authenticate: Callable, remember: bool, destination: Callable):
    """Check the throttle for ``name``, authenticate, then count a failure (None) or sign in and redirect."""
    device = throttle.check_login(name)
    user = authenticate()
    if user is None:
        throttle.login_failed(name, device)
        return None
    sign_in(user, remember=remember)
    response = redirect(destination(user))
    throttle.login_succeeded(name, device, response)
    return response


@bp.route("/signup", methods=["GET", "POST"])
@throttled("SIGNUP_RATE_LIMIT")
def signup():
    """Create a learner account: at once without real mail, else once the mailed link is followed."""
    form = SignupForm()
    if form.validate_on_submit():
        min_length = current_app.config["PASSWORD_MIN_LENGTH"]
        try:
            if real_mail(current_app):
                _register_by_mail(form.email.data, form.password.data, min_length)
                flash("Check your email: we sent a message to finish signing up.", "info")
                return redirect(url_for("auth.login"))
            user = accounts.create_user(form.email.data, form.password.data, min_length=min_length)
        except accounts.AccountError as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            sign_in(user, remember=False)
            flash("Welcome! Pick a course to start.", "success")
            return redirect(safe_next(request.args.get("next"), url_for("learn.home")))
    status = 400 if form.errors else 200
    return render_template("auth/signup.html", form=form), status


def _register_by_mail(email: str, password: str, min_length: int) -> None:
    user, waiting = accounts.register(email, password, min_length=min_length)
    if waiting:
        token = passwords.make_confirm_token(user, current_app.config["SECRET_KEY"])
        lifetime = in_words(int(current_app.config["SIGNUP_CONFIRM_MAX_AGE"]))
        send_mail(user.email, "Confirm your quizapp account",
                  f"Someone (we hope you) signed up to quizapp as {user.email}.\n\n"
                  f"Confirm the account here within {lifetime}:\n"
                  f"{public_url_for('auth.confirm_signup', token=token)}\n\n"
                  "If it was not you, ignore this message; no account is made.")
    else:
        send_mail(user.email, "You already have a quizapp account",
                  f"Someone (we hope you) tried to sign up to quizapp as {user.email}, which already has an "
                  f"account.\n\nLog in here: {public_url_for('auth.login')}\n"
                  f"Forgot the password? Choose a new one: {public_url_for('auth.forgot_password')}\n\n"
                  "If it was not you, ignore this message; nothing changed.")


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
@throttled("RESET_RATE_LIMIT")
def confirm_signup(token: str):
    """Confirm a signed-up account through the mailed link and the password chosen at sign-up."""
    user = passwords.read_confirm_token(token, current_app.config["SECRET_KEY"],
                                        int(current_app.config["SIGNUP_CONFIRM_MAX_AGE"]))
    if user is None:
        return render_template("auth/confirm.html", form=None), 400
    form = ConfirmForm()
    if form.validate_on_submit():
        if accounts.password_matches(user, form.password.data):
            accounts.confirm_account(user)
            sign_in(user, remember=False)
            flash("Welcome! Pick a course to start.", "success")
            return redirect(url_for("learn.home"))
        form.password.errors.append("That is not the password chosen for this sign-up.")
    return render_template("auth/confirm.html", form=form, email=user.email), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with email and password (wrong passwords are throttled per account and per address)."""
    form = LoginForm()
    if form.validate_on_submit():
        email = accounts.normalise_email(form.email.data)
        response = throttled_sign_in(email, lambda: accounts.authenticate(email, form.password.data),
                                     form.remember.data,
                                     lambda _user: safe_next(request.args.get("next"), url_for("learn.home")))
        if response is not None:
            return response
        form.password.errors.append("That email and password do not match an account.")
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign out (POST, so a link elsewhere cannot sign a learner out): this login ends on the server too."""
    if current_user.is_authenticated:
        accounts.end_login(current_user.login_id)
        logout_user()
        flash("You are signed out.", "info")
    _renew_csrf_token()
    return redirect(url_for("learn.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@throttled("RESET_RATE_LIMIT")
def forgot_password():
    """Mail a reset link; the answer is the same whether or not the account exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.get_user_by_email(form.email.data)
        if user is not None and throttle.may_mail(user.email):
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
@throttled("RESET_RATE_LIMIT")
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
            _renew_csrf_token()
            flash("Your password is changed. Log in with the new one.", "success")
            return redirect(url_for("auth.login"))
    status = 400 if form.errors else 200
    return render_template("auth/reset.html", form=form, lifetime=_reset_lifetime()), status


@bp.route("/password/change", methods=["GET", "POST"])
@login_required
def change_password():
    """Let a signed-in user replace their password (wrong current passwords are throttled)."""
    form = ChangePasswordForm()
    if request.method == "POST":
        throttle.check_password_change(current_user.id)
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user.id, form.current.data, form.password.data,
                                     min_length=current_app.config["PASSWORD_MIN_LENGTH"])
        except accounts.AccountError as error:
            if error.field == "current":
                throttle.password_change_failed(current_user.id)
            getattr(form, error.field if error.field in ("current", "password") else "password").errors.append(
                error.message)
        else:
            sign_in(accounts.get_user(current_user.id), remember=False)  # this browser carries on; all others end
            flash("Your password is changed. Other devices signed in to your account are signed out.", "success")
            return redirect(url_for("progress.mine"))
    status = 400 if form.errors else 200
    return render_template("auth/change_password.html", form=form), status
