"""Start and stop the servers under test: quizapp via `quizapp serve`, the baseline via the same embedding."""

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

from quizapp.content import parse_tree

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def right_choice(question_key: str) -> str:
    """The id of the keyed choice of a shipped single-choice question ('<course>/<lesson>/<id>'): what a bench
    answers to be graded right (choices are shuffled per learner, so no position can be assumed)."""
    course, lesson, anchor = question_key.split("/")
    tree = parse_tree(ROOT / "content" / course)
    found = next(q for c in tree.courses for item in c.lessons if item.slug == lesson for q in item.questions
                 if q.id == anchor)
    return next(choice.id for choice in found.answer.choices if choice.correct)


def free_port() -> int:
    """Ask the kernel for a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(database_url: str) -> dict[str, str]:
    """Environment for quizapp processes of the bench: its own database, a fixed key, and the production
    settings otherwise; the throttles stay on (they count failed sign-ins, which the bench makes none of)."""
    return {**os.environ, "QUIZAPP_DATABASE_URL": database_url, "QUIZAPP_SECRET_KEY": "bench-secret-key"}


class Server:
    """A gunicorn process on 127.0.0.1:<free port>; use as a context manager."""

    def __init__(self, kind: str, workers: int, database_url: str = ""):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        serving = ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)]
        commands = {  # kind: what serves it (quizapp plus bench/ablations.py's cut-down answers for "ablations")
            "baseline": [sys.executable, str(BENCH / "baseline_app.py")],
            "ablations": [sys.executable, str(BENCH / "ablations.py"), "--serve"],
            "app": [str(VENV_BIN / "quizapp"), "serve"],
        }
        command = commands[kind] + serving
        env = dict(os.environ) if kind == "baseline" else app_env(database_url)
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)

    def cpu_seconds(self) -> float:
        """Give the CPU time (user + system) used so far by the server's workers (and its arbiter)."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/", timeout=5):
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited with {self.process.returncode}") from None
                time.sleep(0.3)
        raise RuntimeError("server did not start in 60 s")

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# A browser sends the same User-Agent on every request. The load generator sends this one too: Flask-Login's
# session protection compares it with the one at login, and a mismatch would rewrite the session cookie on
# every request, which no real visitor causes.
USER_AGENT = "quizapp-bench/1"


class Browser:
    """A cookie-keeping HTTP client that logs in through the real form (CSRF token scraped from the page)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def get(self, path: str) -> tuple[int, str]:
        """GET a page; give status and body."""
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        """POST a form; give status and body (redirects are not followed)."""
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        return self._open(urllib.request.Request(self.base + path, data=data))

    def token(self, path: str) -> str:
        """Scrape a CSRF token from a page."""
        status, body = self.get(path)
        found = CSRF.search(body)
        if status != 200 or not found:
            raise RuntimeError(f"no CSRF token on {path} ({status})")
        return found.group(1)

    def login(self, email: str, password: str) -> None:
        """Log in via /login like a person would."""
        status, _ = self.post("/login", {"email": email, "password": password, "csrf_token": self.token("/login")})
        if status != 302:
            raise RuntimeError(f"login of {email} failed ({status})")

    def cookie(self) -> str:
        """Give the Cookie header this browser would send."""
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        request.add_header("User-Agent", USER_AGENT)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
