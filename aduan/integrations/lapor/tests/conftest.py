"""Fixtures: the reference data and a running fake LAPOR! server the connector points at."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aduan.complaints.tests.factories import ref

from .fake_server import FakeLapor, running

__all__ = ["ref"]


@pytest.fixture
def fake_lapor(settings) -> Iterator[FakeLapor]:  # type: ignore[no-untyped-def]
    with running() as fake:
        settings.ADUAN_LAPOR_ENABLED = True
        settings.ADUAN_LAPOR_URL = fake.url
        settings.ADUAN_LAPOR_TOKEN = fake.token
        settings.ADUAN_LAPOR_TIMEOUT = 0.5
        yield fake
