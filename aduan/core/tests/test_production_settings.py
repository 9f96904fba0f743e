"""S23: production settings refuse demo secrets, demo mode and DEBUG; `check --deploy` is clean.

Each case imports config.settings.production in a fresh interpreter with only the environment a
production host would have, so nothing leaks in from the test settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from aduan.core.management.commands.generate_keys import fresh_keys
from config.settings.base import DEMO_FIELD_KEY, DEMO_HASH_KEY, DEMO_SECRET_KEY

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ADUAN_DEMO": settings.ADUAN_DEMO,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
    "SESSION_COOKIE_SAMESITE": settings.SESSION_COOKIE_SAMESITE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_CONTENT_TYPE_NOSNIFF": settings.SECURE_CONTENT_TYPE_NOSNIFF,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "connect_timeout": settings.DATABASES["default"]["OPTIONS"].get("connect_timeout"),
    "db_options": settings.DATABASES["default"]["OPTIONS"].get("options", ""),
    "huey_class": settings.HUEY["huey_class"],
}))
"""


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "ALLOWED_HOSTS": "aduan.example.go.id",
        "DATABASE_URL": "postgres://aduan:unused@127.0.0.1:5432/aduan",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ADUAN_VAR_DIR": str(tmp_path / "var"),
        **fresh_keys(),
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed argv, test input only
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_s23_production_starts_with_real_keys_and_secure_defaults(tmp_path):
    """S23/S8/S15: real keys are accepted; DEBUG off, secure cookies, HSTS, TLS redirect,
    SMTP email, PostgreSQL timeouts and Redis-backed Huey."""
    result = run_python(PROBE, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["ADUAN_DEMO"] is False
    assert values["ALLOWED_HOSTS"] == ["aduan.example.go.id"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["connect_timeout"] and values["connect_timeout"] <= 10
    assert "statement_timeout=" in values["db_options"]
    assert "lock_timeout=" in values["db_options"]
    assert values["huey_class"].endswith("RedisHuey")


def test_s23_testserver_is_not_an_allowed_host_in_production(tmp_path):
    """S23: the test client's host name is dropped from ALLOWED_HOSTS."""
    env = production_env(tmp_path, ALLOWED_HOSTS="aduan.example.go.id,testserver")
    result = run_python(PROBE, env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["ALLOWED_HOSTS"] == [
        "aduan.example.go.id"
    ]


REFUSALS = {
    "debug": ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG is on"),
    "demo-mode": ({"ADUAN_DEMO": "1"}, "ADUAN_DEMO is on"),
    "no-secret-key": ({"SECRET_KEY": None}, "SECRET_KEY is missing, the demo key"),
    "demo-secret-key": ({"SECRET_KEY": DEMO_SECRET_KEY}, "SECRET_KEY is missing, the demo key"),
    "short-secret-key": ({"SECRET_KEY": "x7Rq" * 10}, "shorter than 50 characters"),
    "no-field-key": ({"ADUAN_FIELD_KEYS": None}, "ADUAN_FIELD_KEYS holds the demo key"),
    "demo-field-key": ({"ADUAN_FIELD_KEYS": DEMO_FIELD_KEY}, "ADUAN_FIELD_KEYS holds the demo key"),
    "demo-field-key-kept-for-rotation": (
        {"ADUAN_FIELD_KEYS": f"{Fernet.generate_key().decode()},{DEMO_FIELD_KEY}"},
        "ADUAN_FIELD_KEYS holds the demo key",
    ),
    "malformed-field-key": (
        {"ADUAN_FIELD_KEYS": "not-a-fernet-key"},
        "ADUAN_FIELD_KEYS must be Fernet keys",
    ),
    "no-hash-key": ({"ADUAN_HASH_KEY": None}, "ADUAN_HASH_KEY is missing, the demo key"),
    "demo-hash-key": ({"ADUAN_HASH_KEY": DEMO_HASH_KEY}, "ADUAN_HASH_KEY is missing, the demo key"),
    "short-hash-key": ({"ADUAN_HASH_KEY": "k" * 20}, "shorter than 32 characters"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_s23_production_refuses_to_start(case, tmp_path):
    """S23: production refuses DEBUG, demo mode and demo or weak secrets with a clear
    ImproperlyConfigured message (DESIGN: "production refuses to start with demo secrets")."""
    overrides, message = REFUSALS[case]
    result = run_python(PROBE, production_env(tmp_path, **overrides))
    assert result.returncode != 0, result.stdout
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert "Production settings refuse to start" in result.stderr
    assert message in result.stderr


def test_s23_generate_keys_prints_fresh_usable_keys(tmp_path):
    """S23: `manage.py generate_keys` prints .env lines that production accepts, new each time."""
    env = {**production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    outputs = []
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "manage.py", "generate_keys"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        lines = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
        outputs.append(dict(line.split("=", 1) for line in lines))
    first, second = outputs
    assert set(first) == {"SECRET_KEY", "ADUAN_FIELD_KEYS", "ADUAN_HASH_KEY"}
    assert all(first[name] != second[name] for name in first)
    assert len(first["SECRET_KEY"]) >= 50
    assert len(set(first["SECRET_KEY"])) >= 5
    Fernet(first["ADUAN_FIELD_KEYS"].encode())  # a valid key
    assert len(first["ADUAN_HASH_KEY"]) >= 32
    accepted = run_python(PROBE, production_env(tmp_path, **first))
    assert accepted.returncode == 0, accepted.stderr


def test_s23_check_deploy_is_clean_under_production_settings():
    """S23: `manage.py check --deploy --fail-level WARNING` passes with production settings and
    generated secrets (scripts/check_deploy.sh, also run by CI as `make check-deploy`)."""
    env = {**os.environ, "PYTHON": sys.executable}
    result = subprocess.run(  # noqa: S603 - fixed argv, test input only
        [str(ROOT / "scripts" / "check_deploy.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_s23_no_interactive_api_docs_in_production_unless_enabled(tmp_path):
    """S23: /api/v1/docs does not exist under the production settings (the OpenAPI document,
    a fixed interface, does); ADUAN_API_DOCS=1 turns the docs on on purpose."""
    code = (
        "import django, json; django.setup()\n"
        "from django.urls import Resolver404, resolve\n"
        "def exists(path):\n"
        "    try:\n"
        "        resolve(path)\n"
        "        return True\n"
        "    except Resolver404:\n"
        "        return False\n"
        "print(json.dumps([exists('/api/v1/docs'), exists('/api/v1/openapi.json')]))\n"
    )
    result = run_python(code, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [False, True]
    enabled = run_python(code, {**production_env(tmp_path), "ADUAN_API_DOCS": "1"})
    assert enabled.returncode == 0, enabled.stderr
    assert json.loads(enabled.stdout.strip().splitlines()[-1]) == [True, True]
