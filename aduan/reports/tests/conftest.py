"""Fixtures shared by the reports tests."""

from aduan.complaints.tests.factories import ref

__all__ = ["ref"]
