"""Make lesson-to-lesson links work in the browser: '02-other.md#part' becomes the lesson URL 'other#part'.

Authors link files relatively, so the Markdown reads well in an editor and on a code-hosting site.
In the app a lesson lives at /courses/<course>/<lesson-slug>, so after rendering, every relative
link to a lesson file is turned into its slug and ``course.md`` into the course page; ``prefix`` is
prepended to every relative link for pages that sit elsewhere (the course page, the author preview).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import ChoiceAnswer, Lesson, NumberAnswer, OrderAnswer, Question, TextAnswer
from ..parsing.parser import slug_from_filename

_ATTR_RE = re.compile(r"(<(?:a|img)\b[^>]*?\s(?:href|src)=\")([^\"]*)(\")", re.IGNORECASE)
_SCHEME_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def rewrite_links(html: str, course_slug: str, prefix: str = "") -> str:
    """Rewrite relative links in rendered HTML: lesson files to slugs, then ``prefix`` before each."""
    if "=\"" not in html:
        return html
    return _ATTR_RE.sub(lambda m: m[1] + _target(m[2], course_slug, prefix) + m[3], html)


def _target(url: str, course_slug: str, prefix: str) -> str:
    if not url or url.startswith(("#", "/")) or _SCHEME_RE.match(url):
        return url
    path, sep, fragment = url.partition("#")
    bare = path[2:] if path.startswith("./") else path
    if bare.lower().endswith(".md") and "/" not in bare:
        bare = f"../{course_slug}" if bare == "course.md" else slug_from_filename(bare)[1]
        return prefix + bare + sep + fragment
    return prefix + url


def rewrite_lesson_links(lesson: Lesson, course_slug: str, prefix: str = "") -> Lesson:
    """Return a rendered lesson with every HTML field's relative links rewritten."""

    def fix(html: str) -> str:
        return rewrite_links(html, course_slug, prefix)

    questions = tuple(_question(q, fix) for q in lesson.questions)
    return replace(lesson, body_html=fix(lesson.body_html), questions=questions)


def _question(question: Question, fix) -> Question:
    answer = question.answer
    if isinstance(answer, ChoiceAnswer):
        choices = tuple(replace(c, html=fix(c.html), feedback_html=fix(c.feedback_html)) for c in answer.choices)
        answer = replace(answer, choices=choices)
    elif isinstance(answer, (TextAnswer, NumberAnswer)):
        answer = replace(answer, wrong=tuple(replace(w, feedback_html=fix(w.feedback_html)) for w in answer.wrong))
    elif isinstance(answer, OrderAnswer):
        answer = replace(answer, items=tuple(replace(i, html=fix(i.html)) for i in answer.items))
    return replace(
        question,
        prompt_html=fix(question.prompt_html),
        hints_html=tuple(fix(h) for h in question.hints_html),
        solution_html=fix(question.solution_html),
        quick_check_html=fix(question.quick_check_html),
        mistakes_html=tuple(fix(m) for m in question.mistakes_html),
        answer=answer,
    )
