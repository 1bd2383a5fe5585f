"""Every setting in one place: defaults here, then instance/config.py, then QUIZAPP_* environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

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
    # Login throttle counters (quizapp/throttle.py): memory:// for one host, redis://host:6379 for several.
    "RATELIMIT_STORAGE_URI": "memory://",
    # Rate limits on or off; off only for load tests on loopback (QUIZAPP_RATELIMIT_ENABLED=0).
    "RATELIMIT_ENABLED": True,
    # Login attempts allowed per client address.
    "LOGIN_RATE_LIMIT": "10 per minute",
    # gunicorn worker processes for `quizapp serve`.
    "WORKERS": 4,
    # Address `quizapp serve` binds to.
    "BIND": "127.0.0.1:8000",
    # KDF for new password hashes (werkzeug method string); tests use a cheap one for speed.
    "PASSWORD_HASH_METHOD": "scrypt",
    # Shortest password accepted at sign-up.
    "PASSWORD_MIN_LENGTH": 10,
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host to trust (0: none; nginx alone: 1).
    "TRUSTED_PROXIES": 0,
    # Seconds a password-reset link stays valid.
    "PASSWORD_RESET_MAX_AGE": 3600,
    # Dotted path of the mail sender class (send(to, subject, body)); the default writes mail to the log.
    "MAIL_SENDER": "quizapp.mail.LogSender",
    # Seconds SQLite waits for a write lock before giving up (it never should under normal load).
    "SQLITE_BUSY_TIMEOUT": 30,
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
    config = dict(DEFAULTS)
    config.update(_read_instance_file(Path(instance_path) / "config.py"))
    config.update(_read_environment(config))
    config.update(overrides or {})
    config.update(_FIXED)
    config["SQLALCHEMY_DATABASE_URI"] = database_url(config, instance_path)
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret(Path(instance_path))
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
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


def _read_instance_file(path: Path) -> dict[str, object]:
    if not path.exists():
        return {}
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return {k: v for k, v in namespace.items() if k.isupper()}


def _read_environment(current: dict[str, object]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, default in DEFAULTS.items():
        raw = os.environ.get(f"QUIZAPP_{key}")
        if raw is not None:
            found[key] = _coerce(raw, current.get(key, default))
    return found


def _coerce(raw: str, like: object) -> object:
    if isinstance(like, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(raw)
    return raw


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
