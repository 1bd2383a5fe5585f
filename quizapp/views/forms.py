"""Account forms; each field is labelled in its template and validated here."""

from __future__ import annotations

from flask import current_app, request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from quizapp.services.accounts import accounts

# Hints for password managers (and for the browser's own autofill).
EMAIL_FIELD = {"autocomplete": "email"}
USERNAME_FIELD = {"autocomplete": "username"}
CURRENT_PASSWORD = {"autocomplete": "current-password"}
NEW_PASSWORD = {"autocomplete": "new-password"}


class HtmlForm(FlaskForm):
    """A form filled only from an HTML form body; JSON bodies (numbers, lists where text belongs) are ignored."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto:
                return request.form if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.form else None
            return formdata


class LoginForm(HtmlForm):
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)], render_kw=USERNAME_FIELD)
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)], render_kw=CURRENT_PASSWORD)
    remember = BooleanField("Keep me signed in on this device")


class SignupForm(HtmlForm):
    """A new learner account; every field is checked in one go, so all its errors show at once."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)], render_kw=EMAIL_FIELD)
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)], render_kw=NEW_PASSWORD)
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
        render_kw=NEW_PASSWORD,
    )

    def validate_email(self, field):
        if not accounts.EMAIL.match(accounts.normalise_email(field.data)):
            raise ValidationError("Enter an email address like name@example.org.")

    def validate_password(self, field):
        try:
            accounts.check_password_rules(field.data, email=accounts.normalise_email(self.email.data),
                                          min_length=current_app.config["PASSWORD_MIN_LENGTH"])
        except accounts.AccountError as error:
            raise ValidationError(error.message) from None


class ForgotPasswordForm(HtmlForm):
    """The email to send a reset link to."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)], render_kw=EMAIL_FIELD)


class ResetPasswordForm(HtmlForm):
    """A new password, twice."""

    password = PasswordField("New password", validators=[DataRequired(), Length(max=256)], render_kw=NEW_PASSWORD)
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
        render_kw=NEW_PASSWORD,
    )

    def validate_password(self, field):
        try:
            accounts.check_password_rules(field.data, min_length=current_app.config["PASSWORD_MIN_LENGTH"])
        except accounts.AccountError as error:
            raise ValidationError(error.message) from None


class ChangePasswordForm(ResetPasswordForm):
    """The current password, then a new one twice."""

    current = PasswordField("Current password", validators=[DataRequired(), Length(max=256)],
                            render_kw=CURRENT_PASSWORD)


class ConfirmForm(HtmlForm):
    """The password chosen at sign-up: only the person who signed up can confirm (not a mail scanner, nor the
    owner of the mailbox clicking a link someone else's sign-up sent)."""

    password = PasswordField("The password you chose", validators=[DataRequired(), Length(max=256)],
                             render_kw=CURRENT_PASSWORD)
