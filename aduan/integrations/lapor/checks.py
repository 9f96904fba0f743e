from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("aduan")
def lapor_settings_check(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """An enabled connector needs its endpoint and token; the token travels only over HTTPS."""
    if not getattr(settings, "ADUAN_LAPOR_ENABLED", False):
        return []
    problems: list[Any] = []
    if not settings.ADUAN_LAPOR_TOKEN:
        problems.append(
            Error("ADUAN_LAPOR_ENABLED is on but ADUAN_LAPOR_TOKEN is empty.", id="lapor.E001")
        )
    url = settings.ADUAN_LAPOR_URL
    if not url.startswith(("https://", "http://")):
        problems.append(Error("ADUAN_LAPOR_URL must be an http(s) URL.", id="lapor.E002"))
    elif url.startswith("http://") and not settings.DEBUG:
        problems.append(
            Warning(
                "ADUAN_LAPOR_URL is not HTTPS: the token would travel in clear.", id="lapor.W001"
            )
        )
    if "lapor" not in settings.ADUAN_SENDERS:
        problems.append(
            Error("ADUAN_SENDERS has no sender for the 'lapor' channel.", id="lapor.E003")
        )
    return problems
