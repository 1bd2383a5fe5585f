"""Lessons and questions as authored, read through the learning services and kept per worker by course stamp.

The same rule as the pages' fragments: one small query (the course's stamp) per request; the lesson's
heads, content and questions are read again only when something in the course was loaded anew.
"""

from __future__ import annotations

import json

from quizapp.services.learning import lessons, practice
from quizapp.services.learning.lessons import LessonContent, LessonHead
from quizapp.services.learning.practice import Authored
from quizapp.speed.stores import store


def lesson_parts(course_key: str, slug: str) -> tuple[LessonHead, LessonContent] | None:
    """Give an active lesson's head and content, or None."""
    stamp = lessons.get_course_stamp(course_key)
    if stamp is None:
        return None
    kept = store("api_lessons")
    heads = kept.get(("heads", course_key, stamp))
    if heads is None:
        heads = lessons.get_lesson_heads(course_key, stamp)
        kept.put(("heads", course_key, stamp), heads)
    head = heads.get(slug)
    if head is None:
        return None
    content = kept.get(("content", head.id, stamp))
    if content is None:
        content = lessons.get_lesson_content(head)
        kept.put(("content", head.id, stamp), content)
    return head, content


def authored_question(course_key: str, slug: str, anchor: str) -> Authored | None:
    """Give an active question as authored (form and answer key), or None."""
    stamp = lessons.get_course_stamp(course_key)
    if stamp is None:
        return None
    kept = store("api_lessons")
    found = kept.get(("question", course_key, slug, anchor, stamp))
    if found is None:
        found = practice.load_authored(course_key, slug, anchor)
        if found is not None:
            kept.put(("question", course_key, slug, anchor, stamp), found)
    return found


def json_text(key: tuple, build) -> str:
    """Give the JSON text of ``build()``, encoded once per worker for ``key`` (a lesson body per stamp, a
    question per ``Presented``: equal keys give equal text)."""
    kept = store("api_json")
    text = kept.get(key)
    if text is None:
        text = json.dumps(build(), separators=(",", ":"))
        kept.put(key, text)
    return text
