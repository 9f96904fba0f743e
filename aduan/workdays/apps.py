from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "aduan.workdays"
    label = "workdays"
