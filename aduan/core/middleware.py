from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from .outage import is_connection_failure
from .request_context import request_id
from .views import service_unavailable

logger = logging.getLogger(__name__)
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    """Gives every request an id (or keeps a well-formed X-Request-ID from the proxy).

    Logs and audit rows carry it, so one request can be followed through the system.
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = rid  # type: ignore[attr-defined]
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is larger than a form may be, before reading it (S10).

    `Content-Length` above `ADUAN_REQUEST_MAX_BYTES` (the upload limit plus a margin for the
    text fields) gets a translated 413 page at once: nothing of the body is read, parsed or
    spooled to disk. The reverse proxy should hold the same limit (nginx `client_max_body_size`);
    this is the application's own guard. A body without `Content-Length` (chunked) is never
    read by Django's WSGI handler, so it cannot smuggle a larger upload past this check.
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.ADUAN_REQUEST_MAX_BYTES:
            logger.info("request body refused: %s bytes declared", declared)
            return self.too_large(request)
        return self.get_response(request)

    @staticmethod
    def too_large(request: HttpRequest) -> HttpResponse:
        # LocaleMiddleware has not run yet: choose the language the same way it would.
        language = translation.get_language_from_request(request)
        with translation.override(language):
            limit_mb = settings.ADUAN_UPLOAD_MAX_TOTAL_BYTES // (1024 * 1024)
            if request.path.startswith(("/api/", "/open311/")):
                return RequestSizeLimitMiddleware._too_large_for_machines(request, limit_mb)
            html = render_to_string(
                "413.html",
                {
                    "limit_mb": limit_mb,
                    "max_files": settings.ADUAN_UPLOAD_MAX_FILES,
                    "pemda_name": settings.ADUAN_PEMDA_NAME,
                },
                request=request,
            )
        response = HttpResponse(html, status=413)
        response["Cache-Control"] = "no-store"
        response["Content-Language"] = language
        # This answer skips the inner middleware, so it carries their headers itself (S9).
        response["Content-Security-Policy"] = SecurityHeadersMiddleware.CSP
        response["X-Content-Type-Options"] = "nosniff"
        response["X-Frame-Options"] = "DENY"
        response["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY or "same-origin"
        # Ask the server to drop the connection rather than read the rest of the body. PEP 3333
        # forbids hop-by-hop headers and wsgiref (runserver, the live test server) asserts on
        # them, so the header is left out there; gunicorn and uvicorn accept it.
        if not request.META.get("SERVER_SOFTWARE", "").startswith("WSGIServer/"):
            response["Connection"] = "close"
        return response

    @staticmethod
    def _too_large_for_machines(request: HttpRequest, limit_mb: int) -> HttpResponse:
        """The API's own error format (problem+json) for a body refused before it is read."""
        import json

        detail = translation.gettext("The request is too large (at most %(mb)s MB).") % {
            "mb": limit_mb
        }
        body = {
            "type": "https://aduan.example/problems/request_too_large",
            "title": "request too large",
            "status": 413,
            "code": "request_too_large",
            "detail": detail,
        }
        response = HttpResponse(
            json.dumps(body), status=413, content_type="application/problem+json"
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ServiceUnavailableMiddleware:
    """A view that fails because the database or the queue is unreachable answers 503 (S15).

    Real errors (bad SQL, a statement timeout, a bug) are left alone and stay 500s.
    Failures outside views reach `handler500`, which makes the same distinction.
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_connection_failure(exception):
            logger.warning("service unavailable: %s", type(exception).__name__)
            return service_unavailable(request)
        return None


_TILE_HOST_RE = re.compile(r"^(\{s\}\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?$")


def map_tile_source(tile_url: str) -> str:
    """The CSP source (scheme, host, port) of a map tile URL template; "" when there is no map.

    `https://{s}.tile.example.org/{z}/{x}/{y}.png` (Leaflet's subdomains) gives
    `https://*.tile.example.org`. Anything that is not a plain http(s) origin is refused, so
    the setting can never add more than one origin to the policy.
    """
    if not tile_url:
        return ""
    parts = urlsplit(tile_url)
    netloc = parts.netloc
    if parts.scheme not in ("http", "https") or "@" in netloc or not _TILE_HOST_RE.match(netloc):
        raise ImproperlyConfigured(
            "ADUAN_MAP_TILE_URL must be an http(s) URL template such as "
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        )
    return f"{parts.scheme}://{netloc.replace('{s}.', '*.', 1)}"


@lru_cache(maxsize=4)
def content_security_policy(tile_url: str) -> str:
    """The policy of every page: `SecurityHeadersMiddleware.CSP`, with the map tile server's
    origin added to img-src when ADUAN_MAP_TILE_URL is set (computed once per value)."""
    source = map_tile_source(tile_url)
    if not source:
        return SecurityHeadersMiddleware.CSP
    return SecurityHeadersMiddleware.CSP.replace(
        "img-src 'self' data:", f"img-src 'self' data: {source}", 1
    )


class SecurityHeadersMiddleware:
    """Headers every response carries (S9). Pages that hold private data add `no-store` themselves."""

    CSP = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )

    def __init__(self, get_response: Handler):
        self.get_response = get_response
        content_security_policy(settings.ADUAN_MAP_TILE_URL)  # a bad tile URL fails at start

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        csp = content_security_policy(settings.ADUAN_MAP_TILE_URL)
        if request.path.startswith("/admin/"):
            # Django's admin still uses inline scripts in a few widgets.
            response.setdefault(
                "Content-Security-Policy",
                csp.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
                    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
                ),
            )
        else:
            response.setdefault("Content-Security-Policy", csp)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.path.startswith(("/kantor/", "/admin/")):
            # Staff pages hold personal data: never stored by a browser or a proxy (S9), also
            # their error pages and redirects.
            add_never_cache_headers(response)
        return response
