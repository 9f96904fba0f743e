from django.conf import settings
from django.http import HttpRequest


def deployment(request: HttpRequest) -> dict[str, object]:
    return {"pemda_name": settings.ADUAN_PEMDA_NAME, "demo_mode": settings.ADUAN_DEMO}
