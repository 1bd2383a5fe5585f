"""The account's personal access tokens for the JSON API: list the live ones, make one (shown once), revoke."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import IntegerField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.services.accounts import tokens
from quizapp.views.forms import HtmlForm

bp = Blueprint("tokens", __name__)


class TokenForm(HtmlForm):
    """A new token: its name, scopes and lifetime."""

    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    scopes = SelectMultipleField("Scopes", choices=[], widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())
    expires_days = IntegerField("Expires after (days)", default=90,
                                validators=[NumberRange(min=1, max=tokens.MAX_DAYS)])


class RevokeForm(HtmlForm):
    """Revoking a token: nothing but the CSRF token."""


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def index():
    """List the live tokens; POST makes one and shows its secret this once."""
    form = TokenForm()
    form.scopes.choices = [(s, s) for s in tokens.scopes_for_role(current_user.role)]
    secret = None
    if form.validate_on_submit():
        try:
            _info, secret = tokens.create_token(current_user.id, form.name.data, form.scopes.data or ["learn"],
                                                form.expires_days.data)
        except tokens.TokenError as error:
            getattr(form, error.field if error.field in ("name", "scopes", "expires_days") else "name").errors \
                .append(error.message)
    status = 400 if form.errors else 200
    return render_template("account/tokens.html", form=form, revoke=RevokeForm(), secret=secret,
                           live=tokens.list_tokens(current_user.id)), status


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke one of the account's tokens."""
    if not RevokeForm().validate_on_submit():
        abort(400)
    if tokens.revoke_token(current_user.id, token_id):
        flash("The token is revoked: anything using it is refused from now on.", "success")
    else:  # another account's token, or one revoked already: nothing to do, and nothing told
        flash("There is no such live token among yours.", "info")
    return redirect(url_for("tokens.index"))
