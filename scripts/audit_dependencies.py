#!/usr/bin/env python3
"""Vulnerability scan of the pinned dependencies that fails loudly when it could not check (S20).

pip-audit reports "No known vulnerabilities found" and exits 0 when it could not reach its
vulnerability service: every package is then only *skipped* ("Dependency not found on PyPI and
could not be audited"). A green run like that proves nothing. This script therefore:

1. checks that every requirement in requirements/*.lock is pinned with `==` and carries at
   least one `--hash=sha256:` (exit 3 otherwise);
2. runs pip-audit on the lock files (`--require-hashes --disable-pip`, JSON output) against
   each vulnerability service in turn (PyPI first, then OSV) until every pinned package has been
   checked by one of them; then, for what is still unchecked, reads PyPI's project JSON, whose
   `vulnerabilities` describe the *latest* release only — so it checks a package only when the
   pin is that latest release ("pypi-latest");
3. exits 2 ("COULD NOT CHECK") if any pinned package is missing from pip-audit's JSON, was
   reported with another version, or carries a skip reason, whatever pip-audit's exit code;
4. exits 1 if a vulnerability was found that is not in scripts/audit-ignore.txt (each ignored
   id needs a reason there), and 0 only when every package was checked and none is vulnerable.

`--status-file PATH` (or ADUAN_AUDIT_STATUS_FILE) writes one word — ok, vulnerable, unchecked,
unpinned — so a CI script can tell the outcomes apart behind `make`, which maps them all to 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK_FILES = [ROOT / "requirements" / "main.lock", ROOT / "requirements" / "dev.lock"]
IGNORE_FILE = Path(__file__).resolve().parent / "audit-ignore.txt"
SERVICES = ("pypi", "osv", "pypi-latest")

EXIT_OK, EXIT_VULNERABLE, EXIT_UNCHECKED, EXIT_UNPINNED = 0, 1, 2, 3
STATUS_WORDS = {
    EXIT_OK: "ok",
    EXIT_VULNERABLE: "vulnerable",
    EXIT_UNCHECKED: "unchecked",
    EXIT_UNPINNED: "unpinned",
}

_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*"
_PINNED = re.compile(rf"^(?P<name>{_NAME})(?:\[[^\]]*\])?==(?P<version>[^\s;\\]+)(?:\s*;[^\\]*)?$")
_HASH = re.compile(r"^--hash=sha256:[0-9a-f]{64}$")


def canonical_name(name: str) -> str:
    """PEP 503 normalisation, as pip-audit reports names."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Requirement:
    name: str
    version: str
    hashes: list[str]
    source: str


@dataclass
class LockProblem:
    source: str
    text: str
    reason: str


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Join backslash continuations and drop comments; returns (first line number, text)."""
    result: list[tuple[int, str]] = []
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0] if not raw.lstrip().startswith("#") else ""
        stripped = line.strip()
        if not buffer:
            start = number
        if stripped.endswith("\\"):
            buffer.append(stripped[:-1].strip())
            continue
        buffer.append(stripped)
        joined = " ".join(part for part in buffer if part)
        buffer = []
        if joined:
            result.append((start, joined))
    if buffer and any(buffer):
        result.append((start, " ".join(part for part in buffer if part)))
    return result


def parse_lock(path: Path) -> tuple[list[Requirement], list[LockProblem]]:
    """Every requirement must be `name==version` followed by sha256 hashes, nothing else."""
    requirements: list[Requirement] = []
    problems: list[LockProblem] = []
    for number, line in logical_lines(path.read_text(encoding="utf-8")):
        where = f"{path.name}:{number}"
        tokens = line.split()
        spec_tokens = [t for t in tokens if not t.startswith("--")]
        options = [t for t in tokens if t.startswith("--")]
        spec = " ".join(spec_tokens)
        match = _PINNED.match(spec)
        if not match:
            problems.append(LockProblem(where, line[:120], "not pinned with =="))
            continue
        bad_options = [o for o in options if not _HASH.match(o)]
        hashes = [o for o in options if _HASH.match(o)]
        if bad_options:
            problems.append(LockProblem(where, line[:120], f"unexpected option {bad_options[0]}"))
            continue
        if not hashes:
            problems.append(LockProblem(where, line[:120], "no --hash=sha256:"))
            continue
        requirements.append(
            Requirement(canonical_name(match["name"]), match["version"], hashes, where)
        )
    if not requirements and not problems:
        problems.append(LockProblem(path.name, "", "no requirements at all"))
    return requirements, problems


def load_ignore_list(path: Path) -> dict[str, str]:
    """`VULN-ID  reason…` per line; `#` starts a comment. An id without a reason is an error."""
    ignored: dict[str, str] = {}
    if not path.exists():
        return ignored
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        vuln_id, _sep, reason = line.partition(" ")
        reason = reason.strip().lstrip("#").strip()
        if not reason:
            raise SystemExit(
                f"{path.name}:{number}: {vuln_id} is ignored without a reason; add one after the id."
            )
        ignored[vuln_id] = reason
    return ignored


@dataclass
class Verdict:
    checked: dict[str, str] = field(default_factory=dict)  # name -> service that checked it
    unchecked: dict[str, str] = field(default_factory=dict)  # name -> why
    vulnerabilities: list[dict[str, object]] = field(default_factory=list)
    ignored: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one line per service run


def evaluate(
    pinned: dict[str, str],
    reports: list[tuple[str, dict[str, object] | None, str]],
    ignore: dict[str, str],
) -> Verdict:
    """Merge pip-audit JSON reports (service, json or None, error text) against the pins.

    A package counts as checked only when some report lists it, with the pinned version and
    without a skip reason. Vulnerabilities are collected from every report that checked it.
    """
    verdict = Verdict()
    seen_vulns: set[tuple[str, str]] = set()
    why: dict[str, list[str]] = {name: [] for name in pinned}
    for service, report, error in reports:
        if report is None:
            for name in pinned:
                why[name].append(f"{service}: no report")
            verdict.notes.append(f"{service}: no report: {error or 'unknown error'}")
            continue
        problems_here: list[str] = []
        dependencies = report.get("dependencies")
        listed: dict[str, dict[str, object]] = {}
        if isinstance(dependencies, list):
            for entry in dependencies:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    listed[canonical_name(str(entry["name"]))] = entry
        for name, version in pinned.items():
            entry = listed.get(name)
            if entry is None:
                problem = f"{service}: missing from the report"
            elif entry.get("skip_reason"):
                problem = f"{service}: skipped: {entry['skip_reason']}"
            elif str(entry.get("version")) != version:
                problem = f"{service}: reported version {entry.get('version')}"
            else:
                problem = ""
            if problem:
                why[name].append(problem)
                problems_here.append(problem)
                continue
            verdict.checked.setdefault(name, service)
            vulns = entry.get("vulns") or []
            for vuln in vulns if isinstance(vulns, list) else []:
                vuln_id = str(vuln.get("id"))
                aliases = [str(a) for a in vuln.get("aliases") or []]
                key = (name, vuln_id)
                if key in seen_vulns or any((name, a) in seen_vulns for a in aliases):
                    continue
                seen_vulns.add(key)
                item = {
                    "package": name,
                    "version": version,
                    "id": vuln_id,
                    "aliases": aliases,
                    "fix_versions": vuln.get("fix_versions") or [],
                }
                if vuln_id in ignore or any(a in ignore for a in aliases):
                    verdict.ignored.append(item)
                else:
                    verdict.vulnerabilities.append(item)
        checked_here = len(pinned) - len(problems_here)
        example = f" (e.g. {problems_here[0]})" if problems_here else ""
        verdict.notes.append(
            f"{service}: {checked_here} checked, {len(problems_here)} not checked{example}"
        )
    for name in pinned:
        if name not in verdict.checked:
            verdict.unchecked[name] = "; ".join(why[name]) or "not reported"
    return verdict


def run_pip_audit(
    service: str, lock_files: list[Path], *, timeout: int, cache_dir: str | None
) -> tuple[dict[str, object] | None, str]:
    with tempfile.TemporaryDirectory(prefix="aduan-audit-") as tmp:
        output = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "pip_audit"]
        for lock in lock_files:
            command += ["-r", str(lock)]
        command += [
            "--require-hashes",
            "--disable-pip",
            "--vulnerability-service",
            service,
            "--format",
            "json",
            "--progress-spinner",
            "off",
            "--timeout",
            str(timeout),
            "--output",
            str(output),
        ]
        if cache_dir:
            command += ["--cache-dir", cache_dir]
        try:
            completed = subprocess.run(  # noqa: S603 - fixed command, no shell
                command, capture_output=True, text=True, timeout=max(120, timeout * 20)
            )
        except subprocess.TimeoutExpired:
            return None, "pip-audit did not finish in time"
        if not output.exists():
            tail = (completed.stderr or completed.stdout).strip().splitlines()[-1:] or [""]
            return None, f"pip-audit exited {completed.returncode} without a report: {tail[0]}"
        try:
            return json.loads(output.read_text(encoding="utf-8")), ""
        except json.JSONDecodeError as exc:
            return None, f"pip-audit wrote an unreadable report: {exc}"


def pypi_latest_report(
    pinned: dict[str, str], *, timeout: int
) -> tuple[dict[str, object] | None, str]:
    """A pip-audit-shaped report from https://pypi.org/pypi/<name>/json (PyPI's OSV-backed
    vulnerabilities of the latest release). A pin that is not the latest release is skipped."""
    import urllib.error
    import urllib.request

    dependencies: list[dict[str, object]] = []
    failures = 0
    for name, version in sorted(pinned.items()):
        url = f"https://pypi.org/pypi/{name}/json"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                data = json.load(response)
        except (urllib.error.URLError, TimeoutError, OSError, json.JSONDecodeError) as exc:
            failures += 1
            dependencies.append(
                {"name": name, "version": version, "skip_reason": f"PyPI JSON: {exc}"}
            )
            continue
        latest = str(data.get("info", {}).get("version", ""))
        vulns = data.get("vulnerabilities")
        if latest != version:
            reason = f"pinned {version} is not the latest release {latest}; PyPI lists vulnerabilities of the latest only"
            dependencies.append({"name": name, "version": version, "skip_reason": reason})
        elif not isinstance(vulns, list):
            dependencies.append(
                {"name": name, "version": version, "skip_reason": "no vulnerabilities field"}
            )
        else:
            dependencies.append(
                {
                    "name": name,
                    "version": version,
                    "vulns": [
                        {
                            "id": v.get("id"),
                            "aliases": v.get("aliases") or [],
                            "fix_versions": v.get("fixed_in") or [],
                        }
                        for v in vulns
                        if isinstance(v, dict) and not v.get("withdrawn")
                    ],
                }
            )
    if failures == len(pinned):
        return None, "PyPI's JSON API is unreachable"
    return {"dependencies": dependencies}, ""


def banner(lines: list[str]) -> None:
    width = max(len(line) for line in lines) + 4
    print("!" * width, file=sys.stderr)
    for line in lines:
        print(f"! {line}", file=sys.stderr)
    print("!" * width, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", action="append", type=Path, help="lock file (repeatable)")
    parser.add_argument(
        "--service", action="append", choices=SERVICES, help="vulnerability service, in order"
    )
    parser.add_argument("--timeout", type=int, default=15, help="socket timeout per request (s)")
    parser.add_argument("--cache-dir", default=None, help="pip-audit's HTTP cache directory")
    parser.add_argument("--ignore-file", type=Path, default=IGNORE_FILE)
    parser.add_argument("--pins-only", action="store_true", help="only check pins and hashes")
    parser.add_argument(
        "--status-file",
        default=os.environ.get("ADUAN_AUDIT_STATUS_FILE") or None,
        help="write ok|vulnerable|unchecked|unpinned here",
    )
    args = parser.parse_args(argv)
    code = _main(args)
    if args.status_file:
        Path(args.status_file).write_text(STATUS_WORDS[code] + "\n", encoding="utf-8")
    return code


def _main(args: argparse.Namespace) -> int:
    lock_files: list[Path] = args.lock or LOCK_FILES
    pinned: dict[str, str] = {}
    problems: list[LockProblem] = []
    for lock in lock_files:
        requirements, lock_problems = parse_lock(lock)
        problems += lock_problems
        for req in requirements:
            if pinned.get(req.name, req.version) != req.version:
                problems.append(
                    LockProblem(req.source, req.name, f"pinned to {pinned[req.name]} elsewhere")
                )
            pinned[req.name] = req.version
    if problems:
        banner(["LOCK FILES ARE NOT FULLY PINNED WITH HASHES (S20)"])
        for problem in problems:
            print(f"  {problem.source}: {problem.reason}: {problem.text}", file=sys.stderr)
        return EXIT_UNPINNED
    print(f"{len(pinned)} pinned packages with hashes in {', '.join(p.name for p in lock_files)}")
    if args.pins_only:
        return EXIT_OK

    ignore = load_ignore_list(args.ignore_file)
    reports: list[tuple[str, dict[str, object] | None, str]] = []
    verdict = Verdict()
    for service in args.service or list(SERVICES):
        if service == "pypi-latest":
            report, error = pypi_latest_report(
                {name: pinned[name] for name in verdict.unchecked} if verdict.unchecked else pinned,
                timeout=args.timeout,
            )
        else:
            report, error = run_pip_audit(
                service, lock_files, timeout=args.timeout, cache_dir=args.cache_dir
            )
        reports.append((service, report, error))
        verdict = evaluate(pinned, reports, ignore)
        done = len(pinned) - len(verdict.unchecked)
        print(f"pip-audit via {service}: {done}/{len(pinned)} packages checked so far")
        if not verdict.unchecked:
            break

    for item in verdict.ignored:
        print(
            f"ignored {item['id']} in {item['package']} {item['version']}: "
            f"{ignore.get(str(item['id']), 'alias listed in ' + args.ignore_file.name)}"
        )
    if verdict.vulnerabilities:
        banner([f"{len(verdict.vulnerabilities)} KNOWN VULNERABILITIES IN PINNED PACKAGES (S20)"])
        for item in verdict.vulnerabilities:
            fixes = ", ".join(map(str, item["fix_versions"])) or "no fix yet"
            aliases = ", ".join(map(str, item["aliases"]))
            print(
                f"  {item['package']}=={item['version']}: {item['id']} ({aliases}) fixed in: {fixes}",
                file=sys.stderr,
            )
    if verdict.unchecked:
        banner(
            [
                f"COULD NOT CHECK {len(verdict.unchecked)} OF {len(pinned)} PINNED PACKAGES (S20)",
                "pip-audit reports these as skipped, so its 'No known vulnerabilities' means nothing.",
                "Is the vulnerability service reachable (PyPI JSON API, OSV)?",
            ]
        )
        for note in verdict.notes:
            print(f"  {note}", file=sys.stderr)
        names = " ".join(f"{name}=={pinned[name]}" for name in sorted(verdict.unchecked))
        print(
            textwrap.fill(
                f"Not checked: {names}", width=100, subsequent_indent="  ", break_on_hyphens=False
            ),
            file=sys.stderr,
        )
    if verdict.vulnerabilities:
        return EXIT_VULNERABLE
    if verdict.unchecked:
        return EXIT_UNCHECKED
    print(f"OK: all {len(pinned)} pinned packages checked, no known vulnerabilities.")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
