"""The page layout: its links, built once per mount point, and the layout itself, kept per visitor.

Every page shows the same dozen links: ``link(name)`` in templates looks them up in a per-worker table.

The hottest pages (a lesson, a question) have their content rendered by the view and call ``page``: the
layout around it (base.html through page.html) is rendered once per worker for each signed-in account
(the name it shows and the role are all it shows of them) and once for visitors, with markers where the title, the
content and the CSRF token go, and filled in per request. A request with flashed messages to show
renders the layout in full, as every other page does.
"""

from __future__ import annotations

from flask import Flask, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf as csrf_token
from markupsafe import Markup, escape

from quizapp.clock import review_now
from quizapp.services.learning import review
from quizapp.speed.stores import store
from quizapp.views.fragments import fill, split

# Endpoints and static files the layout (base.html) links to on every page.
ENDPOINTS = ("learn.home", "review.index", "progress.mine", "classes.mine", "dashboard.overview", "author.index",
             "auth.logout",
             "auth.login", "auth.signup")
STATIC = ("css/app.css", "pygments.css", "js/app.js")


def init_app(app: Flask) -> None:
    app.context_processor(_layout_links)


class Links(dict):
    """The layout's URLs by endpoint or static file; ``link(name)`` in templates. Names not listed above
    are built by url_for as usual."""

    def __call__(self, name: str) -> str:
        found = self.get(name)
        return found if found is not None else url_for(name)


def page(title: str, content: Markup) -> str:
    """Put the layout around a page's rendered content."""
    if "_flashes" in session:  # messages to show, once: rendered in full
        return render_template("page.html", title=title, content=content)
    user = current_user._get_current_object()
    key = (request.script_root, user.shown_name, user.role) if user.is_authenticated else (request.script_root,)
    kept = store("layouts")
    parts = kept.get(key)
    if parts is None:
        html = render_template("page.html", title=Markup("\x00title:\x00"), content=Markup("\x00content:\x00"),
                               csrf_token=lambda: Markup("\x00csrf:\x00"), get_flashed_messages=lambda **_: [],
                               review_due=lambda: Markup("\x00due:\x00"))
        parts = split(html)
        kept.put(key, parts)
    values = {"title": escape(title), "content": content}
    return fill(parts, lambda name, _arg: values[name] if name in values else review_due() if name == "due"
                else csrf_token())


def review_due() -> Markup:
    """Give the navigation's count of the signed-in learner's due review cards ("" when none)."""
    if not current_user.is_authenticated:
        return Markup("")
    count = review.count_due(current_user.id, review_now())
    if not count:
        return Markup("")
    shown = f"{review.SHOWN_MAX}+" if count > review.SHOWN_MAX else str(count)
    return Markup(f' <span class="due-count" aria-label="{shown} due">{shown}</span>')


def _layout_links() -> dict:
    """Give templates ``link``: one look-up per page, not one per link (a dozen a page); and the due count."""
    table = store("layout_links")
    links = table.get(request.script_root)
    if links is None:
        links = Links({name: url_for(name) for name in ENDPOINTS})
        links.update({path: url_for("static", filename=path) for path in STATIC})
        table.put(request.script_root, links)
    return {"link": links, "review_due": review_due}
