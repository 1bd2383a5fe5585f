"""The rows the learner paths read: a question as authored on its current key, and a learner's standing on it."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, select

from quizapp.models import Attempt, LearnerQuestion, Lesson, Question, QuestionHelp, QuestionVersion
from quizapp.services.learning.presenter import LastAnswer, QuestionState

# What makes a question as authored (services.lessons reads the same for a whole lesson).
QUESTION_COLUMNS = (Question.id, Question.key, Question.title, Question.kind, Question.prompt_html,
                    Question.hints_html, Question.version, Question.solution_html, Question.quick_check_html,
                    Question.mistakes_html, Question.fixed_order, QuestionVersion.answer, Lesson.course_id)
# Join conditions the learner paths share (services.lessons too): a question's current answer key, and a
# learner's record on that same version (their standing shown beside the question).
CURRENT_KEY = and_(QuestionVersion.question_id == Question.id, QuestionVersion.number == Question.version)
ON_CURRENT_VERSION = and_(LearnerQuestion.question_id == Question.id, LearnerQuestion.version == Question.version)
# A learner's standing on questions (``state_from``): their record on the current key and the help they took;
# ``STATE_COLUMNS`` add the latest answer itself (its JSON is decoded only where it is shown).
STANDING_COLUMNS = (Question.id.label("question_id"), LearnerQuestion.attempts, LearnerQuestion.last_correct,
                    LearnerQuestion.first_correct, LearnerQuestion.ever_correct,
                    LearnerQuestion.last_attempt_id.label("attempt_id"), QuestionHelp.hints, QuestionHelp.solution_at)
STATE_COLUMNS = (*STANDING_COLUMNS, Attempt.response, Attempt.correct, Attempt.feedback_html)


def learner_states(columns: tuple = STATE_COLUMNS):
    """Select ``columns`` of one learner's (``:user_id``) states over questions (filter it further)."""
    statement = (
        select(*columns).select_from(Question)
        .outerjoin(LearnerQuestion, and_(ON_CURRENT_VERSION, LearnerQuestion.user_id == bindparam("user_id")))
        .outerjoin(QuestionHelp, and_(QuestionHelp.question_id == Question.id,
                                      QuestionHelp.user_id == bindparam("user_id")))
    )
    if columns is STATE_COLUMNS:
        statement = statement.outerjoin(Attempt, Attempt.id == LearnerQuestion.last_attempt_id)
    return statement


def state_from(row) -> QuestionState:
    """Make a QuestionState from a row of ``STATE_COLUMNS`` (the latest answer too) or ``STANDING_COLUMNS``."""
    last = None
    if getattr(row, "response", None) is not None:
        last = LastAnswer(row.response, bool(row.correct), tuple(row.feedback_html or ()), row.attempt_id)
    return QuestionState(row.attempts or 0, row.last_correct, row.hints or 0, row.solution_at is not None, last,
                         row.first_correct, bool(row.ever_correct), row.attempt_id)
