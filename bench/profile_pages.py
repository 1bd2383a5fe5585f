"""Profile the learner pages in-process (no server): CPU per request, or a pyinstrument profile of one page.

    .venv/bin/python bench/profile_pages.py [--profile lesson|answer|answer_js|progress|home|api_lesson|api_answer]
                                            [-n 1500]

Each page is called the way a gunicorn worker calls it, minus the socket: ``app.wsgi_app`` with a prebuilt
WSGI environ carrying the learner's cookie and the same User-Agent as at login. The learner is in a
class, as the bench's learners are, so an answer also updates the class counters. The baseline app of
the bench is measured the same way, for scale. ``api_lesson`` and ``api_answer`` are the same lesson and
answer through the JSON API with the learner's bearer token (rate limits counted, with limits too high to bite).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from baseline_app import create_baseline  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from servers import USER_AGENT, right_choice  # noqa: E402

from quizapp import MIGRATIONS, create_app  # noqa: E402
from quizapp.content import parse_tree  # noqa: E402
from quizapp.services.accounts import accounts, tokens  # noqa: E402
from quizapp.services.authoring.content_sync import sync_tree  # noqa: E402
from quizapp.services.teaching import classes  # noqa: E402

LESSON = "/courses/nextjs-server-logic/server-logic-in-nextjs"
QUESTION = LESSON + "/two-tools-difference"
RIGHT = right_choice(QUESTION.removeprefix("/courses/"))
API_LESSON = "/api/v1/courses/nextjs-server-logic/lessons/server-logic-in-nextjs"
API_ANSWER = API_LESSON + "/questions/two-tools-difference/answers"
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


class Pages:
    """A migrated database with the shipped course and one learner in a class, signed in."""

    def __init__(self, tmp: Path):
        self.app = create_app({"DATABASE_URL": f"sqlite:///{tmp / 'p.sqlite3'}", "SECRET_KEY": "profile",
                               "RATELIMIT_STORAGE_URI": f"sqlite:///{tmp / 'throttle.sqlite3'}",
                               "API_RATE_LIMIT": "10000000 per minute", "API_ANSWER_RATE_LIMIT": "10000000 per minute"})
        with self.app.app_context():
            upgrade(directory=MIGRATIONS)
            sync_tree(parse_tree(ROOT / "content"))
            learner = accounts.create_user("learner@example.org", "profile-password")
            teacher = accounts.create_user("teacher@example.org", "profile-password", role="instructor")
            classes.join_class(learner.id, classes.create_class(teacher.id, "Profiled").join_code)
            self.bearer = "Bearer " + tokens.create_token(learner.id, "profile")[1]
        client = self.app.test_client()
        client.environ_base.update({"HTTP_USER_AGENT": USER_AGENT, "REMOTE_ADDR": "127.0.0.1"})
        token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
        response = client.post("/login", data={"email": "learner@example.org", "password": "profile-password",
                                               "csrf_token": token})
        assert response.status_code == 302, response.status_code
        self.token = CSRF.search(client.get(LESSON).get_data(as_text=True)).group(1)
        self.cookie = f"session={client.get_cookie('session').value}"
        self.baseline = create_baseline()
        self.sent = 0

    def call(self, app, method: str, path: str, body: bytes = b"", fetch: bool = False, api: bool = False) -> str:
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
            "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
            "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1", "HTTP_USER_AGENT": USER_AGENT,
            "HTTP_COOKIE": self.cookie, "wsgi.input": io.BytesIO(body),
        }
        if method == "POST":
            environ.update({"CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body))})
        if fetch:
            environ["HTTP_X_REQUESTED_WITH"] = "fetch"
        if api:  # a token, no cookie
            environ.update({"HTTP_AUTHORIZATION": self.bearer, "CONTENT_TYPE": "application/json"})
            del environ["HTTP_COOKIE"]
        status = []
        result = app.wsgi_app(environ, lambda s, _headers, _exc=None: status.append(s))
        b"".join(result)
        getattr(result, "close", lambda: None)()
        return status[0]

    def answer(self, fetch: bool = False) -> str:
        self.sent += 1
        body = (f"csrf_token={self.token}&action=answer&choice={RIGHT}&submission_key=p{self.sent}"
                f"&shown_at={int(time.time())}").encode()
        return self.call(self.app, "POST", QUESTION, body, fetch)

    def api_answer(self) -> str:
        self.sent += 1
        body = b'{"choices": ["b"]}'
        return self.call(self.app, "POST", API_ANSWER, body, api=True)

    def cases(self) -> dict:
        return {
            "baseline": lambda: self.call(self.baseline, "GET", "/"),
            "lesson": lambda: self.call(self.app, "GET", LESSON),
            "answer": self.answer,
            "answer_js": lambda: self.answer(fetch=True),
            "home": lambda: self.call(self.app, "GET", "/"),
            "progress": lambda: self.call(self.app, "GET", "/progress"),
            "api_lesson": lambda: self.call(self.app, "GET", API_LESSON, api=True),
            "api_answer": self.api_answer,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", choices=["lesson", "answer", "answer_js", "progress", "home", "api_lesson",
                                                  "api_answer"])
    parser.add_argument("-n", type=int, default=1500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = Pages(Path(tmp)).cases()
        for name, call in cases.items():
            assert call().startswith("200"), name
        if args.profile:
            from pyinstrument import Profiler  # noqa: PLC0415 (optional: only for --profile)

            profiler = Profiler(interval=0.0001)
            profiler.start()
            for _ in range(args.n):
                cases[args.profile]()
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=False))
            return
        for name, per in fastest(cases, batches=10, calls=max(1, args.n // 10)).items():
            print(f"{name:10s} {per:7.3f} ms CPU/request (fastest of 10 batches)")


def fastest(cases: dict, batches: int, calls: int) -> dict[str, float]:
    """CPU ms per call of each case: ``batches`` batches of ``calls`` calls, the cases interleaved, the
    fastest batch kept (other tenants of a shared machine only ever slow a batch down, so the minimum is
    the figure that repeats)."""
    best = dict.fromkeys(cases, float("inf"))
    for _ in range(batches):
        for name, call in cases.items():
            start = time.process_time()
            for _ in range(calls):
                call()
            best[name] = min(best[name], (time.process_time() - start) / calls * 1000)
    return best


if __name__ == "__main__":
    main()
