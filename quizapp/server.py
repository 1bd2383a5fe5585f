"""gunicorn embedded as `quizapp serve`: each worker builds its own app, so nothing is shared by fork."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication
from gunicorn.util import import_app


class GunicornServer(BaseApplication):
    """A gunicorn application whose workers call create_app()."""

    def __init__(self, *, bind: str, workers: int, options: dict | None = None):
        self.settings = {"bind": bind, "workers": workers, "accesslog": "-", "graceful_timeout": 10,
                         "timeout": 30, **(options or {})}
        super().__init__()

    def load_config(self) -> None:
        """Copy the settings into gunicorn's config."""
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self):
        """Build the WSGI app inside the worker."""
        return import_app("quizapp:create_app()")
