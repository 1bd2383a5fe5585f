"""Throttling: the sign-in and password-reset forms take at most LOGIN_RATE_LIMIT posts per client address.

Only a view marked ``@throttled(...)`` counts anything; no other request does any work for it. (Flask-
Limiter, used before, checked every request for limits that might apply: a fifth of a lesson page's time.)

- Counts live in ``RATELIMIT_STORAGE_URI``: ``memory://`` (each worker process alone) or
  ``redis://host:6379`` (shared by every worker and host), under ``RATELIMIT_KEY_PREFIX``, through the
  ``limits`` package's fixed-window counters.
- If the shared storage cannot be reached, the request fails (the error page), unless
  ``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED`` lets each worker count alone meanwhile.
- The request over the limit gets a 429 with ``Retry-After`` (seconds) and the friendly error page.
- ``RATELIMIT_ENABLED = False`` turns it off: only for load tests on loopback.

The client address is ``request.remote_addr``, which ProxyFix sets from X-Forwarded-For when (and only
when) TRUSTED_PROXIES says a proxy is in front.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, request
from limits import parse, strategies
from limits.storage import MemoryStorage, storage_from_string
from werkzeug.exceptions import TooManyRequests


def init_app(app: Flask) -> None:
    """Open the counters' storage (a Redis client connects at its first use)."""
    app.extensions["quizapp.throttle"] = Counters(app.config["RATELIMIT_STORAGE_URI"],
                                                  bool(app.config.get("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED")))


class Counters:
    """The fixed-window counters, with a per-worker fallback when the shared storage is down (if allowed)."""

    def __init__(self, uri: str, fallback: bool) -> None:
        self.shared = strategies.FixedWindowRateLimiter(storage_from_string(uri))
        self.fallback = strategies.FixedWindowRateLimiter(MemoryStorage()) if fallback else None

    def hit(self, setting: str, *keys: str) -> float | None:
        """Count one request; give the seconds until it may be retried if it is over the limit, else None."""
        limit = parse(current_app.config[setting])
        try:
            return self._hit(self.shared, limit, keys)
        except Exception:  # the shared storage is unreachable
            if self.fallback is None:
                raise
            current_app.logger.warning("throttle storage unreachable; counting in this worker meanwhile")
            return self._hit(self.fallback, limit, keys)

    @staticmethod
    def _hit(limiter, limit, keys: tuple[str, ...]) -> float | None:
        if limiter.hit(limit, *keys):
            return None
        return max(1.0, limiter.get_window_stats(limit, *keys).reset_time - time.time())


def throttled(setting: str) -> Callable:
    """Count a view's POSTs per client address against the limit in config ``setting`` (e.g. "10 per minute")."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def counted(*args, **kwargs):
            if request.method == "POST" and current_app.config["RATELIMIT_ENABLED"]:
                prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "quizapp"
                wait = current_app.extensions["quizapp.throttle"].hit(
                    setting, prefix, request.endpoint or view.__name__, request.remote_addr or "unknown"
                )
                if wait is not None:
                    raise TooManyRequests(retry_after=int(wait))
            return view(*args, **kwargs)

        return counted

    return decorate
