"""A bounded load generator on loopback: wrk (installed with apt-get when missing), fixed duration.

Only 127.0.0.1 is accepted as a target, and every run has a fixed duration and connection count.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from servers import USER_AGENT

SCRIPT = Path(__file__).with_name("wrk_case.lua")


@dataclass(frozen=True)
class Measure:
    """One fixed-duration run: throughput and latency percentiles (milliseconds)."""

    rps: float
    p50: float
    p95: float
    p99: float
    requests: int
    errors: int

    def to_dict(self) -> dict:
        """Give the figures as JSON-able data."""
        return asdict(self)


def ensure_wrk() -> str:
    """Find wrk, installing the Debian package if it is missing and we may."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: install it (sudo apt-get install wrk) and run again.")
    print("installing wrk with apt-get ...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", "-o", "DPkg::Lock::Timeout=300", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found


def run(url: str, *, connections: int, seconds: float, sessions: list[tuple[str, str]] = (),
        method: str = "GET", body: str = "", fetch: bool = False) -> Measure:
    """Drive ``url`` with ``connections`` keep-alive connections for ``seconds`` and measure it."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("load tests go to 127.0.0.1 only")
    env = {**os.environ, "BENCH_USER_AGENT": USER_AGENT, "BENCH_METHOD": method, "BENCH_BODY": body,
           "BENCH_NONCE": uuid.uuid4().hex[:10], "BENCH_FETCH": "1" if fetch else "",
           "BENCH_SESSIONS": "\n".join(f"{cookie}\t{token}" for cookie, token in sessions)}
    command = [ensure_wrk(), "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
               "-s", str(SCRIPT), url]
    started = time.monotonic()
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures: {out.stdout}\n{out.stderr}")
    data = json.loads(line[6:])
    elapsed = data["duration_us"] / 1e6 or (time.monotonic() - started)
    return Measure(
        rps=data["requests"] / elapsed, p50=data["p50"] / 1000, p95=data["p95"] / 1000, p99=data["p99"] / 1000,
        requests=data["requests"], errors=data["status_errors"] + data["socket_errors"],
    )
