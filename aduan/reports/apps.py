from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "aduan.reports"
    label = "reports"
    verbose_name = _("Monitoring and reports")
