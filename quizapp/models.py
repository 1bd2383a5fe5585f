"""Database tables. Content is keyed by stable keys; attempts pin the answer-key version they were graded on."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db

ROLES = ("learner", "author", "instructor", "admin")
AUTHOR_ROLES = ("author", "admin")  # may use the authoring area
TEACHER_ROLES = ("instructor", "admin")  # may use the instructor dashboard


def utcnow() -> datetime:
    """Give an aware UTC timestamp (one clock for every row)."""
    return datetime.now(UTC)


class AccountMixin(UserMixin):
    """What requests ask of a signed-in account; shared by User and the lighter SessionUser."""

    def get_id(self) -> str:
        """Give Flask-Login the id kept in cookies: the account id, its session version and the login's id."""
        return f"{self.id}-{self.session_version}-{getattr(self, 'login_id', '')}"

    @property
    def can_author(self) -> bool:
        """Say whether the authoring area is open to this user."""
        return self.role in AUTHOR_ROLES

    @property
    def can_teach(self) -> bool:
        """Say whether the instructor dashboard is open to this user."""
        return self.role in TEACHER_ROLES


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


class Login(db.Model):
    """One sign-in: its id is in the session and remember-me cookies (User.get_id); logout deletes it."""

    __tablename__ = "account_login"

    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # random, URL-safe
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[int] = mapped_column(BigInteger)  # Unix seconds: refused after this


class Course(db.Model):
    """A course folder; ``key`` is the folder slug."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int | None] = mapped_column(Integer)
    intro_html: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When a question's solution is shown (course.md `reveal:`; quizapp.content.model.REVEAL_RULES).
    reveal: Mapped[str] = mapped_column(String(20), default="after-second-try", server_default="after-second-try")

    lessons: Mapped[list[Lesson]] = relationship(back_populates="course", order_by="Lesson.position")


class Lesson(db.Model):
    """A lesson file; ``key`` is '<course>/<lesson>' and survives edits of its text."""

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    minutes: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    body_html: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    filename: Mapped[str] = mapped_column(String(255), default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    course: Mapped[Course] = relationship(back_populates="lessons")
    questions: Mapped[list[Question]] = relationship(back_populates="lesson", order_by="Question.position")


class Question(db.Model):
    """A practice question; presentation lives here, the answer key in QuestionVersion."""

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id"), index=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)  # the current QuestionVersion.number
    prompt_html: Mapped[str] = mapped_column(Text, default="")
    hints_html: Mapped[list] = mapped_column(JSON, default=list)
    solution_html: Mapped[str] = mapped_column(Text, default="")
    quick_check_html: Mapped[str] = mapped_column(Text, default="")
    mistakes_html: Mapped[list] = mapped_column(JSON, default=list)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Choices in the authored order ('.fixed-order'); otherwise shuffled per learner.
    fixed_order: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    lesson: Mapped[Lesson] = relationship(back_populates="questions")


class QuestionVersion(db.Model):
    """One answer key of a question; a new row whenever what counts as correct changes."""

    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    answer: Mapped[dict] = mapped_column(JSON)  # quizapp.content.model.answer_to_dict()
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Attempt(db.Model):
    """One graded answer, stored with the version it was graded against and what the learner saw."""

    __table_args__ = (
        ForeignKeyConstraint(
            ["question_id", "version"], ["question_version.question_id", "question_version.number"]
        ),
        # A resubmitted form (double click, retry after a timeout) carries the same key: stored once. The key
        # is the learner's and the question's: the same key sent for another question is another answer.
        UniqueConstraint("user_id", "question_id", "submission_key"),
        Index("ix_attempt_user_question", "user_id", "question_id"),
        Index("ix_attempt_question_created", "question_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    version: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    correct: Mapped[bool] = mapped_column(Boolean)
    matched: Mapped[list] = mapped_column(JSON, default=list)  # choice / Wrong ids behind the feedback
    feedback_html: Mapped[list] = mapped_column(JSON, default=list)
    hints_used: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[int | None] = mapped_column(Integer)
    submission_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class QuestionHelp(db.Model):
    """The help a learner took on a question: hints revealed (counted here, never by the form) and when they
    asked for the solution."""

    __tablename__ = "question_help"
    __table_args__ = ({"sqlite_with_rowid": False},)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    hints: Mapped[int] = mapped_column(Integer, default=0)
    solution_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Asset(db.Model):
    """A course file (image, download) kept in the database so app hosts share no disk."""

    __table_args__ = (UniqueConstraint("course_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    path: Mapped[str] = mapped_column(String(500))
    mimetype: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))


class Classroom(db.Model):
    """A class an instructor teaches; learners join it with its code."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(32), unique=True)
    instructor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Enrollment(db.Model):
    """A learner's membership of a class."""

    __table_args__ = (UniqueConstraint("classroom_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LearnerQuestion(db.Model):
    """One learner's record on one answer-key version of a question, kept up to date as answers are stored.

    The dashboards aggregate these (learners x questions) instead of every attempt. "First" and "last"
    follow attempt ids, so rows merge the same whatever order concurrent answers commit in.
    """

    __tablename__ = "learner_question"
    __table_args__ = (
        Index("ix_learner_question_question", "question_id", "version"),
        # SQLite: rows clustered by learner, so a class's rows are read in user order without lookups.
        {"sqlite_with_rowid": False},
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    first_attempt_id: Mapped[int] = mapped_column(Integer)
    first_score: Mapped[float] = mapped_column(Float)
    first_correct: Mapped[bool] = mapped_column(Boolean)
    first_hints: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_attempt_id: Mapped[int] = mapped_column(Integer)
    last_correct: Mapped[bool] = mapped_column(Boolean)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    best_score: Mapped[float] = mapped_column(Float)
    ever_correct: Mapped[bool] = mapped_column(Boolean)
    ever_other: Mapped[bool] = mapped_column(Boolean)  # a wrong answer matching no option (no pick)
    # The row as it was before the latest answer merged into it (all NULL: that answer made the row), so
    # the class counters can add the difference in the same transaction. Meaningless otherwise.
    prev_first_score: Mapped[float | None] = mapped_column(Float)
    prev_first_correct: Mapped[bool | None] = mapped_column(Boolean)
    prev_ever_correct: Mapped[bool | None] = mapped_column(Boolean)
    prev_ever_other: Mapped[bool | None] = mapped_column(Boolean)


class LearnerOption(db.Model):
    """A learner gave this option (a picked choice, a matched Wrong answer) at least once on this version."""

    __tablename__ = "learner_option"
    __table_args__ = (
        Index("ix_learner_option_question", "question_id", "version", "option_id"),
        {"sqlite_with_rowid": False},
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    option_id: Mapped[str] = mapped_column(String(16), primary_key=True)


class LearnerDay(db.Model):
    """How many answers a learner gave in a course on one UTC day, and how many were right (activity charts)."""

    __tablename__ = "learner_day"
    __table_args__ = ({"sqlite_with_rowid": False},)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)


# --- per class and course: what the instructor pages read, kept up to date by every answer ------------
# Rebuilt from the learner summaries when a class's members or a course's questions change
# (services/class_summaries.py); `class_course` says a class was built for a course.


class ClassCourse(db.Model):
    """A class's summaries were built for a course (when missing, the pages rebuild them first)."""

    __tablename__ = "class_course"
    __table_args__ = ({"sqlite_with_rowid": False},)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClassLearner(db.Model):
    """A member's standing in a course as the class overview shows it (current answer keys, active questions)."""

    __tablename__ = "class_learner"
    __table_args__ = (
        Index("ix_class_learner_user", "user_id", "course_id"),  # an answer finds its learner's classes
        {"sqlite_with_rowid": False},
    )

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    answered: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)  # questions ever answered right
    last_active: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_total: Mapped[float] = mapped_column(Float)  # sum of first-attempt scores (discrimination's total)


class ClassQuestion(db.Model):
    """A class's totals on one answer-key version of a question: item analysis without reading learners' rows.

    The sums of t (a learner's first_total) are what the discrimination needs; they are kept for the pairs
    that were current when the class was built (`counted`), and are zero elsewhere.
    """

    __tablename__ = "class_question"
    __table_args__ = ({"sqlite_with_rowid": False},)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    counted: Mapped[bool] = mapped_column(Boolean)  # the current, active version when the class was built
    learners: Mapped[int] = mapped_column(Integer)
    first_correct: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)
    ever_correct: Mapped[int] = mapped_column(Integer)
    ever_other: Mapped[int] = mapped_column(Integer)
    sum_x: Mapped[float] = mapped_column(Float)  # x: first-attempt score
    sum_xx: Mapped[float] = mapped_column(Float)
    sum_t: Mapped[float] = mapped_column(Float)
    sum_tt: Mapped[float] = mapped_column(Float)
    sum_xt: Mapped[float] = mapped_column(Float)


class ClassOption(db.Model):
    """How many of a class's members ever gave an option (a picked choice, a matched Wrong answer)."""

    __tablename__ = "class_option"
    __table_args__ = ({"sqlite_with_rowid": False},)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    option_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    learners: Mapped[int] = mapped_column(Integer)


class ClassDay(db.Model):
    """A class's answers in a course on one UTC day, and how many were right (the activity chart)."""

    __tablename__ = "class_day"
    __table_args__ = ({"sqlite_with_rowid": False},)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)


from quizapp.review_models import ClassFading, ClassReviewMember, ReviewCard, ReviewLog  # noqa: E402,F401  (review)
from quizapp.token_models import ApiToken  # noqa: E402,F401  (the JSON API's tokens, their own module)
