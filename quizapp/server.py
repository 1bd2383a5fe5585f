"""gunicorn embedded as `quizapp serve`: each worker builds its own app, so nothing is shared by fork."""

from __future__ import annotations

try:
    from gunicorn.app.base import BaseApplication
    from gunicorn.util import import_app
except ImportError:  # gunicorn needs fcntl (not on Windows); the content tools must still import there
    BaseApplication, import_app = object, None

AVAILABLE = import_app is not None
UNAVAILABLE = "quizapp serve needs gunicorn, which runs on Linux and macOS (on Windows, use WSL or Docker)"


class GunicornServer(BaseApplication):
    """A gunicorn application whose workers call create_app()."""

    def __init__(self, *, bind: str, workers: int, threads: int = 1, options: dict | None = None):
        # gthread: a request waiting on the database writer holds one thread, not a whole worker, so reads
        # and /healthz go on (quizapp.speed.direct keeps one SQLite connection per thread).
        worker_class = "gthread" if threads > 1 else "sync"
        self.settings = {"bind": bind, "workers": workers, "threads": threads, "worker_class": worker_class,
                         "accesslog": "-", "graceful_timeout": 10, "timeout": 30, **(options or {})}
        super().__init__()

    def load_config(self) -> None:
        """Copy the settings into gunicorn's config."""
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self):
        """Build the WSGI app inside the worker."""
        return import_app("quizapp:create_app()")
