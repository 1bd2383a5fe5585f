"""Teaching: what an instructor does. Classes and their rosters, assignments, the class overview (``reports``,
``class_page``), item analysis (``analytics``; both pages kept a minute in ``page_cache``), one learner's
drill-down (``learner_report``), CSV exports, review for a class, and the summaries behind them.

One name for one idea: **summaries** are the rows kept per learner (``summaries``) and per class
(``class_summaries``) so the dashboards read few rows; ``class_answers`` adds one answer to a class's
summaries on the answer path. (Older text calls them "counters"; ``quizapp/counters.py`` is the throttles'.)"""
