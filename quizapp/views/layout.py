"""The page layout's links, built once per mount point: every page shows the same dozen of them."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for

# Endpoints and static files the layout (base.html) links to on every page.
ENDPOINTS = ("learn.home", "progress.mine", "classes.mine", "dashboard.overview", "author.index", "auth.logout",
             "auth.login", "auth.signup")
STATIC = ("css/app.css", "pygments.css", "js/app.js")


def init_app(app: Flask) -> None:
    app.add_template_global(link)


def link(name: str) -> str:
    """Give the URL of a layout endpoint or static file, as url_for would, from a per-worker table.

    Only names listed above are kept; anything else is built by url_for as usual.
    """
    table = current_app.extensions.get("quizapp.layout_links")
    if table is None:
        table = current_app.extensions["quizapp.layout_links"] = {}
    links = table.get(request.script_root)
    if links is None:
        links = {name: url_for(name) for name in ENDPOINTS}
        links.update({path: url_for("static", filename=path) for path in STATIC})
        table[request.script_root] = links
    found = links.get(name)
    return found if found is not None else url_for(name)
