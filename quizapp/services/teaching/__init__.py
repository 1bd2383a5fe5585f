"""Teaching: what an instructor does. Classes and their rosters, assignments, the class overview (``reports``,
``class_page``), item analysis (``analytics``; both pages kept a minute in ``page_cache``), one learner's
drill-down (``learner_report``), CSV exports, review for a class (``review_class``), and the summaries
behind them (the ``summaries`` package: rows the answer path keeps so the dashboards read few rows).
"""
