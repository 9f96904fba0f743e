"""Huey: SQLite storage by default (embedded), Redis when REDIS_URL is set (production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from config.env import env_int


def huey_config(*, redis_url: str, sqlite_path: Path, immediate: bool = False) -> dict[str, Any]:
    consumer = {
        "workers": env_int("ADUAN_WORKERS", 2),
        "worker_type": "thread",
        "periodic": True,
        "check_worker_health": True,
    }
    if redis_url:
        import redis

        pool = redis.ConnectionPool.from_url(
            redis_url,
            socket_timeout=5,
            socket_connect_timeout=3,
            health_check_interval=30,
        )
        return {
            "huey_class": "huey.PriorityRedisHuey",
            "name": "aduan",
            "immediate": immediate,
            "connection": {"connection_pool": pool},
            "consumer": consumer,
        }
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "huey_class": "huey.SqliteHuey",
        "name": "aduan",
        "immediate": immediate,
        "filename": str(sqlite_path),
        "timeout": 5,
        "consumer": consumer,
    }
