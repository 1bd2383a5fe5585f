"""The instructor's pages: the dashboard (overview, item analysis, drill-down, exports), review for a class,
classes, rosters and assignments."""
