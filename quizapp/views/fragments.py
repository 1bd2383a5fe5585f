"""Render a lesson's page body once per worker; per request, put in each question as the presenter shows it.

Its stores are the inventory's (``quizapp.speed.stores``): lessons, authored, questions, progress.

Everything kept here is keyed by the course's stamp, which moves whenever anything in the course is
loaded anew, and checked with one small query per view: every worker on every host sees an edit at once.

A lesson body is rendered once into a ``Fragment`` with a marker (``\x00name:arg\x00``) where each question
and the learner's progress go. Per request, each question is what ``services.learning.presenter.present`` gives
for this learner (their choice order, hints, latest answer and what the reveal rule allows), rendered by
``kept_question``: once per worker for each distinct key (a ``Presented`` and template for the question page,
the in-place fragment and a review card; the question as authored, learner and state for the lesson page),
with only the form's per-request parts (CSRF token, idempotency key, time shown, a review round's name)
filled in from ``Live``.

A question's form and answer key as authored are kept the same way (``authored_question``), so the
question page and an answer read neither. Markers cannot come from content: rendered Markdown is
sanitised and NUL never survives it.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template, request
from flask_wtf.csrf import generate_csrf as csrf_token
from markupsafe import Markup

from quizapp.services.learning import lessons, practice
from quizapp.services.learning.lessons import LessonHead
from quizapp.services.learning.practice import Authored
from quizapp.services.learning.presenter import Presented, QuestionState, present
from quizapp.speed.stores import store

_MARKER = re.compile("\x00([a-z]+):([0-9]*)\x00")
NOTHING_YET = QuestionState()


class Live:
    """A question form's per-request parts, now."""

    def __init__(self, round_token: str = "") -> None:
        self._now = str(int(time.time()))
        self._csrf: str | None = None
        self._round = round_token  # a review round's name (``views/review``), "" elsewhere

    def csrf(self) -> str:
        if self._csrf is None:
            self._csrf = csrf_token()
        return self._csrf

    def key(self) -> str:
        return secrets.token_hex(16)  # a fresh idempotency key per form shown

    def now(self) -> str:
        return self._now

    def round(self) -> str:
        return self._round


class Deferred:
    """A question form's per-request parts as markers, for a rendering kept and filled in per request."""

    def csrf(self) -> Markup:
        return Markup("\x00csrf:\x00")

    def key(self) -> Markup:
        return Markup("\x00key:\x00")

    def now(self) -> Markup:
        return Markup("\x00now:\x00")

    def round(self) -> Markup:
        return Markup("\x00round:\x00")

    def question(self, q: Authored) -> Markup:
        return Markup(f"\x00question:{q.view.id}\x00")

    def progress(self) -> Markup:
        return Markup("\x00progress:\x00")


@dataclass(frozen=True)
class Fragment:
    """A rendered body split at its markers: text, name, question id, text, name, question id, ..., text."""

    parts: tuple[str, ...]
    questions: tuple[Authored, ...]  # in lesson order
    by_id: dict[int, Authored]


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
    kept = store("lessons")
    key = ("heads", course_key, stamp)
    heads = kept.get(key)
    if heads is None:
        heads = lessons.get_lesson_heads(course_key, stamp)
        kept.put(key, heads)
    return heads.get(lesson_slug)


def authored_question(course_key: str, lesson_slug: str, anchor: str) -> Authored | None:
    """Find an active question as authored (its form and answer key), reading it only when the course changed.

    One small query per call (the course's stamp); a question that is not there is looked up each time.
    """
    stamp = lessons.get_course_stamp(course_key)
    if stamp is None:
        return None
    kept = store("authored")
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
    states = lessons.get_states(head.id, user_id)
    live = Live()

    def value(name: str, arg: str) -> str:
        if name == "question":
            authored = fragment.by_id[int(arg)]
            return _lesson_question(authored, states.get(authored.view.id, NOTHING_YET), user_id, live, lesson_url)
        if name == "progress":
            return _progress(fragment.questions, states, lesson_url) if user_id is not None else ""
        return getattr(live, name)()  # csrf, key, now, round

    return Markup(fill(fragment.parts, value))


def question_html(template: str, shown: Presented, live: Live | None = None, **context) -> Markup:
    """Render a question template (``_question.html`` or the single-question page) as presented.

    Rendered once per worker for each distinct presented question and context; the CSRF token, idempotency
    key and time are filled in per request.
    """
    key = ("shown", template, request.script_root, shown, tuple(sorted(context.items())))
    return Markup(kept_question(key, lambda: shown, template, live or Live(), **context))


def kept_question(key: tuple, shown: Callable[[], Presented], template: str, live: Live, **context) -> str:
    """Render a question template as ``shown()`` presents it, once per worker for ``key``; fill in the form's
    per-request parts from ``live``. The key says what the rendering depends on; ``shown`` runs only on a miss."""
    kept = store("questions")
    parts = kept.get(key)
    if parts is None:
        parts = split(render_template(template, p=shown(), slots=Deferred(), **context))
        kept.put(key, parts)
    return fill(parts, lambda name, _arg: getattr(live, name)())


def _lesson_question(authored: Authored, state: QuestionState, user_id: int | None, live: Live,
                     lesson_url: str) -> str:
    """A question in a lesson page for this learner: kept per question as authored (by identity, so per course
    stamp), learner and state, so a page seen again neither presents nor renders its questions anew."""

    def shown() -> Presented:
        loaded = state if state.loaded else practice.get_state(user_id, authored.view.id)  # the latest answer
        return present(authored, loaded, user_id=user_id)

    key = ("lesson", request.script_root, authored, user_id, state.signature, lesson_url)
    return kept_question(key, shown, "learn/_question.html", live, lesson_url=lesson_url)


def _progress(questions: tuple[Authored, ...], states: dict[int, QuestionState], lesson_url: str) -> str:
    """The learner's place in the lesson: answered and right out of all, and the summary once all are answered."""
    answered = sum(1 for q in questions if states.get(q.view.id, NOTHING_YET).attempts)
    right = sum(1 for q in questions if states.get(q.view.id, NOTHING_YET).ever_correct)
    key = (answered, right, len(questions), lesson_url)
    kept = store("progress")
    html = kept.get(key)
    if html is None:
        html = str(render_template("learn/_lesson_progress.html", answered=answered, right=right,
                                   total=len(questions), lesson_url=lesson_url))
        kept.put(key, html)
    return html


def _kept(head: LessonHead, signed_in: bool, lesson_url: str) -> Fragment:
    kept = store("lessons")
    key = (head, signed_in, lesson_url)
    fragment = kept.get(key)
    if fragment is None:
        content = lessons.get_lesson_content(head)
        html = render_template("learn/_lesson_body.html", head=head, content=content, signed_in=signed_in,
                               lesson_url=lesson_url, slots=Deferred())
        fragment = Fragment(split(html), content.questions, {q.view.id: q for q in content.questions})
        kept.put(key, fragment)
    return fragment
