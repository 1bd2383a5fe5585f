"""Login throttling: the 11th failed login from one address in a minute gets a friendly 429."""

from __future__ import annotations

import importlib.util
import uuid

import pytest
from support import PASSWORD, make_user


def fail_logins(client, times: int) -> list[int]:
    return [client.post("/login", data={"email": "learner@example.org", "password": "wrong password"}).status_code
            for _ in range(times)]


def test_eleventh_failed_login_in_a_minute_is_429(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        make_user()
        client = app.test_client()
        assert fail_logins(client, 10) == [400] * 10
        response = client.post("/login", data={"email": "learner@example.org", "password": PASSWORD})
        assert response.status_code == 429
        page = response.get_data(as_text=True)
        assert "Too many attempts" in page and "Wait a minute" in page and "<html" in page
        assert "Retry-After" in response.headers
        # Reading the form is not limited, so the learner still sees where to come back to.
        assert client.get("/login").status_code == 200


def test_other_addresses_are_not_blocked(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        make_user()
        client = app.test_client()
        fail_logins(client, 11)
        other = client.post("/login", data={"email": "learner@example.org", "password": PASSWORD},
                            environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert other.status_code == 302


def test_forgot_password_is_throttled_too(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        client = app.test_client()
        codes = [client.post("/password/forgot", data={"email": "x@example.org"}).status_code for _ in range(4)]
        assert codes == [302, 302, 302, 429]


@pytest.mark.skipif(importlib.util.find_spec("redis") is None, reason="the optional `redis` package is not installed")
def test_limits_are_shared_through_redis(make_app):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"quizapp-test-{uuid.uuid4().hex[:8]}"
    config = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
              "RATELIMIT_KEY_PREFIX": prefix, "LOGIN_RATE_LIMIT": "3 per minute"}
    first, second = make_app(**config), make_app(**config)  # two "hosts" sharing one Redis
    with first.app_context():
        make_user()
    try:
        assert fail_logins(first.test_client(), 3) == [400] * 3
        assert fail_logins(second.test_client(), 1) == [429]
    finally:
        server = redis.Redis.from_url("redis://127.0.0.1:6379")
        for key in server.scan_iter(f"*{prefix}*"):
            server.delete(key)


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=1)
    with app.app_context():
        client = app.test_client()

        def attempt(address: str) -> int:
            return client.post("/login", data={"email": "x@example.org", "password": "wrong password"},
                               headers={"X-Forwarded-For": address}).status_code

        assert [attempt("203.0.113.1") for _ in range(3)] == [400, 400, 429]
        assert attempt("203.0.113.2") == 400


def test_without_trusted_proxies_forwarded_headers_are_ignored(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="1 per minute")
    with app.app_context():
        client = app.test_client()
        codes = [client.post("/login", data={"email": "x@example.org", "password": "wrong password"},
                             headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(2)]
        assert codes == [400, 429], "a visitor must not dodge the limit by inventing X-Forwarded-For"


UNREACHABLE = "redis://127.0.0.1:9"  # nothing listens on the discard port


@pytest.mark.skipif(importlib.util.find_spec("redis") is None, reason="the optional `redis` package is not installed")
def test_only_the_throttled_forms_touch_the_counters(make_app):
    """With the counters' storage down, every other page and form still works: nothing else counts."""
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=UNREACHABLE)
    with app.app_context():
        make_user()
    client = app.test_client()
    assert client.get("/login").status_code == 200
    assert client.post("/signup", data={"email": "new@example.org", "password": PASSWORD,
                                        "confirm": PASSWORD}).status_code in (200, 302, 400)
    assert client.get("/").status_code == 200
    assert client.post("/login", data={"email": "learner@example.org", "password": PASSWORD}).status_code == 500


@pytest.mark.skipif(importlib.util.find_spec("redis") is None, reason="the optional `redis` package is not installed")
def test_with_the_fallback_each_worker_counts_alone_while_the_storage_is_down(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=UNREACHABLE, LOGIN_RATE_LIMIT="2 per minute",
                   RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True)
    with app.app_context():
        make_user()
        assert fail_logins(app.test_client(), 3) == [400, 400, 429]
