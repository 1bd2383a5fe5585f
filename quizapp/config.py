"""Every setting in one place: defaults here, then instance/config.py, then QUIZAPP_* environment variables.

The file and the variables are read by Flask's own ``Config.from_pyfile`` and ``Config.from_prefixed_env``:
a variable's value is parsed as JSON when it can be (``7``, ``true``), else taken as text. Each setting then
keeps its default's type (``_typed``): ``1``, ``yes``, ``on`` or ``true`` turn a switch on, anything else off,
and a text setting takes the variable exactly as written (a secret key of digits stays text).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Config

DEFAULTS: dict[str, object] = {
    # Database URL; empty means a SQLite file in the instance folder (see database_url()).
    "DATABASE_URL": "",
    # Signs session cookies and tokens; empty means generate once and keep in instance/secret_key.
    "SECRET_KEY": "",
    # Folder `quizapp content load` reads when no path is given.
    "CONTENT_DIR": "content",
    # Largest request body accepted (bytes); bigger gets 413. Course zips are the largest thing sent.
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    # Cookies only over HTTPS; turn on behind a TLS-terminating proxy (docs/deploy.md).
    "SESSION_COOKIE_SECURE": False,
    # Throttle counters (quizapp/counters.py): empty = instance/throttle.sqlite3, shared by the host's
    # workers; redis://host:6379 for several hosts; sqlite:////path; memory:// (one process: tests only).
    "RATELIMIT_STORAGE_URI": "",
    # Rate limits on or off; off only for load tests on loopback (QUIZAPP_RATELIMIT_ENABLED=0).
    "RATELIMIT_ENABLED": True,
    # Failed sign-ins allowed per client address (a school behind one address makes a tenth of this).
    "LOGIN_ADDRESS_LIMIT": "300 per 10 minutes",
    # Wrong passwords per account (or per device that signed in before) that cost no wait; after them each
    # failure doubles the wait before the next try (1, 2, 4 ... s), at most LOGIN_ACCOUNT_MAX_DELAY seconds.
    "LOGIN_ACCOUNT_FREE_FAILURES": 5,
    "LOGIN_ACCOUNT_MAX_DELAY": 60,
    # Seconds after the last failure that an account's failures are forgotten.
    "LOGIN_ACCOUNT_MEMORY": 3600,
    # Days a browser that signed in stays exempt from its account's wait (the device cookie).
    "LOGIN_DEVICE_DAYS": 90,
    # Sign-up posts per client address.
    "SIGNUP_RATE_LIMIT": "100 per 10 minutes",
    # Forgot-password and reset posts per client address, and reset mails per email address.
    "RESET_RATE_LIMIT": "30 per 10 minutes",
    "RESET_MAIL_LIMIT": "3 per hour",
    # gunicorn worker processes for `quizapp serve`.
    "WORKERS": 4,
    # Address `quizapp serve` binds to.
    "BIND": "127.0.0.1:8000",
    # KDF for new password hashes (werkzeug method string); tests use a cheap one for speed. Werkzeug's
    # scrypt is N=2^15, r=8, p=1 (32 MB): about 0.1 s of one core, so a class of 300 signing in within a
    # minute costs a quarter of two cores (docs/performance.md, "Classroom burst").
    "PASSWORD_HASH_METHOD": "scrypt",
    # Shortest password accepted at sign-up.
    "PASSWORD_MIN_LENGTH": 10,
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host to trust (0: none; nginx alone: 1).
    "TRUSTED_PROXIES": 0,
    # Seconds a password-reset link stays valid.
    "PASSWORD_RESET_MAX_AGE": 3600,
    # Seconds a sign-up confirmation link stays valid (sign-up by mail: only when real mail is on).
    "SIGNUP_CONFIRM_MAX_AGE": 172800,
    # Days "Keep me signed in" lasts (the remember-me cookie and its login on the server).
    "REMEMBER_DAYS": 14,
    # Hours a sign-in without "Keep me signed in" lasts on the server (the cookie also ends with the browser).
    "SIGNED_IN_HOURS": 12,
    # Dotted path of the mail sender class (send(to, subject, body)); the default writes mail to the log,
    # quizapp.mail.SmtpSender sends through MAIL_SMTP_HOST (quizapp/mail.py).
    "MAIL_SENDER": "quizapp.mail.LogSender",
    # The address learners use (https://quiz.example.org): links in mail start with it, never with the
    # request's Host. Required when MAIL_SENDER sends real mail; empty means http://BIND with the log sender.
    "PUBLIC_URL": "",
    # SMTP sending (quizapp.mail.SmtpSender): server, port, login (empty user: none), STARTTLS, From address.
    "MAIL_SMTP_HOST": "",
    "MAIL_SMTP_PORT": 587,
    "MAIL_SMTP_USER": "",
    "MAIL_SMTP_PASSWORD": "",
    "MAIL_SMTP_STARTTLS": True,
    "MAIL_SMTP_TIMEOUT": 10,
    "MAIL_FROM": "",
    # Seconds a SQLite writer waits for the database (queue and lock) before a 503 with Retry-After.
    "SQLITE_BUSY_TIMEOUT": 2,
    # /healthz reports 503 "full" when the SQLite file's disk has fewer free bytes than this.
    "HEALTH_MIN_FREE_BYTES": 64 * 1024 * 1024,
    # Threads per gunicorn worker for `quizapp serve` (gthread): a request waiting on the writer holds one
    # thread, so reads go on while fewer than WORKERS x WORKER_THREADS requests wait.
    "WORKER_THREADS": 8,
    # Seconds added to the review pages' clock (quizapp/clock.py); honoured only when TESTING, for tests.
    "REVIEW_CLOCK_OFFSET": 0,
    # One JSON line per request on stderr (status, time, user id; no personal data): docs/deploy.md.
    "REQUEST_LOG": True,
    # Serve /metrics (Prometheus text format): off unless an operator turns it on.
    "METRICS_ENABLED": False,
    # Bearer token /metrics requires when set (else it answers anyone who can reach it).
    "METRICS_TOKEN": "",
    # Folder where gunicorn workers share their counts; empty: instance/metrics.
    "METRICS_DIR": "",
    # JSON API (quizapp/api): requests, and answers, each personal access token may make (shared counters).
    "API_RATE_LIMIT": "600 per minute",
    "API_ANSWER_RATE_LIMIT": "120 per minute",
}

_FIXED: dict[str, object] = {
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session: no lost answers after lunch
}


def load_config(instance_path: str, overrides: dict | None) -> dict[str, object]:
    """Merge defaults, instance/config.py and QUIZAPP_* variables into one dict for app.config."""
    config = Config(instance_path, DEFAULTS)
    config.from_pyfile("config.py", silent=True)
    config.from_prefixed_env("QUIZAPP")
    _typed(config)
    config.update(overrides or {})
    config.update(_FIXED)
    config["SQLALCHEMY_DATABASE_URI"] = database_url(config, instance_path)
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret(Path(instance_path))
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    # A signed cookie is accepted at most this long; each login's row on the server ends it sooner.
    config["REMEMBER_COOKIE_DURATION"] = timedelta(days=int(config["REMEMBER_DAYS"]))
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=int(config["REMEMBER_DAYS"]))
    return config


def database_url(config: dict, instance_path: str) -> str:
    """Give the SQLAlchemy URL, defaulting to a SQLite file in the instance folder."""
    url = str(config.get("DATABASE_URL") or "")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "quizapp.sqlite3")
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # Always psycopg 3, whatever the URL says, so deploy docs can use the common spelling.
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _typed(config: Config) -> None:
    """Give every setting its default's type (from_prefixed_env parsed QUIZAPP_* values as JSON where it could)."""
    for key, default in DEFAULTS.items():
        value = config[key]
        if isinstance(default, bool) and not isinstance(value, bool):
            config[key] = str(value).strip().lower() in {"1", "true", "yes", "on"}
        elif isinstance(default, int) and not isinstance(default, bool) and not isinstance(value, int):
            config[key] = int(value)
        elif isinstance(default, str) and not isinstance(value, str):
            config[key] = os.environ.get(f"QUIZAPP_{key}", str(value))  # text as written: a key of digits stays text


def _instance_secret(instance: Path) -> str:
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        # O_EXCL: when several workers start at once, exactly one writes and all read the same key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
    raise RuntimeError(f"{path} is empty; delete it and start again")
