"""Authoring: what an author does. Content sync (files -> database by stable key), the web editor
(``editor``), course bundles (zip in and out), and who may edit which course (``course_rights``)."""
