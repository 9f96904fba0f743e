"""GET /healthz and GET /readyz (DESIGN: fixed interfaces), and S15 for the queue.

The test settings run Huey in immediate mode on memory storage, so these tests also point the
readiness check at a real Redis-backed Huey — built by the production helper
(config/settings/huey.py), with its timeouts — on a Redis that answers, one that refuses, and
one that accepts connections and never answers.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import huey
import huey.contrib.djhuey
import pytest
import redis
from django.conf import settings
from django.test import Client
from huey.storage import RedisStorage

from aduan.core.views import RETRY_AFTER_SECONDS
from config.settings.huey import huey_config

from .outage_urls import closed_port


def redis_huey(url: str) -> huey.Huey:
    """A Huey exactly as production configures it for REDIS_URL=url."""
    config = huey_config(redis_url=url, sqlite_path=settings.VAR_DIR / "unused.sqlite3")
    huey_class = {"huey.PriorityRedisHuey": huey.PriorityRedisHuey}[config["huey_class"]]
    return huey_class(config["name"] + "-readyz-test", **config["connection"])


@pytest.fixture
def use_huey(monkeypatch) -> Iterator[object]:  # type: ignore[no-untyped-def]
    def install(instance: huey.Huey) -> huey.Huey:
        monkeypatch.setattr(huey.contrib.djhuey, "HUEY", instance)
        return instance

    yield install


def test_healthz_is_200_json_without_touching_anything():
    """/healthz: the process is up. It needs no database (none is allowed here)."""
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_healthz_and_readyz_are_get_only(db):
    assert Client().post("/healthz").status_code == 405
    assert Client().post("/readyz").status_code == 405


def test_readyz_is_200_when_database_and_queue_answer(db):
    """/readyz with the test settings' queue (immediate Huey) and database."""
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "queue": "ok"}}
    assert "Retry-After" not in response


def test_readyz_is_200_with_a_real_redis_backed_queue(db, use_huey):
    """/readyz asks a real Redis (TEST_REDIS_URL, db 15). Fails — never skips — without Redis."""
    instance = use_huey(redis_huey(settings.TEST_REDIS_URL))
    assert isinstance(instance.storage, RedisStorage)
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {"database": "ok", "queue": "ok"}


def test_s15_readyz_is_503_quickly_when_redis_refuses(db, use_huey):
    """S15: Redis down (connection refused) → 503, Retry-After, "queue": "unavailable", fast."""
    use_huey(redis_huey(f"redis://127.0.0.1:{closed_port()}/0"))
    started = time.monotonic()
    response = Client().get("/readyz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "queue": "unavailable"},
    }
    assert elapsed < 3, elapsed


def test_s15_readyz_is_503_within_the_socket_timeout_when_redis_is_black_holed(db, use_huey):
    """S15: Redis accepts and never answers → the production socket timeout (5 s) ends the wait;
    503, not a hang. A client with retries would take four times as long."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)  # handshakes complete in the kernel; no byte ever comes back
        port = listener.getsockname()[1]
        use_huey(redis_huey(f"redis://127.0.0.1:{port}/0"))
        started = time.monotonic()
        response = Client().get("/readyz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json()["checks"]["queue"] == "unavailable"
    assert elapsed < 8, elapsed


def test_readyz_queue_error_that_is_not_an_outage_is_a_500(db, use_huey, monkeypatch):
    """S15: a queue failing for another reason (a bug, a Redis error reply) is not a 503."""
    instance = use_huey(redis_huey(settings.TEST_REDIS_URL))

    def broken() -> int:
        raise redis.exceptions.ResponseError("WRONGTYPE Operation against a key")

    monkeypatch.setattr(instance, "pending_count", broken)
    response = Client(raise_request_exception=False).get("/readyz")
    assert response.status_code == 500
    assert "Retry-After" not in response
