"""Test-suite wiring: a real PostgreSQL (default) or SQLite, never a silent skip.

- ADUAN_TEST_DB=postgres (default): tests need PostgreSQL at 127.0.0.1:5432; if it is down the
  run fails at the start with a clear message.
- ADUAN_TEST_DB=sqlite: tests marked `postgres` (row locks, concurrency, triggers) and `e2e`
  (the browser tests: what they check is the HTML and JavaScript, not the database) are
  deselected — they ran in the PostgreSQL run — and the number is printed.
"""

from __future__ import annotations

import os

import pytest

# The cheap reference-data fixture (`ref`) for every app's tests.
from aduan.complaints.tests.factories import ref  # noqa: F401

# Shared assertion helpers outside test_*.py files get pytest's detailed assert messages too.
pytest.register_assert_rewrite("aduan.intake.tests.messenger_support")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("ADUAN_TEST_DB", "postgres") != "sqlite":
        return
    selected, deselected = [], []
    for item in items:
        postgres_only = item.get_closest_marker("postgres") or item.get_closest_marker("e2e")
        (deselected if postgres_only else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


def pytest_report_header(config: pytest.Config) -> str:
    return f"aduan: database={os.environ.get('ADUAN_TEST_DB', 'postgres')}"


@pytest.fixture
def buton(db):  # type: ignore[no-untyped-def]
    """The Buton reference data (regions, agencies, categories, holidays, causes)."""
    from pathlib import Path

    from django.conf import settings

    from aduan.agencies.loader import load_reference_data
    from aduan.agencies.models import Agency

    if not Agency.objects.filter(code="diskominfo").exists():
        load_reference_data(Path(settings.BASE_DIR) / "data" / "buton")
    return Agency.objects.get(code="diskominfo")


# --- Browser tests (Playwright with Debian's chromium; never a downloaded browser) -----------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    """One headless Debian chromium per test worker. Missing chromium fails, never skips:
    `make test` installs it (scripts/ensure_test_tools.sh)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure_test_tools.sh (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium, live_server):  # type: ignore[no-untyped-def]
    """A page in a phone-sized browser (360x640, Indonesian) against the live server."""
    context = chromium.new_context(
        viewport={"width": 360, "height": 640},
        locale="id-ID",
        base_url=live_server.url,
        service_workers="block",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
