"""The page layout's links, built once per mount point: every page shows the same dozen of them."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for

# Endpoints and static files the layout (base.html) links to on every page.
ENDPOINTS = ("learn.home", "progress.mine", "classes.mine", "dashboard.overview", "author.index", "auth.logout",
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


def _layout_links() -> dict[str, Links]:
    """Give templates ``link``: one look-up per page, not one per link (a dozen a page)."""
    table = current_app.extensions.setdefault("quizapp.layout_links", {})
    links = table.get(request.script_root)
    if links is None:
        links = Links({name: url_for(name) for name in ENDPOINTS})
        links.update({path: url_for("static", filename=path) for path in STATIC})
        table[request.script_root] = links
    return {"link": links}
