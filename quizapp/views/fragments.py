"""Render a lesson's page body once per worker; per request, fill in only what is the learner's own.

Everything kept here is keyed by the course's stamp, which moves whenever anything in the course is
loaded anew, and checked with one small query per view: every worker on every host sees an edit at once.

Learners see the same lesson page except in a few places: each question's status (a class and a
badge), each form's hidden CSRF token, idempotency key and time shown, and order questions, whose
items are shuffled per learner. The question template asks a ``slots`` object for exactly those:

- ``Live`` answers at once (the single-question page, a graded fragment, an order question);
- ``Deferred`` answers with a marker, ``\\x00name:question-id\\x00``, so the body renders once into a
  ``Fragment`` that is kept until the lesson's head (its text's stamp, titles, neighbours) changes.

A question's form and answer key as authored are kept the same way (``authored_question``), so the
question page and an answer read neither. A question rendered on its own (the single-question page, a
graded answer, an order question in a lesson) is kept by ``question_html``: once per worker for each
distinct question, result and form state, keyed by everything the template is given, with the learner's
own parts filled in.

Filling a fragment is one pass over its parts; no template runs unless the lesson has order questions.
Markers cannot come from content: rendered Markdown is sanitised and NUL never survives it.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, replace

from flask import current_app, render_template, request
from flask_wtf.csrf import generate_csrf as csrf_token
from markupsafe import Markup

from quizapp.kept import Kept
from quizapp.services import lessons, practice
from quizapp.services.lessons import LessonHead
from quizapp.services.practice import Authored, QuestionView

_MARKER = re.compile("\x00([a-z]+):([0-9]*)\x00")
KEEP = 256  # fragments per worker (lessons x signed in or not); each is the size of its page
KEEP_QUESTIONS = 1024  # rendered questions per worker (question x result x form state): a few KB each
KEEP_AUTHORED = 1024  # questions as authored per worker (their form and answer key): a few KB each
_BLANK = {"hints_used": 0, "response": {}}  # a question form as first shown: no hints, nothing typed


class Live:
    """A question form's per-request parts, now."""

    def __init__(self) -> None:
        self._now = str(int(time.time()))
        self._csrf: str | None = None

    def csrf(self) -> str:
        if self._csrf is None:
            self._csrf = csrf_token()
        return self._csrf

    def key(self) -> str:
        return secrets.token_hex(16)  # a fresh idempotency key per form shown

    def now(self) -> str:
        return self._now

    def status_class(self, q: QuestionView) -> str:
        return _status_class(q.status)

    def badge(self, q: QuestionView) -> Markup:
        return _badge(q.status)


class Deferred:
    """A question form's per-request parts as markers, for a body rendered once and kept."""

    def csrf(self) -> Markup:
        return Markup("\x00csrf:\x00")

    def key(self) -> Markup:
        return Markup("\x00key:\x00")

    def now(self) -> Markup:
        return Markup("\x00now:\x00")

    def status_class(self, q: QuestionView) -> Markup:
        return Markup(f"\x00status:{q.id}\x00")

    def badge(self, q: QuestionView) -> Markup:
        return Markup(f"\x00badge:{q.id}\x00")

    def question(self, q: QuestionView) -> Markup:
        return Markup(f"\x00question:{q.id}\x00")


@dataclass(frozen=True)
class Fragment:
    """A rendered body split at its markers: text, name, question id, text, name, question id, ..., text."""

    parts: tuple[str, ...]
    questions: dict[int, QuestionView]  # as authored: no status, order items unshuffled


def split(html: str) -> tuple[str, ...]:
    """Split rendered text at its markers: text, name, argument, text, name, argument, ..., text."""
    return tuple(_MARKER.split(html))


def fill(parts: tuple[str, ...], value) -> str:
    """Put ``value(name, argument)`` in place of each marker of ``split`` text; one pass."""
    out = [parts[0]]
    for index in range(1, len(parts), 3):
        out.append(value(parts[index], parts[index + 1]))
        out.append(parts[index + 2])
    return "".join(out)


def lesson_head(course_key: str, lesson_slug: str) -> LessonHead | None:
    """Find an active lesson's head, reading the course's lessons only when the course changed."""
    stamp = lessons.get_course_stamp(course_key)
    if stamp is None:
        return None
    store = _store("quizapp.fragments", KEEP)
    key = ("heads", course_key, stamp)
    heads = store.get(key)
    if heads is None:
        heads = lessons.get_lesson_heads(course_key, stamp)
        store.put(key, heads)
    return heads.get(lesson_slug)


def authored_question(course_key: str, lesson_slug: str, anchor: str) -> Authored | None:
    """Find an active question as authored (its form and answer key), reading it only when the course changed.

    One small query per call (the course's stamp); a question that is not there is looked up each time.
    """
    stamp = lessons.get_course_stamp(course_key)
    if stamp is None:
        return None
    kept = _store("quizapp.authored", KEEP_AUTHORED)
    key = (course_key, lesson_slug, anchor, stamp)
    authored = kept.get(key)
    if authored is None:
        authored = practice.load_authored(course_key, lesson_slug, anchor)
        if authored is not None:
            kept.put(key, authored)
    return authored


def lesson_body(head: LessonHead, user_id: int | None, lesson_url: str) -> Markup:
    """Give the lesson page's body for this learner (or a visitor), rendering it only when it changed."""
    fragment = _kept(head, user_id is not None, lesson_url)
    standing = lessons.get_standing(head.id, user_id)
    live = Live()

    def value(name: str, arg: str) -> str:
        if name == "status":
            return _status_class(lessons.status_of(int(arg), standing))
        if name == "badge":
            return _badge(lessons.status_of(int(arg), standing))
        if name == "question":  # rendered for this learner (an order question: its items are shuffled per learner)
            view = lessons.for_learner(fragment.questions[int(arg)], user_id, standing)
            return question_html("learn/_question.html", view, live, result=None, state=_BLANK, lesson_url=lesson_url)
        return getattr(live, name)()  # csrf, key, now

    return Markup(fill(fragment.parts, value))


def question_html(template: str, q: QuestionView, live: Live | None = None, **context) -> Markup:
    """Render a question template (``_question.html`` or the single-question page) for this learner.

    The template is rendered once per worker for each distinct question, result and form state: the key is
    everything it is given, the learner's status left out (it is only ever shown through ``slots``). The
    learner's status, CSRF token, idempotency key and time are filled in per request.
    """
    shown = replace(q, status=None, attempts=0)
    result = context.get("result")
    if result is not None:  # which attempt it was, and the standing after it, are not shown
        context["result"] = replace(result, attempt_id=None, standing=None)
    key = (template, request.script_root, repr(shown), repr(sorted(context.items())))
    kept = _store("quizapp.questions", KEEP_QUESTIONS)
    parts = kept.get(key)
    if parts is None:
        parts = split(render_template(template, q=shown, slots=Deferred(), **context))
        kept.put(key, parts)
    live = live or Live()

    def value(name: str, _arg: str) -> str:
        if name == "status":
            return live.status_class(q)
        if name == "badge":
            return live.badge(q)
        return getattr(live, name)()  # csrf, key, now

    return Markup(fill(parts, value))


def _status_class(status: str | None) -> str:
    return f" status-{status}" if status else ""


def _badge(status: str | None) -> Markup:
    """The badge beside a question's title for a status (rendered once per worker and status)."""
    badges = current_app.extensions.setdefault("quizapp.badges", {})
    if status not in badges:
        badges[status] = current_app.jinja_env.get_template("learn/_badge.html").module.badge(status)
    return badges[status]


def _store(name: str, size: int) -> Kept:
    """This worker's store ``name`` of this app (made at first use), keeping at most ``size`` entries."""
    store = current_app.extensions.get(name)
    if store is None:
        store = current_app.extensions[name] = Kept(size)
    return store


def _kept(head: LessonHead, signed_in: bool, lesson_url: str) -> Fragment:
    store = _store("quizapp.fragments", KEEP)
    key = (head, signed_in, lesson_url)
    fragment = store.get(key)
    if fragment is None:
        content = lessons.get_lesson_content(head)
        html = render_template("learn/_lesson_body.html", head=head, content=content, signed_in=signed_in,
                               lesson_url=lesson_url, slots=Deferred(), state=_BLANK, result=None)
        fragment = Fragment(split(html), {q.id: q for q in content.questions})
        store.put(key, fragment)
    return fragment
