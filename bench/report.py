"""Turn a run's figures into ratios against the baseline, PASS/MISS verdicts, a table, JSON and Markdown."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
DASHBOARD_P95_MS = 250
CONTENT_TARGETS = {"cold": 20.0, "unchanged": 2.0, "edited": 2.0}
MEMORY_MB = 500
# The floors every change keeps (DEVELOPERS.md): (case, conns) -> (what is compared, floor). "cpu": the
# baseline's server CPU per request over the case's (at least); "p95": the case's p95 over the baseline's (at most).
WEB_TARGETS = {
    ("lesson page", 16): ("cpu", 0.40),
    ("answer submission", 16): ("cpu", 0.16),
    ("answer, in place (JS)", 16): ("cpu", 0.16),
    ("lesson page", 2): ("p95", 4.0),
    ("answer submission", 2): ("p95", 8.0),
}


def baseline(rows: list[dict], conns: int) -> dict:
    """Average the baseline runs at ``conns`` (one at the start, one at the end of the run)."""
    runs = [r for r in rows if r["case"].startswith("baseline") and r["conns"] == conns]
    return {key: sum(r[key] for r in runs) / len(runs) for key in ("rps", "p50", "p95", "p99", "cpu_ms")}


def web_table(rows: list[dict]) -> list[list[str]]:
    """One line per web case: figures, ratio vs baseline, target and verdict."""
    lines = []
    for row in rows:
        base = baseline(rows, row["conns"])
        kind, target = WEB_TARGETS.get((row["case"], row["conns"]), ("rps", None))
        cpu_share = base["cpu_ms"] / row["cpu_ms"] if row.get("cpu_ms") else 0
        if kind in ("rps", "cpu"):
            ratio = row["rps"] / base["rps"]
            shown, goal = f"{ratio:.0%} of rps", f"CPU share >= {target:.0%}" if target else ""
            verdict = "" if target is None else ("PASS" if cpu_share >= target else "MISS")
        else:
            ratio = row["p95"] / base["p95"]
            shown, goal = f"{ratio:.1f}x p95", f"<= {target:g}x"
            verdict = "PASS" if ratio <= target else "MISS"
        if row["requests"] == 0:
            verdict = "MISS" if target else ""
        row.update(ratio=round(ratio, 3), target=goal, verdict=verdict, cpu_share=round(cpu_share, 3))
        lines.append([row["case"], str(row["conns"]), f"{row['rps']:.0f}", f"{row['p50']:.1f}", f"{row['p95']:.1f}",
                      f"{row['p99']:.1f}", shown, goal, verdict, f"{row.get('cpu_ms', 0):.2f}", f"{cpu_share:.0%}",
                      str(row["errors"])])
    return lines


def dashboard_table(rows: list[dict]) -> list[list[str]]:
    """One line per dashboard page, database and scale; p95 against the fixed target."""
    lines = []
    for row in rows:
        if "rps" not in row:
            missing = row.get("missing", "not measured")
            lines.append([row["case"], row.get("db", ""), f"{row.get('learners', 0):,}", f"{row.get('attempts', 0):,}",
                          row.get("path", ""), str(row.get("synth_seconds", "")), "", "", "", missing,
                          f"< {DASHBOARD_P95_MS}", "MISS", str(row.get("first_view_ms", ""))])
            continue
        # Both must pass: re-opening a page (wrk) and every figure recomputed (what an instructor sees while
        # learners answer: the page cache cleared before each call).
        recomputed = row.get("uncached_p95_ms")
        verdict = "PASS" if (row["requests"] and row["p95"] < DASHBOARD_P95_MS
                             and (recomputed is None or recomputed < DASHBOARD_P95_MS)) else "MISS"
        row["verdict"] = verdict
        uncached = f"{row['uncached_median_ms']} / {recomputed}" if recomputed is not None else "-"
        lines.append([row["case"], row["db"], f"{row['learners']:,}", f"{row['attempts']:,}", row["path"],
                      f"{row['synth_seconds']}", uncached, f"{row['rps']:.1f}", f"{row['p50']:.1f}",
                      f"{row['p95']:.1f}" if row["requests"] else f"> {row.get('seconds', '')} s (no reply)",
                      f"< {DASHBOARD_P95_MS}", verdict, str(row.get("first_view_ms", ""))])
    return lines


def content_table(content: dict) -> list[list[str]]:
    """One line per content phase: seconds and peak memory against the targets."""
    lines = []
    for phase in ("cold", "unchanged", "edited"):
        data = content[phase]
        ok = data["seconds"] < CONTENT_TARGETS[phase] and data["peak_mb"] < MEMORY_MB
        data["verdict"] = "PASS" if ok else "MISS"
        lines.append([phase, str(content["lessons"]), str(content["questions"]), f"{data['seconds']:.2f}",
                      f"< {CONTENT_TARGETS[phase]:g}", f"{data['peak_mb']:.0f}", f"< {MEMORY_MB}", data["verdict"],
                      data["summary"]])
    return lines


WEB_HEAD = ["case", "conns", "req/s", "p50 ms", "p95 ms", "p99 ms", "vs baseline", "target", "verdict",
            "server CPU ms/req", "CPU share", "errors"]
DASH_HEAD = ["page", "db", "learners", "attempts", "path", "synth s", "recomputed median / p95 ms", "req/s", "p50 ms",
             "p95 ms", "target", "verdict", "first view ms"]
CONTENT_HEAD = ["phase", "lessons", "questions", "seconds", "target", "peak MB", "target", "verdict", "load said"]


def markdown(head: list[str], lines: list[list[str]]) -> str:
    """Render a Markdown table."""
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(cell.replace("|", "/") for cell in line) + " |" for line in lines]
    return "\n".join(out)


def plain(head: list[str], lines: list[list[str]]) -> str:
    """Render an aligned text table for the terminal."""
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines, strict=False)]
    fmt = "  ".join(f"{{:{w}}}" for w in widths)
    return "\n".join(fmt.format(*row) for row in [head, *lines])


def write(results: dict) -> None:
    """Print the tables and write results/latest.{json,md} plus a timestamped JSON copy."""
    sections = []
    if "web" in results:
        sections.append(("Learner pages vs the baseline", WEB_HEAD, web_table(results["web"])))
    if "dashboard" in results:
        sections.append(("Instructor pages at scale (2 connections)", DASH_HEAD, dashboard_table(results["dashboard"])))
    if "content" in results:
        sections.append(("Content scale", CONTENT_HEAD, content_table(results["content"])))
    RESULTS.mkdir(exist_ok=True)
    head = (f"Run {results['started']} .. {results['finished']}; {results['machine']}; gunicorn {results['workers']} "
            f"sync workers for quizapp and the baseline; {results['seconds']} s per case after {results['warmup']} s "
            f"warm-up{' (QUICK)' if results['quick'] else ''}.")
    md = [f"# Benchmark results\n\n{head}\n"]
    for title, cols, lines in sections:
        print(f"\n== {title}\n{plain(cols, lines)}")
        md.append(f"## {title}\n\n{markdown(cols, lines)}\n")
    (RESULTS / "latest.md").write_text("\n".join(md))
    text = json.dumps(results, indent=2, default=str)
    (RESULTS / "latest.json").write_text(text)
    (RESULTS / f"run-{results['started'].replace(':', '')}.json").write_text(text)
    print(f"\nwrote {RESULTS / 'latest.md'} and {RESULTS / 'latest.json'}")
