"""Roles and what each allows: one place for the names, asked through predicates, never by comparing strings."""

from __future__ import annotations

ROLES = ("learner", "author", "instructor", "admin")
AUTHOR_ROLES = ("author", "admin")  # may use the authoring area
TEACHER_ROLES = ("instructor", "admin")  # may use the instructor dashboard
ADMIN_ROLE = "admin"  # may use the admin area; sees every class


class RolePredicates:
    """What a role allows, asked of anything with a ``role``: an account, a session, an API token."""

    @property
    def is_admin(self) -> bool:
        """Say whether the admin area and every class are open to this user."""
        return self.role == ADMIN_ROLE

    @property
    def can_author(self) -> bool:
        """Say whether the authoring area is open to this user."""
        return self.role in AUTHOR_ROLES

    @property
    def can_teach(self) -> bool:
        """Say whether the instructor dashboard is open to this user."""
        return self.role in TEACHER_ROLES
