"""Lockout after repeated failures that holds under parallel attempts (S7, S14)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client

from aduan.audit.models import AuditEntry

from .accounts_support import (
    LOGIN,
    PASSWORD,
    VERIFY,
    code_for,
    english,
    enrol,
    make_staff,
    no_otp_throttle,
    password_step,
    wrong_code,
)

__all__ = ["no_otp_throttle"]
LOCKED = "Too many failed sign-in attempts"
T0 = dt.datetime(2026, 6, 9, 9, 0, 30, tzinfo=dt.UTC)  # early in a 15-minute window


@pytest.fixture
def at_t0(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.mark.django_db
def test_s7_five_failures_lock_the_account_even_for_the_right_password(client, at_t0):
    """S7: after five wrong passwords, the right one is refused for the window; the lockout
    writes one audit row (S14); after the window the right password works again."""
    user = make_staff()
    enrol(user)
    english(client)
    for _ in range(5):
        response = password_step(client, "admin1", "salah-sekali-123")
        assert LOCKED not in response.content.decode()
    response = password_step(client, "admin1")
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert SESSION_KEY not in client.session and VERIFY not in response.get("Location", "")
    password_step(client, "admin1")
    assert AuditEntry.objects.filter(action="auth.locked_out").count() == 1
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 5

    at_t0.move_to(T0 + dt.timedelta(minutes=15), tick=False)
    response = password_step(client, "admin1")
    assert response.status_code == 302 and response["Location"] == VERIFY


@pytest.mark.django_db
def test_s7_an_unknown_name_locks_the_same_way(client, at_t0):
    """S7: no enumeration through the lockout — unknown names lock after five failures too."""
    english(client)
    for _ in range(5):
        assert LOCKED not in password_step(client, "ghost", "x-1234567890").content.decode()
    assert LOCKED in password_step(client, "ghost", "x-1234567890").content.decode()


@pytest.mark.django_db
def test_s7_name_and_email_share_one_counter(client, at_t0):
    make_staff(email="admin1@pemda.test")
    english(client)
    for identifier in ["admin1", "ADMIN1@pemda.test", "admin1", "admin1@PEMDA.test", "admin1"]:
        password_step(client, identifier, "salah-sekali-123")
    assert LOCKED in password_step(client, "admin1@pemda.test").content.decode()


@pytest.mark.django_db
def test_s7_a_successful_password_gives_its_attempt_back(client, at_t0):
    user = make_staff()
    enrol(user)
    english(client)
    for _ in range(4):
        password_step(client, "admin1", "salah-sekali-123")
    assert password_step(client, "admin1")["Location"] == VERIFY
    assert LOCKED not in password_step(client, "admin1", "salah-123456789").content.decode()
    assert LOCKED in password_step(client, "admin1").content.decode()


@pytest.mark.django_db
def test_s7_too_many_attempts_from_one_address_get_429_with_retry_after(client, at_t0, settings):
    settings.ADUAN_LOGIN_FAILURES_PER_IP = 3
    for n in range(3):
        assert password_step(client, f"user{n}", "x-1234567890").status_code == 200
    response = password_step(client, "user9", "x-1234567890")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60 - 30
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert password_step(other, "user9", "x-1234567890").status_code == 200
    assert AuditEntry.objects.filter(action="auth.locked_out").count() == 1


@pytest.mark.django_db
def test_s7_five_wrong_codes_send_the_user_back_to_the_password(client, at_t0, no_otp_throttle):
    """S7: the code step has its own lockout; the half-done sign-in is dropped."""
    user = make_staff()
    device = enrol(user)
    english(client)
    password_step(client, "admin1")
    for _ in range(5):
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 200
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert SESSION_KEY not in client.session
    page = client.get(LOGIN).content.decode()
    assert "Too many wrong codes" in page
    assert client.get(VERIFY)["Location"].startswith(LOGIN)
    # The right password again does not reopen the code step within the window.
    password_step(client, "admin1")
    assert client.post(VERIFY, {"code": code_for(device)})["Location"] == LOGIN
    lock = AuditEntry.objects.get(action="auth.locked_out")
    assert lock.data["scope"] == "login-otp"
    assert AuditEntry.objects.filter(action="auth.otp_failed").count() == 5


def _parallel(n: int, work) -> list:
    results: list = []
    barrier = threading.Barrier(n)

    def worker(i: int) -> None:
        barrier.wait()
        try:
            results.append(work(i))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_s7_parallel_password_attempts_evaluate_at_most_five(at_t0):
    """S7: twenty wrong passwords at once on PostgreSQL: exactly five are checked (five
    failures logged), the fifteen others are refused as locked — then even the right password."""
    make_staff()

    def attempt(i: int) -> bool:
        client = english(Client(REMOTE_ADDR=f"10.0.0.{i}"))
        body = password_step(client, "admin1", f"wrong-password-{i}").content.decode()
        return LOCKED in body

    results = _parallel(20, attempt)
    assert sorted(results) == [False] * 5 + [True] * 15
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 5
    assert AuditEntry.objects.filter(action="auth.locked_out").count() == 1
    client = english(Client())
    assert LOCKED in password_step(client, "admin1", PASSWORD).content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_s7_parallel_wrong_codes_evaluate_at_most_five(settings, at_t0):
    """S7: ten sessions past the password send wrong codes at once: five are checked."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = make_staff()
    device = enrol(user)
    clients = [Client(REMOTE_ADDR=f"10.0.1.{i}") for i in range(10)]
    for client in clients:
        assert password_step(client, "admin1")["Location"] == VERIFY
    bad = wrong_code(device)

    def attempt(i: int) -> int:
        return clients[i].post(VERIFY, {"code": bad}).status_code

    results = _parallel(10, attempt)
    assert sorted(results) == [200] * 5 + [302] * 5
    assert AuditEntry.objects.filter(action="auth.otp_failed").count() == 5
