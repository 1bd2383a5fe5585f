"""A class's overview: its learners by a course's lessons, who is behind, sorted, filtered and paged in SQL.

Who is behind: a learner who has not finished the course and either has a correct count more than
BEHIND_MARGIN of the course's questions below the class average, or has answered nothing in the
course for IDLE_DAYS days (or never), or is late on an assignment of the course (past its due date,
not finished; services/assignments.py). Counts use current answer-key versions only, as progress does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Float, and_, case, cast, func, literal, or_, select

from quizapp.extensions import db
from quizapp.models import ClassLearner, Course, Enrollment, LearnerQuestion, Lesson, User
from quizapp.services.learning.progress import active_questions
from quizapp.services.teaching.summaries.class_summaries import ensure_fresh

BEHIND_MARGIN = 0.15  # share of the course's questions below the class average
IDLE_DAYS = 7
PAGE_SIZE = 50
SORTS = ("name", "progress", "last")


@dataclass(frozen=True)
class CourseRef:
    """A course a dashboard page can be scoped to."""

    id: int
    key: str
    title: str


@dataclass(frozen=True)
class LessonColumn:
    """A lesson as an overview column."""

    id: int
    key: str
    title: str
    total: int


@dataclass(frozen=True)
class LearnerRow:
    """One learner's course counts, per-lesson correct counts and last activity."""

    id: int
    email: str  # User.shown_email: empty for a pupil without an address
    correct: int
    answered: int
    last_active: datetime | None
    behind: bool
    lessons: dict[int, int] = field(default_factory=dict)
    late: bool = False  # past the due date of an assignment of this course, not finished
    name: str = ""  # User.shown_name: a pupil's roster name, anyone else's email
    username: str | None = None

    def correct_in(self, lesson_id: int) -> int:
        """Count this learner's correct questions in a lesson."""
        return self.lessons.get(lesson_id, 0)


@dataclass(frozen=True)
class OverviewQuery:
    """What the instructor asked for: sort, filter and page."""

    sort: str = "name"
    descending: bool = False
    text: str = ""
    behind_only: bool = False
    page: int = 1


@dataclass(frozen=True)
class Overview:
    """One page of a class's overview for one course."""

    course: CourseRef
    lessons: tuple[LessonColumn, ...]
    rows: tuple[LearnerRow, ...]
    class_size: int
    matched: int
    behind: int
    average: float
    query: OverviewQuery
    deciles: tuple[int, ...] = ()  # learners per tenth of the course right (0-9%, ..., 90-100%)

    @property
    def total(self) -> int:
        """Count the course's questions."""
        return sum(lesson.total for lesson in self.lessons)

    @property
    def pages(self) -> int:
        """Count the pages of matching learners."""
        return max(1, -(-self.matched // PAGE_SIZE))


def list_courses() -> list[CourseRef]:
    """List the active courses in catalogue order."""
    query = (select(Course.id, Course.key, Course.title).where(Course.retired.is_(False))
             .order_by(Course.position.is_(None), Course.position, Course.key))
    return [CourseRef(*row) for row in db.session.execute(query)]


def pick_course(courses: list[CourseRef], key: str | None) -> CourseRef | None:
    """Choose the asked-for course, else the first one."""
    return next((c for c in courses if c.key == key), courses[0] if courses else None)


def course_questions(course_id: int):
    """Select a course's active questions (id, lesson_id, version)."""
    return active_questions().where(Course.id == course_id)


def class_members(class_id: int):
    """Select the user ids enrolled in a class."""
    return select(Enrollment.user_id).where(Enrollment.classroom_id == class_id)


def member_names() -> tuple:
    """Select how a member is named (User.shown_name, User.shown_email, username), labelled as rows carry them."""
    return User.shown_name.label("name"), User.shown_email.label("email"), User.username.label("username")


def class_learners(class_id: int, course_id: int):
    """Give a subquery of every member's course counts from the class counters (one row per member):
    user_id, names (``member_names``), correct, answered, last_active. The counters must be fresh."""
    cl = ClassLearner
    return (
        select(cl.user_id.label("user_id"), *member_names(), cl.correct.label("correct"),
               cl.answered.label("answered"), cl.last_active.label("last_active"))
        .join(User, User.id == cl.user_id)
        .where(cl.classroom_id == class_id, cl.course_id == course_id)
        .subquery()
    )


def learner_stats(class_id: int, course_id: int):
    """Give a subquery of every member's course counts: user_id, names, correct, answered, last_active.

    It reads the learner_question summaries (one row per learner, question and version), never attempts:
    the same numbers as ``class_learners``, recomputed (the CSV export and the score distribution use it).
    """
    cq = course_questions(course_id).subquery()
    lq = LearnerQuestion
    current = lq.version == cq.c.version
    per_user = (
        select(
            lq.user_id.label("user_id"),
            func.count(case((and_(current, lq.ever_correct.is_(True)), 1))).label("correct"),
            func.count(case((current, 1))).label("answered"),
            func.max(lq.last_at).label("last_active"),  # any version, as the attempts' newest
        )
        .join(cq, cq.c.id == lq.question_id)
        .where(lq.user_id.in_(class_members(class_id)))
        .group_by(lq.user_id)
        .subquery()
    )
    return (
        select(
            User.id.label("user_id"),
            *member_names(),
            func.coalesce(per_user.c.correct, 0).label("correct"),
            func.coalesce(per_user.c.answered, 0).label("answered"),
            per_user.c.last_active.label("last_active"),
        )
        .join(Enrollment, Enrollment.user_id == User.id)
        .outerjoin(per_user, per_user.c.user_id == User.id)
        .where(Enrollment.classroom_id == class_id)
        .subquery()
    )


def behind_condition(stats, total: int, average, now: datetime, late: frozenset[int] = frozenset()):
    """Build the SQL test for 'behind' (see the module docstring) from the class average (a number or a column);
    ``late`` are the members late on an assignment (services/assignments.py), behind whatever the average."""
    idle = or_(stats.c.last_active.is_(None), stats.c.last_active < now - timedelta(days=IDLE_DAYS))
    low = stats.c.correct < (average - literal(BEHIND_MARGIN * total))
    reasons = [low, idle] + ([stats.c.user_id.in_(sorted(late))] if late else [])
    return and_(stats.c.correct < total, or_(*reasons))


def class_average(stats) -> tuple[int, float]:
    """Give a class's size and average correct count (one query)."""
    size, average = db.session.execute(select(func.count(), func.avg(stats.c.correct))).one()
    return size, float(average or 0)


def get_overview(class_id: int, course: CourseRef, query: OverviewQuery, now: datetime | None = None,
                 late: frozenset[int] = frozenset()) -> Overview:
    """Build one page of a class's overview (five queries, whatever the class's size, once its counters are fresh)."""
    ensure_fresh(class_id, course.id)
    return read_overview(class_id, course, query, now, late)


def read_overview(class_id: int, course: CourseRef, query: OverviewQuery, now: datetime | None = None,
                  late: frozenset[int] = frozenset()) -> Overview:
    """Build one page of a class's overview from fresh class counters (four queries, two passes over members).

    The first pass gives, per score decile, the learners, how many match the filter and how many are
    behind (the average is a scalar subquery over the same rows, computed once); the second sorts and pages.
    """
    now = now or datetime.now(UTC)
    lessons = lesson_columns(course.id)
    total = sum(lesson.total for lesson in lessons)
    stats = class_learners(class_id, course.id)
    mean = cast(select(func.avg(stats.c.correct)).scalar_subquery().correlate(None), Float)  # once, not per row
    behind_all = behind_condition(stats, total, mean, now, late)
    decile = _decile(stats.c.correct, total).label("decile")
    counts = select(
        decile, func.count(), func.sum(case((_filter(stats, query, behind_all), 1), else_=0)),
        func.sum(case((behind_all, 1), else_=0)), mean,
    ).group_by(decile)
    groups = db.session.execute(counts).all()
    deciles = [0] * 10
    for tenth, learners, *_ in groups:
        deciles[tenth] = learners
    size, matched, behind_count = sum(deciles), sum(g[2] for g in groups), sum(g[3] for g in groups)
    average = float(groups[0][4] or 0) if groups else 0.0
    behind = behind_condition(stats, total, average, now, late)
    wanted = _filter(stats, query, behind)
    page = min(max(query.page, 1), max(1, -(-int(matched) // PAGE_SIZE)))
    rows = db.session.execute(
        select(stats, behind.label("behind"))
        .where(wanted)
        .order_by(*_order(stats, query))
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    per_lesson = _correct_by_lesson(course.id, [row.user_id for row in rows])
    learners = tuple(
        LearnerRow(r.user_id, r.email, r.correct, r.answered, r.last_active, bool(r.behind),
                   per_lesson.get(r.user_id, {}), r.user_id in late, r.name, r.username)
        for r in rows
    )
    asked = OverviewQuery(query.sort, query.descending, query.text, query.behind_only, page)
    return Overview(course, lessons, learners, size, int(matched), int(behind_count), average, asked,
                    tuple(deciles))


def _decile(correct, total: int):
    """SQL for 'min(9, correct * 10 // total)' (everyone is in the first when there are no questions)."""
    if not total:
        return literal(0)
    return case((correct * 10 >= 9 * total, 9), else_=correct * 10 // total)


def lesson_columns(course_id: int) -> tuple[LessonColumn, ...]:
    """List a course's active lessons with their active question counts (one query)."""
    cq = course_questions(course_id).subquery()
    totals = select(cq.c.lesson_id, func.count().label("n")).group_by(cq.c.lesson_id).subquery()
    query = (select(Lesson.id, Lesson.key, Lesson.title, func.coalesce(totals.c.n, 0))
             .outerjoin(totals, totals.c.lesson_id == Lesson.id)
             .where(Lesson.course_id == course_id, Lesson.retired.is_(False)).order_by(Lesson.position))
    return tuple(LessonColumn(*row) for row in db.session.execute(query))


def _filter(stats, query: OverviewQuery, behind):
    conditions = [literal(True)]
    text = query.text.strip().lower()
    if text:
        conditions.append(or_(func.lower(stats.c.name).contains(text, autoescape=True),
                              stats.c.email.contains(text, autoescape=True),
                              stats.c.username.contains(text, autoescape=True)))
    if query.behind_only:
        conditions.append(behind)
    return and_(*conditions)


def _order(stats, query: OverviewQuery) -> list:
    if query.sort == "progress":
        key = stats.c.correct.desc() if query.descending else stats.c.correct
        return [key, stats.c.name, stats.c.user_id]
    last = stats.c.last_active
    if query.sort == "last":
        first = [last.is_(None), last.desc()] if query.descending else [last.is_not(None), last]
        return [*first, stats.c.name, stats.c.user_id]
    return [stats.c.name.desc() if query.descending else stats.c.name, stats.c.user_id]


def _correct_by_lesson(course_id: int, user_ids: list[int]) -> dict[int, dict[int, int]]:
    if not user_ids:
        return {}
    cq = course_questions(course_id).subquery()
    lq = LearnerQuestion
    query = (
        select(lq.user_id, cq.c.lesson_id, func.count())
        .join(cq, and_(lq.question_id == cq.c.id, lq.version == cq.c.version))
        .where(lq.user_id.in_(user_ids), lq.ever_correct.is_(True))
        .group_by(lq.user_id, cq.c.lesson_id)
    )
    found: dict[int, dict[int, int]] = {}
    for user_id, lesson_id, count in db.session.execute(query):
        found.setdefault(user_id, {})[lesson_id] = count
    return found
