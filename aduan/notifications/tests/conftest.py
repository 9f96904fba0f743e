"""Fixtures shared with the complaint tests."""

from aduan.complaints.tests.factories import ref

__all__ = ["ref"]
