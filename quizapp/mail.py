"""Outgoing mail behind a small protocol, so deployments choose how mail leaves (config MAIL_SENDER).

The default, LogSender, writes each message to the app log: enough for one host where an admin
reads the log, and what the tests use. A real sender is any class with ``send(to, subject, body)``
named by dotted path, e.g. ``MAIL_SENDER = "mysite.mail.SmtpSender"``; it is built with the app.
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Protocol

from flask import Flask, current_app

log = logging.getLogger("quizapp.mail")


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


def load_sender(dotted: str, app: Flask) -> Sender:
    """Build the sender class named by ``dotted`` ('package.module.Class'); it receives the app."""
    module_name, _, class_name = dotted.rpartition(".")
    if not module_name:
        raise ValueError(f"MAIL_SENDER must be a dotted path like 'quizapp.mail.LogSender', not {dotted!r}")
    return getattr(import_module(module_name), class_name)(app)


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one message with the configured sender (built once per app)."""
    app = current_app._get_current_object()
    sender = app.extensions.get("quizapp.mail")
    if sender is None:
        sender = app.extensions["quizapp.mail"] = load_sender(app.config["MAIL_SENDER"], app)
    sender.send(to, subject, body)
