"""The summaries behind the dashboards: rows kept up to date by the answer path, in the answer's transaction.

One idea, one name: **summaries** (older text says "counters"; ``quizapp/counters.py`` is the throttles').
``learner`` keeps each learner's per-question standing (learner_question, learner_option, learner_day);
``class_answers`` adds one answer to its classes' summaries (class_learner, class_question, class_option,
class_day) and ``class_summaries`` builds them, or tops them up when members join; ``fading`` keeps each
class's review cards by the hour they start fading (class_fading). The learning room writes them (it may
import this package and nothing else of teaching); the teaching pages read them.
"""
