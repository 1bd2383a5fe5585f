"""Take an answer apart: what the stack's floor, the store and the graded page each cost under the server.

    .venv/bin/python bench/ablations.py [--runs 2] [--seconds 8]   # about 3 minutes

Serves quizapp through its own gunicorn embedding with two extra routes, which only this script adds,
beside the baseline, and drives each with wrk as bench/run.py drives the answer (16 signed-in learners,
their CSRF tokens, a fresh submission key per request):

- floor: a signed-in POST through the session, the CSRF check, the form and Flask-Login's user; says "ok";
- store: the floor, then the question as authored, grading and the answer's one transaction; says "ok";
- answer: the real view, which also renders the graded page.

Then, in-process, the interleave control: an unrelated one-row SQLite update run between two requests,
to the app's database file and to another file, and how much dearer it makes the next request. The
figures and what they mean are in docs/performance-history.md ("Sixth round").
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadgen  # noqa: E402
import run  # noqa: E402
from flask import Blueprint, request  # noqa: E402
from flask_login import current_user  # noqa: E402
from profile_pages import Pages, fastest  # noqa: E402
from servers import Server  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.server import GunicornServer  # noqa: E402
from quizapp.services.learning import practice  # noqa: E402
from quizapp.views.fragments import authored_question  # noqa: E402

ROUTES = ("floor", "store")


def ablation_routes() -> Blueprint:
    """The two cut-down answers, at /_ablation/<route>/<course>/<lesson>/<question>."""
    bp = Blueprint("ablations", __name__)

    @bp.post("/_ablation/floor/<course_key>/<lesson_slug>/<anchor>")
    def floor(course_key: str, lesson_slug: str, anchor: str):
        request.form.get("choice")
        return f"ok {current_user.id}"

    @bp.post("/_ablation/store/<course_key>/<lesson_slug>/<anchor>")
    def store(course_key: str, lesson_slug: str, anchor: str):
        authored = authored_question(course_key, lesson_slug, anchor)
        result = practice.submit_answer(current_user.id, authored.key, request.form.to_dict(flat=False),
                                        submission_key=request.form["submission_key"][:64], hints_used=0,
                                        seconds=None)
        return f"ok {result.error or ''}"

    return bp


class AblationServer(GunicornServer):
    """quizapp as `quizapp serve` builds it, plus the ablation routes."""

    def load(self):
        app = create_app()
        app.register_blueprint(ablation_routes())
        return app


def served(runs: int, seconds: int, warmup: int, work: Path) -> list[dict]:
    """Baseline, floor, store and answer under gunicorn, interleaved, ``runs`` times."""
    print("preparing the SQLite database (as bench/run.py does) ...", flush=True)
    url, emails = run.web_database(work)
    body = run.ANSWER_BODY % int(time.time())
    rows = []
    with Server("baseline", run.WORKERS) as baseline, Server("ablations", run.WORKERS, url) as app:
        signed_in = run.sessions(app.base, emails, run.LESSON)
        for number in range(1, runs + 1):
            base = run.measure("baseline", baseline, "/", 16, seconds, warmup)
            rows.append({**base, "run": number, "of_baseline": 1.0})
            for name in (*ROUTES, "answer"):
                path = run.QUESTION if name == "answer" else run.QUESTION.replace("/courses/", f"/_ablation/{name}/")
                row = run.measure(name, app, path, 16, seconds, warmup, sessions=signed_in, method="POST", body=body)
                rows.append({**row, "run": number, "of_baseline": row["cpu_ms"] / base["cpu_ms"],
                             "rps_share": row["rps"] / base["rps"]})
    return rows


def interleaved(work: Path, batches: int = 10, calls: int = 150) -> dict[str, dict[str, float]]:
    """In-process: what an unrelated SQLite update between two requests adds to the second (fastest batch)."""
    (work / "pages").mkdir()
    pages = Pages(work / "pages")
    cases = pages.cases()
    same = sqlite3.connect(work / "pages" / "p.sqlite3", isolation_level=None)
    other = sqlite3.connect(work / "other.sqlite3", isolation_level=None)
    other.execute("PRAGMA journal_mode=WAL")
    for connection in (same, other):
        connection.execute("CREATE TABLE ablation_poke (x INTEGER)")
        connection.execute("INSERT INTO ablation_poke VALUES (0)")

    def poke(connection):
        return lambda: connection.execute("UPDATE ablation_poke SET x = x + 1")

    runs = {"update (same file)": poke(same), "update (other file)": poke(other)}
    for page in ("lesson", "answer"):
        runs[page] = cases[page]
        for where in ("same file", "other file"):
            runs[f"{page} after an update ({where})"] = (
                lambda call=cases[page], update=runs[f"update ({where})"]: (update(), call()))
    best = fastest(runs, batches, calls)
    same.close()
    other.close()
    return {page: {where: best[f"{page} after an update ({where})"] - best[page] - best[f"update ({where})"]
                   for where in ("same file", "other file")} for page in ("lesson", "answer")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # Server("ablations") uses it
    parser.add_argument("--bind")
    parser.add_argument("--workers", type=int)
    args = parser.parse_args()
    if args.serve:
        AblationServer(bind=args.bind, workers=args.workers).run()
        return
    loadgen.ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="quizapp-ablations-"))
    try:
        rows = served(args.runs, args.seconds, 2, work)
        extra = interleaved(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n== Under the server (4 workers, 16 connections): server CPU per request")
    print(f"{'run':4s} {'case':9s} {'ms/req':>7s} {'x baseline':>11s} {'req/s share':>12s} {'errors':>7s}")
    for row in rows:
        share = f"{row['rps_share']:.0%}" if "rps_share" in row else ""
        print(f"{row['run']:<4d} {row['case']:9s} {row['cpu_ms']:7.2f} {row['of_baseline']:11.1f} {share:>12s}"
              f" {row['errors']:7d}")
    print("\n== In-process: an unrelated one-row SQLite update between two requests makes the next one dearer by")
    for page, by_where in extra.items():
        print(f"  {page:7s} " + ", ".join(f"{ms:.3f} ms ({where})" for where, ms in by_where.items()))


if __name__ == "__main__":
    main()
