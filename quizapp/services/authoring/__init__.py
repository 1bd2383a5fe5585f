"""Authoring: what an author does. Content sync (files -> database by stable key; ``sync_report`` says what a
load did), the web editor (``editor``, its course list in ``overview``), course bundles (zip in and out), and
who may edit which course (``course_rights``)."""
