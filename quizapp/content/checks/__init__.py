"""Teaching checks: warnings where a question lets a test-wise learner score without knowing the topic.

Pure, like the rest of ``quizapp.content``; ``registry.CHECKS`` lists them by name.
"""

from .registry import CHECK_NAMES, CHECKS, Check, check_course, check_question

__all__ = ["CHECKS", "CHECK_NAMES", "Check", "check_course", "check_question"]
