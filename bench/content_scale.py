"""Content at scale: generate N lessons, then time a cold load, an unchanged reload and a one-lesson edit.

Each phase runs `quizapp content load` in its own process, so peak memory (ru_maxrss) is that phase's own.
"""

from __future__ import annotations

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
started = time.perf_counter()
result = app.test_cli_runner().invoke(args=["content", "load", sys.argv[1]])
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "exit": result.exit_code,
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
        print(f"content: {phase:9s} {data['seconds']:7.2f} s  peak {data['peak_mb']:6.0f} MB  ({data['summary']})",
              flush=True)
    return out
