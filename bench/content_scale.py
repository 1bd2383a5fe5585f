"""Content at scale: generate N lessons, then time a cold load, an unchanged reload and a one-lesson edit.

Each phase runs `quizapp content load` in its own process, so peak memory (ru_maxrss) is that phase's own.

Run on its own (no server, no other bench cases): python bench/content_scale.py WORK_DIR [--lessons 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from gen_content import generate
from servers import ROOT, app_env

PHASE = """
import json, resource, sys, time
from click.testing import CliRunner
from quizapp import create_app
app = create_app()
started, cpu_started = time.perf_counter(), time.process_time()
result = app.test_cli_runner().invoke(args=["content", "load", sys.argv[1]])
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak, "exit": result.exit_code,
                  "summary": (result.output.strip().splitlines() or [""])[-1]}))
"""


def run(work: Path, *, lessons: int, questions_per_lesson: int) -> dict:
    """Generate the tree and time the three loads; give seconds and peak MB per phase."""
    root = work / "content-scale"
    files = generate(root, lessons=lessons, questions_per_lesson=questions_per_lesson)
    url = f"sqlite:///{work / 'content.sqlite3'}"
    env = app_env(url)
    subprocess.run([sys.executable, "-m", "quizapp", "db", "upgrade", "--directory",
                    str(ROOT / "quizapp" / "migrations")], env=env, cwd=ROOT, check=True, capture_output=True)
    out = {"lessons": lessons, "questions": lessons * questions_per_lesson, "db": "sqlite"}
    for phase in ("cold", "unchanged", "edited"):
        if phase == "edited":
            target = files[len(files) // 2]
            target.write_text(target.read_text().replace("## Worked example", "## A worked example, revised", 1))
        done = subprocess.run([sys.executable, "-c", PHASE, str(root)], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=900)
        line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "{}"
        data = json.loads(line)
        if data.get("exit") != 0:
            raise RuntimeError(f"content load failed in phase {phase}: {done.stdout}\n{done.stderr}")
        out[phase] = data
        print(f"content: {phase:9s} {data['seconds']:7.2f} s  cpu {data['cpu_seconds']:7.2f} s  "
              f"peak {data['peak_mb']:6.0f} MB  ({data['summary']})", flush=True)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("work", type=Path, help="an empty folder for the tree and the SQLite database")
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    run(args.work, lessons=args.lessons, questions_per_lesson=args.questions)
