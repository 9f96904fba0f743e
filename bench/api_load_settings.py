"""Settings for bench/api_load.py's gunicorn: config.settings.base with the REST API's
submissions-per-IP limit lifted, because every request of the load comes from one loopback
address (the Open311 limit is per key: the benchmark raises the demo key's rate instead)."""

from config.settings.base import *  # noqa: F403

ADUAN_API_SUBMIT_LIMIT = 10**9
