"""`manage.py channels_check`: each configured channel registers a connection check here.

A check returns a short, human sentence on success and raises on failure; a channel that is
switched off is not registered (or returns None to say "not configured").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

ChannelCheck = Callable[[], "str | None"]

_CHECKS: dict[str, ChannelCheck] = {}


def register_check(channel: str) -> Callable[[ChannelCheck], ChannelCheck]:
    def decorate(func: ChannelCheck) -> ChannelCheck:
        _CHECKS[channel] = func
        return func

    return decorate


def registered_checks() -> dict[str, ChannelCheck]:
    return dict(_CHECKS)


def messenger_settings_problems(channel: str, required: Iterable[str]) -> list[CheckMessage]:
    """The settings check of an enabled messenger channel: each `required` setting is set
    (`<channel>.E001`), and its API URL is HTTPS outside DEBUG (`<channel>.W001`), as the token
    travels with every request."""
    prefix = f"ADUAN_{channel.upper()}"
    problems: list[CheckMessage] = []
    for name in required:
        if not getattr(settings, name, ""):
            problems.append(
                Error(f"{prefix}_ENABLED is on but {name} is empty.", id=f"{channel}.E001")
            )
    if not getattr(settings, f"{prefix}_API_URL").startswith("https://") and not settings.DEBUG:
        problems.append(
            Warning(
                f"{prefix}_API_URL is not HTTPS: the token would travel in clear.",
                id=f"{channel}.W001",
            )
        )
    return problems
