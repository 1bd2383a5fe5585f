"""The admin area: accounts (search, role, disable, delete), rights per course, and the audit log."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.models import ROLES
from quizapp.models.school import COURSE_ROLES
from quizapp.services.accounts import admin, audit, data_export
from quizapp.services.authoring import course_rights
from quizapp.views.access import allowed_if

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@allowed_if("is_admin")
def _only_admins() -> None:
    """Guard every page of the area: others get 403, visitors are sent to log in."""


@bp.get("/")
def accounts():
    """List accounts, searched and paged in SQL."""
    found = admin.list_accounts(request.args.get("q", ""), _int_arg("page"))
    return render_template("admin/accounts.html", found=found)


@bp.get("/accounts/<int:user_id>")
def account(user_id: int):
    """Show one account with its actions and its audit history."""
    row = admin.get_account(user_id)
    if row is None:
        abort(404)
    return render_template("admin/account.html", row=row, roles=ROLES,
                           history=audit.get_audit_page(1, target_id=user_id))


@bp.post("/accounts/<int:user_id>/role")
def change_role(user_id: int):
    """Change an account's role."""
    role = request.form.get("role", "")
    if role not in ROLES:
        return _back(user_id, "Choose one of the roles.", 422)
    return _act(user_id, lambda: admin.change_role(current_user.id, user_id, role), f"Role changed to {role}.")


@bp.post("/accounts/<int:user_id>/disable")
def set_disabled(user_id: int):
    """Disable an account (disabled=1) or enable it again (disabled=0)."""
    value = request.form.get("disabled", "")
    if value not in ("0", "1"):
        return _back(user_id, "Say whether to disable or enable the account.", 422)
    done = "Account disabled; its sessions are ended." if value == "1" else "Account enabled."
    return _act(user_id, lambda: admin.set_disabled(current_user.id, user_id, value == "1"), done)


@bp.post("/accounts/<int:user_id>/delete")
def delete(user_id: int):
    """Delete an account (anonymise it) once the admin typed DELETE to confirm."""
    if request.form.get("confirm", "") != "DELETE":
        return _back(user_id, "Type DELETE to confirm; offer the person their export first.", 422)
    return _act(user_id, lambda: admin.delete_account(current_user.id, user_id),
                "Account deleted: personal data removed, answers kept anonymously.")


@bp.get("/accounts/<int:user_id>/export.json")
def export(user_id: int):
    """Download an account's own data export (to give to the person before deleting it)."""
    data = data_export.export_user_data(user_id)
    if data is None:
        abort(404)
    response = Response(data_export.to_json(data), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="quizapp-account-{user_id}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/audit")
def audit_log():
    """Read the audit log, newest first."""
    return render_template("admin/audit.html", log=audit.get_audit_page(_int_arg("page")))


@bp.get("/courses")
def courses():
    """List every course with its owners and editors, and forms to assign them."""
    listed = [(key, title, course_rights.get_members(key)) for key, title in course_rights.list_course_keys()]
    return render_template("admin/courses.html", courses=listed, course_roles=COURSE_ROLES)


@bp.post("/courses/<course_key>/members")
def add_member(course_key: str):
    """Make an author an owner or editor of a course."""
    try:
        course_rights.set_member(current_user.id, course_key, request.form.get("email", "")[:254],
                                 request.form.get("role", ""))
    except course_rights.RightsError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.courses")), 303
    flash("Rights given.", "ok")
    return redirect(url_for("admin.courses")), 303


@bp.post("/courses/<course_key>/members/<int:user_id>/remove")
def remove_member(course_key: str, user_id: int):
    """Take an author's rights on a course away."""
    try:
        course_rights.remove_member(current_user.id, course_key, user_id)
    except course_rights.RightsError:
        abort(404)
    flash("Rights removed.", "ok")
    return redirect(url_for("admin.courses")), 303


def _act(user_id: int, action, done: str):
    try:
        action()
    except admin.AdminError as error:
        return _back(user_id, error.message, 409)
    flash(done, "ok")
    return redirect(url_for("admin.account", user_id=user_id)), 303


def _back(user_id: int, message: str, status: int):
    row = admin.get_account(user_id)
    if row is None:
        abort(404)
    return render_template("admin/account.html", row=row, roles=ROLES, error=message,
                           history=audit.get_audit_page(1, target_id=user_id)), status


def _int_arg(name: str) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else 1
