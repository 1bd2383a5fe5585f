"""The baseline: a minimal Flask app returning a short HTML page from one route, served like quizapp.

    python bench/baseline_app.py --bind 127.0.0.1:8001 --workers 4
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flask import Flask

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp.config import DEFAULTS  # noqa: E402
from quizapp.server import GunicornServer  # noqa: E402

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hello</title></head>
<body><h1>Hello</h1><p>A short page from a minimal Flask app.</p></body></html>
"""


def create_baseline() -> Flask:
    """Build the one-route app."""
    app = Flask(__name__)

    @app.get("/")
    def index():
        return PAGE

    return app


class BaselineServer(GunicornServer):
    """quizapp's own gunicorn embedding (same settings), serving the baseline app instead."""

    def load(self):
        return create_baseline()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--bind", required=True)
    parser.add_argument("--workers", type=int, required=True)
    # The same worker class as `quizapp serve` (gthread with WORKER_THREADS threads): same settings, same server.
    parser.add_argument("--threads", type=int, default=int(DEFAULTS["WORKER_THREADS"]))
    args = parser.parse_args()
    BaselineServer(bind=args.bind, workers=args.workers, threads=args.threads).run()
