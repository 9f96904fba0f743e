from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaporConfig(AppConfig):
    name = "aduan.integrations.lapor"
    label = "lapor"
    verbose_name = _("National LAPOR!-SP4N connector")

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401 - registers the check and the event hook
        from .messages import register_messages

        register_messages()
