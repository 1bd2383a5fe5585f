"""Database tables, one module per feature; every table is re-exported here, so ``from quizapp.models import
User`` works and Flask-Migrate sees every table once this package is imported.

Content is keyed by stable keys; attempts pin the answer-key version they were graded on."""

from quizapp.models.accounts import (
    ADMIN_ROLE,
    AUTHOR_ROLES,
    PUPIL_DOMAIN,
    ROLES,
    TEACHER_ROLES,
    AccountMixin,
    Login,
    RolePredicates,
    User,
)
from quizapp.models.clock import utcnow
from quizapp.models.content import Asset, Course, Lesson, Question, QuestionVersion
from quizapp.models.learning import Attempt, LearnerDay, LearnerOption, LearnerQuestion, QuestionHelp
from quizapp.models.review import ClassFading, ClassReviewMember, ReviewCard, ReviewLog, ReviewOutcome
from quizapp.models.school import COURSE_ROLES, Assignment, AuditEvent, CourseMember
from quizapp.models.teaching import (
    ClassCourse,
    ClassDay,
    ClassLearner,
    ClassOption,
    ClassQuestion,
    Classroom,
    Enrollment,
)
from quizapp.models.tokens import ApiToken

__all__ = [
    "ADMIN_ROLE", "AUTHOR_ROLES", "COURSE_ROLES", "PUPIL_DOMAIN", "ROLES", "TEACHER_ROLES", "AccountMixin", "ApiToken",
    "Asset", "Assignment", "RolePredicates",
    "Attempt", "AuditEvent", "ClassCourse", "ClassFading", "ClassReviewMember",
    "ClassDay", "ClassLearner", "ClassOption", "ClassQuestion", "Classroom",
    "Course", "CourseMember", "Enrollment", "LearnerDay", "LearnerOption", "LearnerQuestion", "Lesson", "Login",
    "Question", "QuestionHelp", "QuestionVersion", "ReviewCard", "ReviewLog", "ReviewOutcome", "User",
    "utcnow",
]
