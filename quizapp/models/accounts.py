"""Accounts: who signs in, their role, and each of their sign-ins."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    case,
    false,
    func,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column

from quizapp.extensions import db
from quizapp.models.clock import utcnow
from quizapp.models.roles import ADMIN_ROLE, AUTHOR_ROLES, ROLES, TEACHER_ROLES, RolePredicates  # noqa: F401  (re-exported)

PUPIL_DOMAIN = "pupils.invalid"  # RFC 2606: never routable; a roster pupil without an address gets one here


class AccountMixin(UserMixin, RolePredicates):
    """What requests ask of a signed-in account; shared by User and the lighter SessionUser."""

    def get_id(self) -> str:
        """Give Flask-Login the id kept in cookies: the account id, its session version and the login's id."""
        return f"{self.id}-{self.session_version}-{getattr(self, 'login_id', '')}"


class User(AccountMixin, db.Model):
    """A person who signs in; the role decides which areas they may enter."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="learner")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Bumped when the password changes: session and remember-me cookies carry it, so old ones stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # False while a sign-up waits for its confirmation link (only when real mail is on); such accounts cannot sign in.
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Running a school (docs/school.md): a disabled account cannot sign in; roster pupils sign in by username
    # and choose a password at first sign-in; `display_name` is the name from the roster.
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    username: Mapped[str | None] = mapped_column(String(40), index=True, unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    pupil: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # How staff see a person, in SQL and on loaded rows: a pupil's roster name (anyone else's email), and the
    # address to show (empty for a pupil's placeholder in PUPIL_DOMAIN). Never show `email` itself to staff.
    shown_name: Mapped[str] = column_property(func.coalesce(display_name, email))
    shown_email: Mapped[str] = column_property(case((email.endswith("@" + PUPIL_DOMAIN), ""), else_=email))


class Login(db.Model):
    """One sign-in: its id is in the session and remember-me cookies (User.get_id); logout deletes it."""

    __tablename__ = "account_login"

    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # random, URL-safe
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[int] = mapped_column(BigInteger)  # Unix seconds: refused after this
