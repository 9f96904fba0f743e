"""A throwaway dovecot (Debian's dovecot-imapd) on a free loopback port, for the tests and
bench/email_imap.py.

Its passdb takes any user name with one password and its userdb gives every user their own
maildir, so each test logs in as a fresh user and gets an empty mailbox. dovecot refuses uid 0
for mail, so as root the mail belongs to the `dovecot` system user. No TLS (loopback only), no
auth penalty (tests fail logins on purpose), everything under one temporary directory that is
removed at the end.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess  # nosec B404 - starts our own dovecot
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from imap_tools import MailBoxUnencrypted

DOVECOT = "/usr/sbin/dovecot"
PASSWORD = "rahasia-uji"


class DovecotFailed(RuntimeError):
    """dovecot is missing or did not start; the message carries its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Dovecot:
    host: str
    port: int
    root: Path

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else "(no log)"


def _mail_owner() -> tuple[int, int, str]:
    if os.getuid() != 0:
        user = pwd.getpwuid(os.getuid())
        return user.pw_uid, user.pw_gid, user.pw_name
    user = pwd.getpwnam("dovecot")
    return user.pw_uid, user.pw_gid, ""


def _config(root: Path, port: int) -> str:
    uid, gid, own_user = _mail_owner()
    # Not root: dovecot's login and internal processes run as ourselves.
    users = (
        f"default_login_user = {own_user}\ndefault_internal_user = {own_user}\n" if own_user else ""
    )
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
first_valid_uid = {min(uid, 100)}
first_valid_gid = {min(gid, 100)}
mail_location = maildir:{root}/mail/%u
mail_max_userip_connections = 100
# A throwaway mailbox: no fsync (the tests and the benchmark measure Aduan, not the disk).
mail_fsync = never
{users}
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
# No growing delay after the failed logins a test makes on purpose (dovecot's auth penalty).
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@contextmanager
def dovecot_server() -> Iterator[Dovecot]:
    if not os.path.exists(DOVECOT):
        raise DovecotFailed(
            f"{DOVECOT} is missing: run scripts/ensure_test_tools.sh (make test does)"
        )
    root = Path(tempfile.mkdtemp(prefix="aduan-dovecot-"))
    root.chmod(0o755)  # the mail user (not root) walks into it
    uid, gid, _own = _mail_owner()
    for sub in ("mail", "home"):
        (root / sub).mkdir()
        os.chown(root / sub, uid, gid)
    port = free_port()
    (root / "dovecot.conf").write_text(_config(root, port))
    server = Dovecot("127.0.0.1", port, root)
    process = subprocess.Popen(  # noqa: S603  # nosec B603 - fixed argv, our own config
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise DovecotFailed(
                    f"dovecot exited ({process.returncode}):\n{output}\n{server.log()}"
                )
            try:
                with MailBoxUnencrypted(server.host, port, timeout=2).login("probe", PASSWORD):
                    break
            except Exception as exc:
                if time.monotonic() > deadline:
                    raise DovecotFailed(
                        f"dovecot did not answer on {port}: {exc!r}\n{server.log()}"
                    ) from exc
                time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
        shutil.rmtree(root, ignore_errors=True)
