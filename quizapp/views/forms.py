"""Account forms; each field is labelled in its template and validated here."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length


class HtmlForm(FlaskForm):
    """A form filled only from an HTML form body; JSON bodies (numbers, lists where text belongs) are ignored."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto:
                return request.form if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.form else None
            return formdata


class LoginForm(HtmlForm):
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    remember = BooleanField("Keep me signed in on this device")


class SignupForm(HtmlForm):
    """A new learner account."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )


class ForgotPasswordForm(HtmlForm):
    """The email to send a reset link to."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(HtmlForm):
    """A new password, twice."""

    password = PasswordField("New password", validators=[DataRequired(), Length(max=256)])
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )


class ChangePasswordForm(ResetPasswordForm):
    """The current password, then a new one twice."""

    current = PasswordField("Current password", validators=[DataRequired(), Length(max=256)])


class ConfirmForm(HtmlForm):
    """The password chosen at sign-up: only the person who signed up can confirm (not a mail scanner, nor the
    owner of the mailbox clicking a link someone else's sign-up sent)."""

    password = PasswordField("The password you chose", validators=[DataRequired(), Length(max=256)])
