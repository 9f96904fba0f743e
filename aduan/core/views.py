from __future__ import annotations

import logging
import sys

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .outage import is_connection_failure

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 without touching the database: a plain translated page and Retry-After."""
    message = _(
        "The service is temporarily unavailable. Nothing you sent has been lost; please try again in a moment."
    )
    if "json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse({"status": 503, "detail": message}, status=503)
    else:
        response = HttpResponse(
            f"<!doctype html><html lang='id'><meta charset='utf-8'><title>503</title><p>{message}</p></html>",
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an unreachable database or queue outside a view is still a 503, not a 500."""
    _type, exc, _tb = sys.exc_info()
    if is_connection_failure(exc):
        return service_unavailable(request)
    return HttpResponse(
        "<!doctype html><html lang='id'><meta charset='utf-8'><title>500</title>"
        f"<p>{_('Something went wrong on our side. The error has been recorded.')}</p></html>",
        status=500,
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up. Touches nothing else."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """The database and the task queue answer. 503 with Retry-After otherwise (S15)."""
    from huey.contrib.djhuey import HUEY

    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        if not is_connection_failure(exc):
            raise
        logger.warning("readyz: database unreachable (%s)", type(exc).__name__)
        checks["database"] = "unavailable"
    try:
        HUEY.pending_count()
        checks["queue"] = "ok"
    except Exception as exc:
        if not is_connection_failure(exc):
            raise
        logger.warning("readyz: queue unreachable (%s)", type(exc).__name__)
        checks["queue"] = "unavailable"
    ready = all(value == "ok" for value in checks.values())
    response = JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
