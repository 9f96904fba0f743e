"""S20: dependencies pinned with hashes, and a vulnerability scan that fails when it cannot check.

None of these tests needs the network: the failing mode points pip-audit at a closed local
proxy, and the verdict logic is fed pip-audit JSON of the shapes it really produces.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "audit_dependencies.py"
LOCKS = [ROOT / "requirements" / "main.lock", ROOT / "requirements" / "dev.lock"]


def _load_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit_dependencies"] = module
    spec.loader.exec_module(module)
    return module


audit = _load_script()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name)
def test_s20_every_lock_requirement_is_pinned_with_sha256_hashes(lock):
    """S20: every requirement line of the lock files is `name==version` with --hash=sha256:."""
    text = lock.read_text(encoding="utf-8")
    requirements, problems = audit.parse_lock(lock)
    assert problems == []
    assert len(requirements) > 5
    for req in requirements:
        assert req.hashes, req
        assert all(h.startswith("--hash=sha256:") for h in req.hashes)
    # The same, read naively: each line is a pin, a hash, or a "# via" comment.
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line[0].isspace():
            assert stripped.startswith("--hash=sha256:"), f"{lock.name}:{number}: {line}"
        else:
            assert "==" in stripped and stripped.endswith("\\"), f"{lock.name}:{number}: {line}"


def test_s20_main_lock_is_a_subset_of_dev_lock():
    """S20: production and development install the same versions of the shared packages."""
    main = {r.name: r.version for r in audit.parse_lock(LOCKS[0])[0]}
    dev = {r.name: r.version for r in audit.parse_lock(LOCKS[1])[0]}
    assert {name: dev.get(name) for name in main} == main


def test_s20_lock_parser_rejects_unpinned_and_unhashed(tmp_path):
    """S20: a range, a missing hash, an md5 hash or a URL requirement is refused."""
    bad = tmp_path / "bad.lock"
    good_hash = "--hash=sha256:" + "a" * 64
    bad.write_text(
        f"django>=5.2 \\\n    {good_hash}\n"
        "huey==3.5.4\n"
        f"redis==8.1.0 \\\n    --hash=md5:{'b' * 32}\n"
        f"-e git+https://example.invalid/x.git#egg=x \\\n    {good_hash}\n"
        f"six==1.17.0 \\\n    {good_hash}\n    # via python-dateutil\n",
        encoding="utf-8",
    )
    requirements, problems = audit.parse_lock(bad)
    assert [r.name for r in requirements] == ["six"]
    assert [p.reason for p in problems] == [
        "not pinned with ==",
        "no --hash=sha256:",
        "unexpected option --hash=md5:" + "b" * 32,
        "not pinned with ==",
    ]
    result = subprocess.run(  # noqa: S603 - fixed argv, test input only
        [sys.executable, str(SCRIPT), "--lock", str(bad), "--pins-only"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == audit.EXIT_UNPINNED, result.stderr
    assert "NOT FULLY PINNED" in result.stderr


def test_s20_scan_fails_loudly_when_the_vulnerability_service_is_unreachable(tmp_path):
    """S20: with the network unavailable (proxy on a closed port, no cache) the scan exits
    non-zero with "COULD NOT CHECK" — never pip-audit's silent "No known vulnerabilities"."""
    port = _closed_port()
    proxy = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "HTTPS_PROXY": proxy,
        "HTTP_PROXY": proxy,
        "https_proxy": proxy,
        "http_proxy": proxy,
        "NO_PROXY": "",
        "no_proxy": "",
    }
    status = tmp_path / "status"
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - fixed argv, test input only
        [
            sys.executable,
            str(SCRIPT),
            "--timeout",
            "3",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--status-file",
            str(status),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == audit.EXIT_UNCHECKED, result.stdout + result.stderr
    assert "COULD NOT CHECK" in result.stderr
    assert "No known vulnerabilities" not in result.stdout
    assert status.read_text().strip() == "unchecked"
    assert elapsed < 120


# --- the verdict, on pip-audit JSON of the shapes it really writes -------------------------

PINNED = {"django": "5.2.19", "huey": "3.5.4"}


def _skipped(name: str, version: str) -> dict[str, str]:
    return {
        "name": name,
        "skip_reason": (
            f"Dependency not found on PyPI and could not be audited: {name} ({version})"
        ),
    }


def test_s20_all_skipped_report_is_unchecked_even_though_pip_audit_exits_0():
    """S20: the offline report (every package skipped, no vulns, exit 0) is "not checked"."""
    report = {"dependencies": [_skipped(n, v) for n, v in PINNED.items()], "fixes": []}
    verdict = audit.evaluate(PINNED, [("pypi", report, "")], {})
    assert set(verdict.unchecked) == set(PINNED)
    assert verdict.checked == {}


def test_s20_a_package_missing_from_the_report_or_with_another_version_is_unchecked():
    """S20: every pinned package must be in the report, with its pinned version."""
    report = {"dependencies": [{"name": "Django", "version": "5.2.18", "vulns": []}]}
    verdict = audit.evaluate(PINNED, [("pypi", report, "")], {})
    assert set(verdict.unchecked) == {"django", "huey"}
    assert "reported version 5.2.18" in verdict.unchecked["django"]
    assert "missing" in verdict.unchecked["huey"]


def test_s20_a_second_service_can_check_what_the_first_skipped():
    """S20: OSV may check what the PyPI service skipped; a failed run counts for nothing."""
    first = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
    second = {"dependencies": [{"name": "huey", "version": "3.5.4", "vulns": []}]}
    verdict = audit.evaluate(
        PINNED, [("pypi", first, ""), ("osv", None, "connection refused"), ("osv", second, "")], {}
    )
    assert verdict.unchecked == {}
    assert verdict.checked == {"django": "pypi", "huey": "osv"}


def _vulnerable_report() -> dict[str, object]:
    return {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.19",
                "vulns": [
                    {
                        "id": "PYSEC-2099-1",
                        "fix_versions": ["5.2.20"],
                        "aliases": ["CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"],
                        "description": "…",
                    }
                ],
            },
            {"name": "huey", "version": "3.5.4", "vulns": []},
        ],
        "fixes": [],
    }


def test_s20_a_vulnerability_fails_unless_ignored_with_a_reason(tmp_path):
    """S20: a known vulnerability fails the scan; the ignore list (id + reason) can waive it,
    by its id or an alias; an id without a reason is refused."""
    verdict = audit.evaluate(PINNED, [("pypi", _vulnerable_report(), "")], {})
    assert [v["id"] for v in verdict.vulnerabilities] == ["PYSEC-2099-1"]
    assert verdict.unchecked == {}

    ignore_file = tmp_path / "ignore.txt"
    ignore_file.write_text(
        "# comment\n\nGHSA-aaaa-bbbb-cccc  only the admin CLI is affected; we never run it\n",
        encoding="utf-8",
    )
    ignore = audit.load_ignore_list(ignore_file)
    verdict = audit.evaluate(PINNED, [("pypi", _vulnerable_report(), "")], ignore)
    assert verdict.vulnerabilities == []
    assert [v["id"] for v in verdict.ignored] == ["PYSEC-2099-1"]

    ignore_file.write_text("PYSEC-2099-1\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="without a reason"):
        audit.load_ignore_list(ignore_file)


def test_s20_the_committed_ignore_list_is_empty():
    """S20: nothing is waived today; a waiver is a reviewed, commented change."""
    assert audit.load_ignore_list(audit.IGNORE_FILE) == {}


def test_s20_exit_codes_through_main(monkeypatch, tmp_path):
    """S20: main() maps the verdict to exit codes (1 vulnerable, 2 unchecked, 0 clean)."""
    lock = tmp_path / "x.lock"
    lock.write_text(
        "".join(f"{n}=={v} \\\n    --hash=sha256:{'c' * 64}\n" for n, v in PINNED.items()),
        encoding="utf-8",
    )
    empty_ignore = tmp_path / "ignore.txt"
    empty_ignore.write_text("", encoding="utf-8")
    clean = {"dependencies": [{"name": n, "version": v, "vulns": []} for n, v in PINNED.items()]}
    offline = {"dependencies": [_skipped(n, v) for n, v in PINNED.items()]}
    cases = [
        ({"pypi": (clean, "")}, audit.EXIT_OK, "ok"),
        ({"pypi": (_vulnerable_report(), "")}, audit.EXIT_VULNERABLE, "vulnerable"),
        ({"pypi": (offline, ""), "osv": (None, "name resolution failed")}, 2, "unchecked"),
    ]
    for responses, expected, word in cases:
        monkeypatch.setattr(
            audit, "run_pip_audit", lambda service, *a, r=responses, **k: r[service]
        )
        status = tmp_path / "status"
        code = audit.main(
            ["--lock", str(lock), "--ignore-file", str(empty_ignore), "--status-file", str(status)]
        )
        assert code == expected
        assert status.read_text().strip() == word
