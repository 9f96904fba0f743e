"""`manage.py channels_check`: each configured channel registers a connection check here.

A check returns a short, human sentence on success and raises on failure; a channel that is
switched off is not registered (or returns None to say "not configured").
"""

from __future__ import annotations

from collections.abc import Callable

ChannelCheck = Callable[[], "str | None"]

_CHECKS: dict[str, ChannelCheck] = {}


def register_check(channel: str) -> Callable[[ChannelCheck], ChannelCheck]:
    def decorate(func: ChannelCheck) -> ChannelCheck:
        _CHECKS[channel] = func
        return func

    return decorate


def registered_checks() -> dict[str, ChannelCheck]:
    return dict(_CHECKS)
