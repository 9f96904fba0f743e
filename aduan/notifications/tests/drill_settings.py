"""Settings for the worker-kill drill's Huey consumers: the embedded settings (DATABASE_URL and
REDIS_URL from the environment) with every channel sent through the slow drill sender."""

from config.settings.base import *  # noqa: F403

ADUAN_SENDERS = dict.fromkeys(
    ("email", "sms", "whatsapp", "telegram", "console"),
    "aduan.notifications.tests.drill_sender.SlowDrillSender",
)
