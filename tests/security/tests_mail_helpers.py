"""Mail senders for the tests, named by dotted path in MAIL_SENDER."""

from __future__ import annotations

import threading


class MemorySender:
    """Keep messages in a list instead of sending them."""

    sent: list[tuple[str, str, str]] = []

    def __init__(self, app):
        MemorySender.sent.clear()

    def send(self, to: str, subject: str, body: str) -> None:
        """Remember the message."""
        MemorySender.sent.append((to, subject, body))


class BrokenSender:
    """Fail every delivery, like a mail server that is down."""

    def __init__(self, app):
        self.app = app

    def send(self, to: str, subject: str, body: str) -> None:
        """Fail."""
        raise ConnectionError("mail server down")


class HeldSender:
    """Deliver only once the test releases it, like a slow mail server."""

    sent: list[tuple[str, str, str]] = []
    release = threading.Event()

    def __init__(self, app):
        HeldSender.sent.clear()
        HeldSender.release.clear()

    def send(self, to: str, subject: str, body: str) -> None:
        """Wait for the release, then remember the message."""
        HeldSender.release.wait(10)
        HeldSender.sent.append((to, subject, body))
