"""`quizapp demo` can be rerun: same password, browser edits kept (and said so), --bind, a busy port in one
sentence; `quizapp --version` is quizapp's."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

from support import ROOT, login

from quizapp.services.authoring import editor as authoring

LESSON = "nextjs-server-logic/server-logic-in-nextjs"


def demo(app, *args):
    with app.app_context():
        return app.test_cli_runner().invoke(args=["demo", "--no-serve", *args])


def password_of(output: str) -> str:
    return re.search(r"^Demo instructor: \S+  password: (\S+)", output, re.MULTILINE).group(1)


def test_a_rerun_keeps_the_password_and_says_where_it_is(make_app, tmp_path):
    app = make_app(CONTENT_DIR=str(ROOT / "content"), DEMO_PASSWORD_FILE=str(tmp_path / "demo.txt"))
    first = demo(app)
    assert first.exit_code == 0, first.output
    assert "Content: 1 course, 6 lessons and" in first.output and "questions added." in first.output
    assert "Try each role:" in first.output and "--role author" in first.output
    again = demo(app)
    assert password_of(again.output) == password_of(first.output)
    assert f"unchanged; kept in {tmp_path / 'demo.txt'}" in again.output
    assert login(app.test_client(), "instructor@example.org", password_of(first.output)).status_code == 302


def test_a_rerun_never_overwrites_a_lesson_edited_in_the_browser(make_app, tmp_path):
    app = make_app(CONTENT_DIR=str(ROOT / "content"), DEMO_PASSWORD_FILE=str(tmp_path / "demo.txt"))
    assert demo(app).exit_code == 0
    with app.app_context():
        draft = authoring.get_draft(*LESSON.split("/"))
        edited = draft.text.replace("## Practice", "An edit made in the browser.\n\n## Practice", 1)
        assert authoring.save_lesson(draft.course_key, draft.filename, edited.encode(),
                                     base_hash=draft.base_hash).saved
    again = demo(app)
    assert again.exit_code == 0, again.output
    assert "kept course 'nextjs-server-logic' as stored" in again.output and "content load" in again.output
    with app.app_context():
        assert "An edit made in the browser." in authoring.get_draft(*LESSON.split("/")).text
        assert "Server Logic in Next.js" in app.test_client().get("/").get_data(as_text=True)  # not retired


def test_a_busy_port_is_one_clear_sentence(make_app, tmp_path):
    app = make_app(CONTENT_DIR=str(ROOT / "content"), DEMO_PASSWORD_FILE=str(tmp_path / "demo.txt"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["demo", "--bind", f"127.0.0.1:{port}"])
    assert result.exit_code != 0
    assert result.output.strip() == (f"Error: 127.0.0.1:{port} is already in use (another quizapp demo?): stop it, "
                                     f"or pick another address with --bind 127.0.0.1:{port + 1}")


def test_version_is_quizapps():
    script = Path(sys.executable).with_name("quizapp")
    output = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True,
                            cwd=ROOT, timeout=60).stdout
    assert re.fullmatch(r"quizapp \d+\.\d+\.\d+\S*\n", output), output
