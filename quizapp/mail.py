"""Outgoing mail, sent outside the request, and the public links it carries.

- ``MAIL_SENDER`` names the sender class (dotted path; built once with the app, given the app):
  ``quizapp.mail.LogSender`` (default) writes each message to the app log; ``quizapp.mail.SmtpSender``
  sends through an SMTP server (``MAIL_SMTP_*`` settings, ``MAIL_FROM``); any class with
  ``send(to, subject, body)`` will do.
- Each worker process hands messages to its sender from one background thread (``Outbox``), so a request
  that mails takes as long as one that does not: timing tells nobody whether an account exists.
- Links in mail start with ``PUBLIC_URL``, never with the request's Host or forwarded headers. It is
  required as soon as real mail is on (any sender but LogSender): the app refuses to start without it.
  With LogSender and no PUBLIC_URL, links start with ``http://`` and the ``BIND`` address, which only the
  operator reading the log can follow.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import re
import smtplib
import ssl
import threading
import time
from email.message import EmailMessage
from importlib import import_module
from typing import Protocol
from urllib.parse import urlsplit

from flask import Flask, current_app

log = logging.getLogger("quizapp.mail")
LOG_SENDER = "quizapp.mail.LogSender"
HOST_PORT = re.compile(r"^[A-Za-z0-9.\-\[\]:]+:\d+$")
EXIT_WAIT = 5.0  # seconds a stopping worker waits for its queued mail to be handed over
UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


class Sender(Protocol):
    """Anything that can deliver one plain-text message."""

    def send(self, to: str, subject: str, body: str) -> None:
        """Deliver ``body`` to ``to``; raise on failure."""


class LogSender:
    """Write messages to the log instead of sending them (default; fine for one host and for tests)."""

    def __init__(self, app: Flask | None = None):
        self.app = app

    def send(self, to: str, subject: str, body: str) -> None:
        """Log the message at WARNING so it shows with the default log configuration."""
        log.warning("mail to %s: %s\n%s", to, subject, body)


class SmtpSender:
    """Send through an SMTP server with the standard library (MAIL_SMTP_* settings and MAIL_FROM)."""

    def __init__(self, app: Flask):
        config = app.config
        self.host, self.port = str(config["MAIL_SMTP_HOST"]), int(config["MAIL_SMTP_PORT"])
        self.user, self.password = str(config["MAIL_SMTP_USER"]), str(config["MAIL_SMTP_PASSWORD"])
        self.starttls, self.sender = bool(config["MAIL_SMTP_STARTTLS"]), str(config["MAIL_FROM"])
        self.timeout = float(config["MAIL_SMTP_TIMEOUT"])
        if not self.host or not self.sender:
            raise RuntimeError("MAIL_SENDER is quizapp.mail.SmtpSender: set MAIL_SMTP_HOST and MAIL_FROM too")

    def send(self, to: str, subject: str, body: str) -> None:
        """Open a connection, upgrade it to TLS if configured, log in if configured, and send one message."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(message)


class Outbox:
    """A queue of messages and the one thread per worker process that hands them to the sender."""

    def __init__(self, sender: Sender):
        self.sender = sender
        self._lock = threading.Lock()
        self._pid = 0
        self._queue: queue.Queue = queue.Queue()

    def put(self, to: str, subject: str, body: str) -> None:
        """Queue one message; the background thread sends it (started here once per process)."""
        with self._lock:
            if self._pid != os.getpid():  # first use in this process (gunicorn forks workers)
                self._pid, self._queue = os.getpid(), queue.Queue()
                threading.Thread(target=self._run, args=(self._queue,), name="quizapp-mail", daemon=True).start()
                atexit.register(self.wait, EXIT_WAIT)  # a worker that stops first hands over what it queued
            self._queue.put((to, subject, body))

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until every queued message was handed over (or failed); say whether that happened in time."""
        deadline = time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._queue.all_tasks_done.wait(remaining)
        return True

    def _run(self, messages: queue.Queue) -> None:
        while True:
            to, subject, body = messages.get()
            try:
                self.sender.send(to, subject, body)
            except Exception:  # a mail server that is down must not end the thread
                log.exception("could not send mail %r", subject)
            finally:
                messages.task_done()


def init_app(app: Flask) -> None:
    """Check PUBLIC_URL (required with real mail) and build the configured sender and its outbox."""
    public = str(app.config.get("PUBLIC_URL") or "")
    if public:
        parts = urlsplit(public)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise RuntimeError(f"PUBLIC_URL must look like https://quiz.example.org (optionally with a path), "
                               f"not {public!r}")
    elif real_mail(app):
        raise RuntimeError("PUBLIC_URL is not set: links in mail (password reset, sign-up) must start with the "
                           "address learners use, e.g. QUIZAPP_PUBLIC_URL=https://quiz.example.org "
                           "(see docs/deploy.md)")
    app.extensions["quizapp.mail"] = Outbox(load_sender(str(app.config["MAIL_SENDER"]), app))


def real_mail(app: Flask) -> bool:
    """Say whether mail leaves the host (any sender but the log-only default)."""
    return str(app.config["MAIL_SENDER"]) != LOG_SENDER


def load_sender(dotted: str, app: Flask) -> Sender:
    """Build the sender class named by ``dotted`` ('package.module.Class'); it receives the app."""
    module_name, _, class_name = dotted.rpartition(".")
    if not module_name:
        raise ValueError(f"MAIL_SENDER must be a dotted path like 'quizapp.mail.LogSender', not {dotted!r}")
    return getattr(import_module(module_name), class_name)(app)


def send_mail(to: str, subject: str, body: str) -> None:
    """Queue one message for the configured sender; it leaves after the request, whatever happens to it."""
    current_app.extensions["quizapp.mail"].put(to, subject, body)


def public_url_for(endpoint: str, **values) -> str:
    """Build an absolute link from PUBLIC_URL (else http:// and BIND), never from the request."""
    base = urlsplit(public_base(current_app.config))
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def public_base(config) -> str:
    """Give the address links start with: PUBLIC_URL, or http:// and the BIND address when it is host:port."""
    if config.get("PUBLIC_URL"):
        return str(config["PUBLIC_URL"]).rstrip("/")
    bind = str(config.get("BIND") or "")
    return f"http://{bind}" if HOST_PORT.match(bind) else "http://localhost"


def in_words(seconds: int) -> str:
    """Say a duration the way a person would: '1 hour', '2 hours 30 minutes', '45 seconds'."""
    seconds, words = max(0, int(seconds)), []
    for name, size in UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            words.append(f"{count} {name}{'' if count == 1 else 's'}")
    return " ".join(words[:2]) or "0 seconds"
