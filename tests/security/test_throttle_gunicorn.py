"""M2, rerun as the review ran it: `quizapp serve` with 4 gunicorn workers counts failed sign-ins once for
the host (not once per worker), and a graceful restart of every worker (SIGHUP) forgets nothing."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LIMIT = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def workers_of(process: subprocess.Popen) -> set[int]:
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    return {int(pid) for pid in children.read_text().split()} if children.exists() else set()


def wait_for(check, what: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text())
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not happen in 30 s:\n{log.read_text()}")


def healthy(base: str) -> bool:
    try:
        urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
        return True
    except (urllib.error.URLError, ConnectionError):
        return False


@pytest.fixture
def served(app, database_url, tmp_path):
    """`quizapp serve` with 4 workers on the test database, production settings, throttle file in tmp_path."""
    port = free_port()
    env = {**os.environ, "QUIZAPP_DATABASE_URL": database_url, "QUIZAPP_SECRET_KEY": "throttle-test",
           "QUIZAPP_RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path / 'throttle.sqlite3'}",
           "QUIZAPP_LOGIN_ADDRESS_LIMIT": f"{LIMIT} per hour"}
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([str(Path(sys.executable).with_name("quizapp")), "serve", "--bind",
                                    f"127.0.0.1:{port}", "--workers", "4"], env=env, stdout=subprocess.DEVNULL,
                                   stderr=sink)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(lambda: healthy(base) and len(workers_of(process)) == 4, "start", process, log)
            yield base, process, log
        finally:
            process.terminate()
            process.wait(timeout=20)


def wrong_sign_in(base: str, number: int) -> int:
    """Sign in with a wrong password from a new browser (a new connection, so any worker may answer)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{base}/login", timeout=30) as page:
        token = TOKEN.search(page.read().decode()).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": f"guess{number}@example.org",
                                   "password": "wrong password!"}).encode()
    try:
        with opener.open(f"{base}/login", data=data, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_four_workers_share_one_count_that_survives_their_restart(served):
    base, process, log = served
    codes = [wrong_sign_in(base, n) for n in range(LIMIT + 4)]
    assert codes == [400] * LIMIT + [429] * 4, "each worker counted alone"
    before = workers_of(process)
    process.send_signal(signal.SIGHUP)  # gunicorn replaces every worker
    wait_for(lambda: workers_of(process).isdisjoint(before) and len(workers_of(process)) == 4 and healthy(base),
             "the workers' restart", process, log)
    assert [wrong_sign_in(base, 100 + n) for n in range(4)] == [429] * 4, "a restart forgot the count"
