"""`/api/v1/`: the REST API (django-ninja). One NinjaAPI; routers per audience:
public (`public.py`), complainant with the secret token (`complainant.py`), staff (`staff.py`),
integrators (`integrators.py`). Conventions (errors, ETag, idempotency, pagination) live in
`conventions.py` and `problems.py`. Versioning policy: docs/api.md."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from aduan.core.exceptions import ApplicationError, PermissionDenied

from . import complainant, integrators, public, staff
from .conventions import AduanAPI, RateLimited, rate_limited_response, status_for
from .problems import problem

api = AduanAPI(
    title="Aduan API",
    version="1",
    description="The REST API of Aduan (LAPOR!-SP4N for regional governments). See docs/api.md.",
    urls_namespace="api-v1",
    docs_url="/docs" if getattr(settings, "ADUAN_API_DOCS", True) else None,
)


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return problem(
        request,
        status=status_for(exc),
        code=exc.code or "invalid",
        detail=str(exc.message),
        **(exc.extra or {}),
    )


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(request, status=403, code=exc.code or "forbidden", detail=str(exc.message))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, status=404, code="not_found", detail=_("Not found."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        request, status=401, code="unauthenticated", detail=_("Valid credentials are required.")
    )


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return problem(
        request,
        status=422,
        code="validation_error",
        detail=_("The request is not valid."),
        errors=[
            {"loc": [str(p) for p in e.get("loc", [])], "msg": str(e.get("msg", ""))}
            for e in exc.errors
        ],
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return problem(
            request,
            status=400,
            code="malformed_body",
            detail=_("The request body is not valid JSON."),
        )
    return problem(request, status=exc.status_code, code="http_error", detail=str(exc))


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    return rate_limited_response(request, exc.verdict)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem(
        request,
        status=413,
        code="too_large",
        detail=_("The request is too large."),
    )


api.add_router("/", public.router)
api.add_router("/", complainant.router)
api.add_router("/staff/", staff.router)
api.add_router("/integrators/", integrators.router)
api.register_schema(public.ComplaintIn)  # read by hand (JSON or multipart): described here
