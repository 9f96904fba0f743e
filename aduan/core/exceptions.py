"""Domain errors. Services and transitions raise these, never HTTP errors (STYLE.md)."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A request the domain refuses, with a translated message for the user.

    `code` is stable (APIs map it to problem+json); `message` is already translated.
    """

    def __init__(self, message: str, *, code: str = "invalid", extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}


class PermissionDenied(ApplicationError):
    """The actor's role or agency does not allow this action on this object."""

    def __init__(
        self, message: str, *, code: str = "forbidden", extra: dict[str, Any] | None = None
    ):
        super().__init__(message, code=code, extra=extra)
