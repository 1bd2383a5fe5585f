"""Counters for operators, shown at /metrics in the Prometheus text format when METRICS_ENABLED is on.

Each process counts in memory (no lock: gunicorn's sync workers serve one request at a time; a counter
is a dict entry). With several gunicorn workers, each writes its totals to a file of its own in the
metrics folder (METRICS_DIR) from a background thread, once a second when they changed, and at exit,
replacing it atomically; /metrics adds up every worker's file and its own live counts. So other
workers' counts lag by about a second, and a
worker that died still counts (its file stays, so totals never go down while the server runs);
`quizapp serve` empties the folder at start, so counters start again from zero (Prometheus expects that
of a restart). Labels carry endpoint names and status codes only: nothing about people.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import threading
import time
from pathlib import Path

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
FLUSH_SECONDS = 1.0
HELP = {
    "quizapp_requests_total": ("counter", "HTTP requests answered, by endpoint and status code."),
    "quizapp_request_seconds": ("histogram", "Time to answer a request, by endpoint."),
    "quizapp_answers_stored_total": ("counter", "Answers stored (attempts), not counting resubmissions."),
    "quizapp_database_errors_total": ("counter", "Errors raised by the database driver."),
}


class _Process:
    """This process's counters and its file; made anew in each forked worker."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.counts: dict[str, float] = {}  # series key ('name{labels}') -> value
        self.dirty = False
        self.name = f"worker-{self.pid}-{secrets.token_hex(4)}.json"
        self.folder: Path | None = None


_ME: list[_Process] = []


def _me() -> _Process:
    """Give this process's counters (a forked child starts its own)."""
    if not _ME or _ME[0].pid != os.getpid():
        _ME[:] = [_Process()]
    return _ME[0]


def configure(folder: str | None) -> None:
    """Say where this process shares its counts (None: this process only)."""
    me = _me()
    me.folder = Path(folder) if folder else None
    if me.folder is not None:
        me.folder.mkdir(parents=True, exist_ok=True)
        atexit.register(flush)
        threading.Thread(target=_flush_every_second, name="metrics-flush", daemon=True).start()


def reset_folder(folder: str) -> None:
    """Empty the shared folder (at server start: counters begin at zero)."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("worker-*.json"):
        old.unlink(missing_ok=True)


def add(series: str, amount: float = 1.0) -> None:
    """Add to one series (a metric name with its labels)."""
    me = _me()
    me.counts[series] = me.counts.get(series, 0.0) + amount
    me.dirty = True


def observe_request(endpoint: str, status: int, seconds: float) -> None:
    """Count a request and its time in the histogram."""
    add(f'quizapp_requests_total{{endpoint="{endpoint}",status="{status}"}}')
    for bound in BUCKETS:
        if seconds <= bound:
            add(f'quizapp_request_seconds_bucket{{endpoint="{endpoint}",le="{bound}"}}')
    add(f'quizapp_request_seconds_bucket{{endpoint="{endpoint}",le="+Inf"}}')
    add(f'quizapp_request_seconds_sum{{endpoint="{endpoint}"}}', seconds)
    add(f'quizapp_request_seconds_count{{endpoint="{endpoint}"}}')


def flush() -> None:
    """Write this process's totals to its file (atomically: readers see the old or the new file)."""
    me = _me()
    if me.folder is None:
        return
    me.dirty = False
    target = me.folder / me.name
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(dict(me.counts)), encoding="utf-8")
    os.replace(temporary, target)


def _flush_every_second() -> None:
    """Write the totals once a second while they change (the worker's background thread)."""
    while True:
        time.sleep(FLUSH_SECONDS)
        if _me().dirty:
            with contextlib.suppress(OSError):  # the folder went away (a test's): counting goes on in memory
                flush()


def totals() -> dict[str, float]:
    """Add up every worker's counts: the shared files, with this process's live counts instead of its file."""
    me = _me()
    summed: dict[str, float] = {}
    others = sorted(me.folder.glob("worker-*.json")) if me.folder is not None else []
    for path in others:
        if path.name == me.name:
            continue
        try:
            counts = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a worker replacing its file right now: next scrape
        for series, value in counts.items():
            summed[series] = summed.get(series, 0.0) + value
    for series, value in me.counts.items():
        summed[series] = summed.get(series, 0.0) + value
    return summed


def render() -> str:
    """Write the totals in the Prometheus text exposition format (version 0.0.4)."""
    summed = totals()
    lines = []
    for name, (kind, text) in HELP.items():
        lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]
        series = sorted((s for s in summed if s.split("{")[0] in (name, f"{name}_bucket", f"{name}_sum",
                                                                  f"{name}_count")), key=_order)
        if not series and kind == "counter":
            lines.append(f"{name} 0")
        lines += [f"{s} {_number(summed[s])}" for s in series]
    return "\n".join(lines) + "\n"


def _order(series: str) -> tuple:
    """Sort a histogram's lines by endpoint, then buckets by bound (+Inf last), then sum and count."""
    name, _, labels = series.partition("{")
    endpoint = labels.split('endpoint="')[1].split('"')[0] if 'endpoint="' in labels else ""
    bound = labels.split('le="')[1].split('"')[0] if 'le="' in labels else ""
    return (endpoint, not name.endswith("_bucket"), float(bound.replace("+Inf", "inf")) if bound else 0.0, name,
            labels)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)
