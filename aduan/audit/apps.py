from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "aduan.audit"
    label = "audit"

    def ready(self) -> None:
        from . import signals  # noqa: F401
