import importlib
import importlib.util
import pkgutil

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "aduan.intake"
    label = "intake"

    def ready(self) -> None:
        # Each channel package (intake/<channel>/) registers its connection check in checks.py.
        for module in pkgutil.iter_modules(importlib.import_module(self.name).__path__):
            if module.ispkg and importlib.util.find_spec(f"{self.name}.{module.name}.checks"):
                importlib.import_module(f"{self.name}.{module.name}.checks")
