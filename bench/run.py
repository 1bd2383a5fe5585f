"""The benchmark, in one command: learner pages vs a minimal Flask baseline, dashboards at scale, content scale.

    .venv/bin/python bench/run.py            # full run (about 10-15 minutes)
    .venv/bin/python bench/run.py --quick    # smoke run (short durations, small scales)

Everything is measured in the same run on the same machine, and learner pages are reported as ratios
against the baseline. Figures go to bench/results/latest.{json,md} (and a timestamped copy).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import content_scale  # noqa: E402
import loadgen  # noqa: E402
import report  # noqa: E402
from servers import ROOT, VENV_BIN, Browser, Server, app_env, right_choice  # noqa: E402

WORKERS = 4  # gunicorn workers (gthread), for quizapp and the baseline alike (quizapp's default WORKERS)
LESSON = "/courses/nextjs-server-logic/server-logic-in-nextjs"  # highlighted code, 5 questions
QUESTION = LESSON + "/two-tools-difference"
ANSWER_BODY = ("csrf_token={csrf}&action=answer&choice=" + right_choice(QUESTION.removeprefix("/courses/"))
               + "&submission_key={key}&shown_at=%d")
LEARNERS = 16  # logged-in sessions; requests rotate through them
# The instructor pages measured at scale; {class_id} is the synthetic class. Update when routes change.
DASHBOARD_PAGES = [
    ("dashboard overview", "/dashboard/classes/{class_id}", "/dashboard"),
    ("item analysis", "/dashboard/classes/{class_id}/items", None),
]
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run")
    parser.add_argument("--skip", default="", help="comma list of sections to skip: web,dashboard,content")
    parser.add_argument("--big", action="store_true", help="also the 100k-learner scale point (SQLite)")
    parser.add_argument("--scales", default="", help="dashboard: comma list of learner counts (e.g. 10000)")
    parser.add_argument("--db", default="sqlite,postgresql", help="dashboard: comma list of databases")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    seconds, warmup = (3, 1) if args.quick else (10, 3)
    loadgen.ensure_wrk()
    results = {"started": datetime.now(UTC).isoformat(timespec="seconds"), "quick": args.quick,
               "machine": _machine(), "workers": WORKERS, "seconds": seconds, "warmup": warmup}
    work = Path(tempfile.mkdtemp(prefix="quizapp-bench-"))
    try:
        if "web" not in skip:
            results["web"] = web_cases(work, seconds, warmup)
        if "dashboard" not in skip:
            scales = [(200, 50)] if args.quick else [(1_000, 100), (10_000, 100)]
            if args.big:
                scales.append((100_000, 100))
            if args.scales:
                scales = [(int(n), 100) for n in args.scales.split(",")]
            kinds = tuple(filter(None, args.db.split(",")))
            results["dashboard"] = dashboard_cases(work, scales, seconds, warmup, args.big, kinds)
        if "content" not in skip:
            lessons = 100 if args.quick else 1000
            results["content"] = content_scale.run(work, lessons=lessons, questions_per_lesson=10)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    report.write(results)


def quizapp(database_url: str, *args: str) -> str:
    """Run a `quizapp` command against a bench database; give its output."""
    out = subprocess.run([str(VENV_BIN / "quizapp"), *args], env=app_env(database_url), cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"quizapp {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout.strip()


def prepare(database_url: str, learners: int, per_learner: int, seed: int) -> dict:
    """Migrate, load the shipped course and synthesize learners; give what synth reported and its time."""
    quizapp(database_url, "db", "upgrade", "--directory", str(ROOT / "quizapp" / "migrations"))
    quizapp(database_url, "content", "load", str(ROOT / "content"))
    started = time.perf_counter()
    line = quizapp(database_url, "dev", "synth", "--learners", str(learners), "--attempts-per-learner",
                   str(per_learner), "--classes", "1", "--seed", str(seed))
    class_id = int(line.split("(ids ")[1].split(")")[0].split(",")[0])
    return {"synth_seconds": round(time.perf_counter() - started, 1), "synth": line, "class_id": class_id}


def sessions(base: str, emails: list[str], token_page: str) -> list[tuple[str, str]]:
    """Log each account in through the form; give (cookie header, CSRF token for forms) per session."""
    found = []
    for email in emails:
        browser = Browser(base)
        browser.login(email, "synth-password")
        token = browser.token(token_page)  # sign-in renews the CSRF token: the cookie after this page carries it
        found.append((browser.cookie(), urllib.parse.quote(token, safe="")))
    return found


def measure(name: str, server: Server, path: str, conns: int, seconds: int, warmup: int, **kwargs) -> dict:
    """Warm up, then run one fixed-duration case; print and give its figures, with server CPU per request."""
    url = server.base + path
    loadgen.run(url, connections=conns, seconds=warmup, **kwargs)
    cpu = server.cpu_seconds()
    result = loadgen.run(url, connections=conns, seconds=seconds, **kwargs)
    cpu_ms = (server.cpu_seconds() - cpu) * 1000 / max(result.requests, 1)
    row = {"case": name, "conns": conns, **result.to_dict(), "cpu_ms": round(cpu_ms, 3)}
    print(f"  {name:28s} c={conns:<3d} {result.rps:9.1f} req/s  p50 {result.p50:7.2f}  p95 {result.p95:7.2f}"
          f"  p99 {result.p99:7.2f} ms  server CPU {cpu_ms:6.2f} ms/req  errors {result.errors}", flush=True)
    return row


def web_cases(work: Path, seconds: int, warmup: int) -> list[dict]:
    """Baseline, lesson, answer, course list and progress: same server settings, same run."""
    print("web: preparing the SQLite database ...", flush=True)
    url, emails = web_database(work)
    rows = []
    with Server("baseline", WORKERS) as baseline, Server("app", WORKERS, url) as app:
        logged_in = sessions(app.base, emails, LESSON)
        _check(app, logged_in[0])
        body = ANSWER_BODY % int(time.time())
        for conns in (16, 2):
            rows.append(measure("baseline", baseline, "/", conns, seconds, warmup))
        for conns in (16, 2):
            rows.append(measure("lesson page", app, LESSON, conns, seconds, warmup, sessions=logged_in))
            rows.append(measure("answer submission", app, QUESTION, conns, seconds, warmup,
                                sessions=logged_in, method="POST", body=body))
        # The same answer as the page's script sends it: only the graded question comes back, no page around it.
        rows.append(measure("answer, in place (JS)", app, QUESTION, 16, seconds, warmup, sessions=logged_in,
                            method="POST", body=body, fetch=True))
        rows.append(measure("course list", app, "/", 16, seconds, warmup, sessions=logged_in))
        rows.append(measure("progress page", app, "/progress", 16, seconds, warmup, sessions=logged_in))
        for conns in (16, 2):  # again at the end: the mean of both baseline runs is what ratios use
            rows.append(measure("baseline (again)", baseline, "/", conns, seconds, warmup))
    return rows


def web_database(work: Path) -> tuple[str, list[str]]:
    """The learner pages' SQLite database (course + 500 synthetic learners x 40 attempts, in a class): its URL
    and the emails of the LEARNERS learners the cases sign in as."""
    url = f"sqlite:///{work / 'web.sqlite3'}"
    prepare(url, 500, 40, seed=7)
    return url, [f"s7-{n:06d}@synth.example.org" for n in range(LEARNERS)]


def _check(app: Server, session: tuple[str, str]) -> None:
    """Make sure the logged-in pages answer 200 with the right content before timing them."""
    browser = Browser(app.base)
    browser.opener.addheaders = [("Cookie", session[0])]
    status, html = browser.get(LESSON)
    assert status == 200 and "synth.example.org" in html and html.count('class="answer-form"') == 5, status
    status, html = browser.post(QUESTION, {"csrf_token": urllib.parse.unquote(session[1]), "action": "answer",
                                           "choice": right_choice(QUESTION.removeprefix("/courses/")),
                                           "submission_key": f"check-{time.time()}"})
    assert status == 200 and "Correct." in html, (status, html[:300])


def dashboard_cases(work: Path, scales: list[tuple[int, int]], seconds: int, warmup: int, big: bool,
                    kinds: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    """Instructor pages for one class at growing sizes, on SQLite and on PostgreSQL."""
    rows = []
    for learners, per_learner in scales:
        for kind in kinds:
            if kind == "postgresql" and learners >= 100_000:
                continue  # the 100k point runs on SQLite only (time); see docs/performance.md
            url = _database(work, kind, learners)
            if url is None:
                rows.append({"case": "postgresql unavailable", "db": kind, "learners": learners})
                continue
            try:
                print(f"dashboard: {kind}, {learners} learners x {per_learner} attempts: synth ...", flush=True)
                prepared = prepare(url, learners, per_learner, seed=11)
                print(f"  synth took {prepared['synth_seconds']} s", flush=True)
                rows += _dashboard_pages(url, kind, learners, per_learner, prepared, seconds, warmup)
            finally:
                _drop(work, kind, learners)
    return rows


def uncached(url: str, class_id: int, calls: int = 20) -> dict[str, dict]:
    """Time each dashboard page recomputed (page cache cleared), in-process on the same database."""
    out = subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "dashboard_uncached.py"), url,
                          str(class_id), "-n", str(calls)], env=app_env(url), cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"dashboard_uncached failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _dashboard_pages(url, kind, learners, per_learner, prepared, seconds, warmup) -> list[dict]:
    rows = []
    recomputed = uncached(url, prepared["class_id"])  # before the server: nothing else runs meanwhile
    for name, figures in recomputed.items():
        print(f"  {name}: uncached median {figures['uncached_median_ms']} ms, p95 {figures['uncached_p95_ms']} ms,"
              f" CPU {figures['uncached_cpu_ms']} ms", flush=True)
    with Server("app", WORKERS, url) as app:
        teacher = sessions(app.base, ["instructor@example.org"], "/")
        for name, path, fallback in DASHBOARD_PAGES:
            path = path.format(class_id=prepared["class_id"])
            browser = Browser(app.base)
            browser.opener.addheaders = [("Cookie", teacher[0][0])]
            started = time.perf_counter()  # the first view: nothing cached yet, every aggregate runs
            status, _ = browser.get(path)
            first_ms = round((time.perf_counter() - started) * 1000, 1)
            if status != 200 and fallback:
                path = fallback
                status, _ = browser.get(path)
            base = {"db": kind, "learners": learners, "attempts": learners * per_learner, "path": path,
                    "seconds": seconds, "synth_seconds": prepared["synth_seconds"], "first_view_ms": first_ms,
                    **recomputed.get(name, {})}
            print(f"  {name}: first view {first_ms} ms", flush=True)
            if status != 200:  # a 500 here is gunicorn's 30 s worker timeout killing the request
                note = " (> 30 s)" if status == 500 else ""
                rows.append({"case": name, **base, "missing": f"HTTP {status}{note}"})
                print(f"  {name}: {path} answers {status}; not measured", flush=True)
                continue
            row = measure(f"{name} {kind} {learners // 1000}k", app, path, 2, seconds, warmup,
                          sessions=teacher)
            rows.append({**row, **base, "case": name})
    return rows


def _database(work: Path, kind: str, learners: int) -> str | None:
    if kind == "sqlite":
        return f"sqlite:///{work / f'dash-{learners}.sqlite3'}"
    name = f"quizapp_bench_{learners}"
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
    except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL here
        print(f"  PostgreSQL unavailable ({error}); skipped", flush=True)
        return None
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop(work: Path, kind: str, learners: int) -> None:
    if kind == "sqlite":
        for path in work.glob(f"dash-{learners}.sqlite3*"):
            path.unlink()
        return
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS quizapp_bench_{learners} WITH (FORCE)")


def _machine() -> dict:
    import os

    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}


if __name__ == "__main__":
    main()
