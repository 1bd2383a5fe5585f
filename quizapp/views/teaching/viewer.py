"""Who is looking at a class: the signed-in instructor (or admin), and their class or a 404."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from quizapp.services.teaching.classes import ClassInfo, Viewer, get_class_for_viewer


def viewer() -> Viewer:
    """Give the signed-in account as the class services see it (an admin sees every class)."""
    return Viewer(current_user.id, current_user.is_admin)


def class_or_404(class_id: int) -> ClassInfo:
    """Give the viewer's class, or answer 404 (another instructor's class does not exist for them)."""
    info = get_class_for_viewer(class_id, viewer())
    if info is None:
        abort(404)
    return info
