"""The mechanisms that exist only to be fast: direct SQL statements (``direct``) and the per-worker kept
store (``kept``)."""
