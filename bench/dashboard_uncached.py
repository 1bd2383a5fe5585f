"""Time the instructor pages' data recomputed, in-process: what an instructor sees while learners answer.

    .venv/bin/python bench/dashboard_uncached.py DATABASE_URL CLASS_ID [-n 20]

The per-worker page cache is cleared before every call, so each one runs every query (the class
counters are fresh, as they are after synth or any answer). Prints one JSON object per page: wall
median and p95 (nearest rank) and the process's CPU median, in milliseconds. Run by bench/run.py.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp import create_app  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.services.teaching import analytics, class_page, reports  # noqa: E402
from quizapp.speed import stores  # noqa: E402

PAGES = {
    "dashboard overview": lambda class_id, course: class_page.get_class_page(class_id, course, reports.OverviewQuery()),
    "item analysis": lambda class_id, course: analytics.get_item_analysis(class_id, course),
}


def measure(class_id: int, calls: int) -> dict[str, dict]:
    """Time each page ``calls`` times after one warm-up call, cache cleared each time."""
    course = reports.list_courses()[0]
    found = {}
    for name, page in PAGES.items():
        walls, cpus = [], []
        for n in range(calls + 1):
            stores.clear_all()
            db.session.remove()
            wall, cpu = time.perf_counter(), time.process_time()
            page(class_id, course)
            if n:  # the first call warms the process (imports, statement caches)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
        ranked = sorted(walls)
        found[name] = {"uncached_median_ms": round(statistics.median(walls), 1),
                       "uncached_p95_ms": round(ranked[-(-95 * len(ranked) // 100) - 1], 1),
                       "uncached_cpu_ms": round(statistics.median(cpus), 1), "uncached_calls": calls}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("class_id", type=int)
    parser.add_argument("-n", type=int, default=20, help="timed calls per page")
    args = parser.parse_args()
    app = create_app({"DATABASE_URL": args.database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        print(json.dumps(measure(args.class_id, args.n)))


if __name__ == "__main__":
    main()
