"""The standard-library SMTP sender, against a small SMTP server the test runs on 127.0.0.1."""

from __future__ import annotations

import base64
import socketserver
import threading

import pytest
from support import make_user

from quizapp.mail import in_words


class SmtpStub(socketserver.StreamRequestHandler):
    """Speak just enough SMTP for smtplib: EHLO (with AUTH PLAIN), AUTH, MAIL, RCPT, DATA, QUIT."""

    def handle(self) -> None:
        self.reply("220 stub ready")
        while line := self.rfile.readline().decode():
            verb = line[:4].upper()
            if verb == "EHLO":
                self.reply("250-stub\r\n250 AUTH PLAIN")
            elif verb == "AUTH":
                self.server.logins.append(base64.b64decode(line.split()[2]).split(b"\0")[1:])
                self.reply("235 ok")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                lines = []
                while (data := self.rfile.readline().decode()) not in (".\r\n", ""):
                    lines.append(data)
                self.server.messages.append("".join(lines))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not here")

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpStub)
    server.daemon_threads = True
    server.messages, server.logins = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_reset_mail_goes_through_smtp_with_login(make_app, smtp_server):
    app = make_app(MAIL_SENDER="quizapp.mail.SmtpSender", PUBLIC_URL="https://quiz.example.org",
                   MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=smtp_server.server_address[1],
                   MAIL_SMTP_STARTTLS=False, MAIL_SMTP_USER="quizapp", MAIL_SMTP_PASSWORD="s3cret",
                   MAIL_FROM="Quiz <quiz@example.org>")
    with app.app_context():
        make_user()
        response = app.test_client().post("/password/forgot", data={"email": "learner@example.org"})
        assert response.status_code == 302
        assert app.extensions["quizapp.mail"].wait()
    (message,) = smtp_server.messages
    assert smtp_server.logins == [[b"quizapp", b"s3cret"]]
    assert "To: learner@example.org" in message and "From: Quiz <quiz@example.org>" in message
    assert "https://quiz.example.org/password/reset/" in message and "within 1 hour" in message


def test_smtp_sender_needs_a_host_and_a_from_address(make_app):
    with pytest.raises(RuntimeError, match="MAIL_SMTP_HOST and MAIL_FROM"):
        make_app(MAIL_SENDER="quizapp.mail.SmtpSender", PUBLIC_URL="https://quiz.example.org")


@pytest.mark.parametrize(("seconds", "words"), [(3600, "1 hour"), (5400, "1 hour 30 minutes"), (3, "3 seconds"),
                                                (172800, "2 days"), (90061, "1 day 1 hour"), (0, "0 seconds")])
def test_durations_in_words(seconds, words):
    assert in_words(seconds) == words
