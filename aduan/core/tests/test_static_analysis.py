"""S12: the ORM only, raw SQL only with parameters — held by ruff's `S` rules and bandit."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)  # noqa: S603


def test_ruff_security_rules_pass_on_the_application_code():
    """S12: ruff's flake8-bandit rules (SQL built from strings S608, shell calls, unsafe
    deserialisation...) report nothing in aduan/ and config/."""
    result = _run(str(BIN / "ruff"), "check", "--select", "S", "--no-cache", "aduan", "config")
    assert result.returncode == 0, result.stdout + result.stderr


def test_bandit_finds_no_issue_in_the_application_code():
    """S12: bandit (with the project's configuration) finds no issue, SQL injection (B608) included."""
    result = _run(str(BIN / "bandit"), "-q", "-c", "pyproject.toml", "-r", "aduan", "config")
    assert result.returncode == 0, result.stdout + result.stderr


def test_raw_sql_in_the_application_is_parameterised():
    """S12: every cursor.execute in application code passes its values as parameters, never by
    formatting them into the SQL text."""
    offenders = []
    for path in (ROOT / "aduan").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ".execute(f" in line or (
                '.execute("' in line and "%" in line and ", [" not in line and ", (" not in line
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
