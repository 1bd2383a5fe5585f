"""Markdown to sanitised HTML, once at load time, with Pygments highlighting for code fences.

A ``markdown.Markdown`` instance keeps state between documents and is not thread-safe, so each call
(or each load, through a ``Renderer``) gets a fresh one, reset before every fragment. The HTML is
cleaned against an explicit allow-list with nh3, so author-written raw HTML can never carry scripts
into a learner's browser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

import markdown
import nh3
from pygments.formatters import HtmlFormatter

from ..model import (
    Answer,
    ChoiceAnswer,
    ContentError,
    Course,
    Lesson,
    NumberAnswer,
    OrderAnswer,
    Question,
    TextAnswer,
)
from ..parsing.parser import parse_lesson
from .brackets import LinearBrackets

# Bump when the HTML this module produces changes (extensions, allow-list, link rewriting): loaders fold it
# into their change fingerprint, so the next load after an upgrade renders every lesson again. Bump it too
# when the checker starts refusing or warning about something it used to accept: a load skips parsing the
# files whose fingerprint matches what is stored, so only a new fingerprint makes it check them again.
RENDERER_VERSION = "4"  # 3: RE2 regexes, nesting and bracket bounds; 4: tables and code blocks scroll in place
# Distinct fragments (choices, feedback, hints) a Renderer remembers: short texts repeat across lessons.
FRAGMENT_CACHE_SIZE = 4096

_EXTENSIONS = ["fenced_code", "codehilite", "tables", "admonition", "sane_lists", "attr_list", "toc"]
_EXTENSION_CONFIGS = {"codehilite": {"css_class": "highlight", "guess_lang": False}}

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_TAGS = _HEADINGS | {
    "p", "br", "hr", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
    "pre", "code", "span", "div", "a", "img", "blockquote", "em", "strong",
    "details", "summary", "kbd", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "span": {"class"},
    "div": {"class"},
    "code": {"class"},
    "pre": {"class"},
    "p": {"class"},  # admonition titles: <p class="admonition-title">
    "ol": {"start"},
    **{tag: {"id"} for tag in _HEADINGS},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template"}

Convert = Callable[[str], str]


def new_markdown() -> markdown.Markdown:
    """Build a Markdown converter with the extensions the content format promises."""
    return markdown.Markdown(extensions=[*_EXTENSIONS, LinearBrackets()], extension_configs=_EXTENSION_CONFIGS)


def sanitize(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
    )


def scrollable(html: str) -> str:
    """Let wide tables and code scroll inside their own box on a narrow screen, reachable by keyboard.

    Applied after ``sanitize`` (which leaves <table> and <pre> without these attributes), so an author
    cannot add them: tables get a focusable region around them, code blocks become focusable.
    """
    if "<table>" in html:
        html = html.replace("<table>", '<div class="table-scroll" tabindex="0" role="region" aria-label="Table">'
                            "<table>").replace("</table>", "</table></div>")
    return html.replace("<pre>", '<pre tabindex="0">')


def _block(md: markdown.Markdown, text: str) -> str:
    md.reset()
    return scrollable(sanitize(md.convert(text))) if text.strip() else ""


def _unwrap(html: str) -> str:
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


class Renderer:
    """Render many lessons with one converter, converting each distinct short fragment once.

    After ``reset()`` a converter's output depends on the text alone, so a fragment seen before (a
    choice such as '200 OK', a repeated hint) is served from memory. Lesson bodies are not kept: they
    rarely repeat and are large. Not thread-safe: make one per load.
    """

    def __init__(self, cache_size: int = FRAGMENT_CACHE_SIZE) -> None:
        self._md = new_markdown()
        self.block: Convert = lru_cache(maxsize=cache_size)(self._convert)

    def _convert(self, text: str) -> str:
        return _block(self._md, text)

    def inline(self, text: str) -> str:
        """Render a short text without the surrounding <p>."""
        return _unwrap(self.block(text))

    def lesson(self, lesson: Lesson) -> Lesson:
        """Return a copy of the lesson with every ``*_html`` field filled."""
        questions = tuple(_render_question(q, self.block, self.inline) for q in lesson.questions)
        return replace(lesson, body_html=self._convert(lesson.body), questions=questions)

    def course(self, course: Course) -> Course:
        """Return a copy of the course with its introduction and all its lessons rendered."""
        lessons = tuple(self.lesson(lesson) for lesson in course.lessons)
        return replace(course, intro_html=self._convert(course.intro), lessons=lessons)


def render_markdown(text: str) -> str:
    """Render block Markdown to sanitised HTML with a fresh converter."""
    return _block(new_markdown(), text)


def render_inline(text: str) -> str:
    """Render a short text (a choice, an order item) without the surrounding <p>."""
    return _unwrap(_block(new_markdown(), text))


def render_lesson(lesson: Lesson) -> Lesson:
    """Return a copy of the lesson with every ``*_html`` field filled."""
    return Renderer().lesson(lesson)


def render_course(course: Course) -> Course:
    """Return a copy of the course with its introduction and all its lessons rendered."""
    return Renderer().course(course)


def _render_question(question: Question, block: Convert, inline: Convert) -> Question:
    return replace(
        question,
        prompt_html=block(question.prompt),
        hints_html=tuple(block(hint) for hint in question.hints),
        solution_html=block(question.solution),
        quick_check_html=inline(question.quick_check),
        mistakes_html=tuple(inline(mistake) for mistake in question.mistakes),
        answer=_render_answer(question.answer, block, inline),
    )


def _render_answer(answer: Answer, block: Convert, inline: Convert) -> Answer:
    if isinstance(answer, ChoiceAnswer):
        choices = tuple(
            replace(c, html=inline(c.text), feedback_html=block(c.feedback)) for c in answer.choices
        )
        return replace(answer, choices=choices)
    if isinstance(answer, (TextAnswer, NumberAnswer)):
        wrong = tuple(replace(w, feedback_html=block(w.feedback)) for w in answer.wrong)
        return replace(answer, wrong=wrong)
    if isinstance(answer, OrderAnswer):
        return replace(answer, items=tuple(replace(i, html=inline(i.text)) for i in answer.items))
    return answer


def pygments_css(light: str = "a11y-light", dark: str = "a11y-dark") -> str:
    """Build the stylesheet for highlighted code: light by default, dark when the reader prefers it.

    The pair comes from accessible-pygments, whose themes meet WCAG AA contrast on their own background
    (which this stylesheet keeps: app.css does not paint over .highlight).
    """
    dark_rules = "\n".join("  " + rule for rule in _style_rules(dark).splitlines())
    return f"{_style_rules(light)}\n\n@media (prefers-color-scheme: dark) {{\n{dark_rules}\n}}\n"


def _style_rules(style: str) -> str:
    """Keep only rules scoped to .highlight (Pygments also emits global 'pre' and line-number rules)."""
    rules = HtmlFormatter(style=style).get_style_defs(".highlight").splitlines()
    # Drop Pygments' "/* Token.Name */" comments: they are a third of the file every page downloads.
    return "\n".join(rule.split(" /*")[0] for rule in rules if rule.startswith(".highlight"))


def load_lesson_text(text: str, *, path: str = "<text>", slug: str = "lesson") -> Lesson:
    """Parse and render one lesson's text, raising ContentError with every problem if any is an error."""
    lesson, problems = parse_lesson(text, path=path, slug=slug)
    if lesson is None:
        raise ContentError(problems)
    return render_lesson(lesson)
