from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .ratelimit import purge_expired


@db_periodic_task(crontab(minute="17"))
def ratelimit_purge() -> int:
    """Hourly: drop the counters of ended rate-limit windows."""
    return purge_expired()
