"""Conventions every `/api/v1/` endpoint follows (docs/api.md, "Conventions").

- Errors: RFC 9457 problem+json (`problems.problem`); the status of a domain refusal comes from
  its stable code (`status_for`), e.g. `idempotency_key_reused` → 409. Declare them in OpenAPI
  with `errors(400, 404, ...)` (each with the `Problem` schema).
- Caching: `@decorate_view(etag)` gives a GET a weak ETag computed from the serialized body and
  answers 304 to a matching `If-None-Match`; `etag_response(request, payload)` does the same
  for a payload built by hand.
- Idempotent POST: `idempotency_key(request)` reads and checks the `Idempotency-Key` header;
  pass it to `complaint_submit(..., idempotency_key=key, idempotency_source="api")`.
- Pagination: `cursor_page(request, queryset, ...)` — keyset pagination over (sort key, pk)
  with an opaque signed cursor, `limit` ≤ 100, and the URL of the next page.
- Rate limits: `enforce(limit, key)` raises `RateLimited`, answered 429 problem + Retry-After.
- Times: ISO 8601 with the offset of the regency's time zone (`Moment`, Asia/Makassar,
  `+08:00`); a client may compare them as instants.
- Language: `detail` follows Accept-Language (LocaleMiddleware; Indonesian by default).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Annotated, Any, Generic, TypeVar

from django.core import signing
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel, PlainSerializer, WithJsonSchema

from aduan.core.exceptions import ApplicationError
from aduan.core.ratelimit import Limit, Verdict, hit

from .problems import PROBLEM_JSON, problem

__all__ = [
    "CONFLICT_CODES",
    "MAX_LIMIT",
    "AduanAPI",
    "CursorPage",
    "Moment",
    "Page",
    "Problem",
    "RateLimited",
    "cursor_page",
    "enforce",
    "errors",
    "etag",
    "etag_response",
    "idempotency_key",
    "link_header",
    "local_iso",
    "rate_limited_response",
    "status_for",
]


# --- problem+json ------------------------------------------------------------------------------


class Problem(Schema):
    """An error (RFC 9457). `code` is stable; `detail` is in the caller's language."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    field: str | None = None
    errors: list[dict[str, Any]] | None = None


def errors(*statuses: int) -> dict[int, type[Problem]]:
    """`response={200: X, **errors(400, 404, 429)}`: each error status described by `Problem`."""
    return dict.fromkeys(statuses, Problem)


# Domain refusals that mean "the resource's current state does not allow this" → 409 Conflict.
CONFLICT_CODES = frozenset(
    {
        "idempotency_key_reused",
        "invalid_state",
        "window_closed",
        "already_rated",
        "closed",
        "not_due",
    }
)


def status_for(exc: ApplicationError) -> int:
    """The HTTP status of a domain refusal (400 unless its code says otherwise)."""
    return 409 if exc.code in CONFLICT_CODES else 400


class AduanAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document tells the truth about errors: every response described
    by `Problem` is served as `application/problem+json`, and request schemas that operations
    read by hand (`register_schema`) appear in `components.schemas`."""

    extra_schemas: list[type[BaseModel]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_schemas = []

    def register_schema(self, model: type[BaseModel]) -> None:
        if model not in self.extra_schemas:
            self.extra_schemas.append(model)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in self.extra_schemas:
            generated = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in generated.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components.setdefault(model.__name__, generated)
        problem_ref = "#/components/schemas/Problem"
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for response in operation.get("responses", {}).values():
                    content = response.get("content", {})
                    body = content.get("application/json")
                    if body is not None and body.get("schema", {}).get("$ref") == problem_ref:
                        content[PROBLEM_JSON] = content.pop("application/json")
        return schema


# --- times ---------------------------------------------------------------------------------------


def local_iso(moment: dt.datetime | None) -> str | None:
    """ISO 8601 with the regency's offset, e.g. `2026-06-16T15:00:00+08:00`."""
    if moment is None:
        return None
    return timezone.localtime(moment, timezone.get_default_timezone()).isoformat()


# A datetime field serialized as ISO 8601 in Asia/Makassar with its offset.
Moment = Annotated[
    dt.datetime,
    PlainSerializer(lambda d: local_iso(d), return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


# --- ETag / 304 ---------------------------------------------------------------------------------


def _weak_etag(content: bytes) -> str:
    return 'W/"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _matches(request: HttpRequest, tag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    if header.strip() == "*":
        return True
    opaque = tag.removeprefix("W/")
    return any(c.strip().removeprefix("W/") == opaque for c in header.split(","))


def _with_etag(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if getattr(response, "streaming", False):
        return response
    tag = _weak_etag(response.content)
    if _matches(request, tag):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = tag
        for name in ("Cache-Control", "Vary", "Content-Language"):
            if response.has_header(name):
                not_modified[name] = response[name]
        return not_modified
    response["ETag"] = tag
    return response


def _serialize(payload: Any) -> Any:
    if isinstance(payload, BaseModel):
        return payload.model_dump(mode="json", by_alias=True)
    if isinstance(payload, list | tuple):
        return [_serialize(item) for item in payload]
    return payload


def etag_response(request: HttpRequest, payload: Any, *, status: int = 200) -> HttpResponse:
    """A JSON response for `payload` (a schema, a list of them, plain data, or a ready
    HttpResponse) with a weak ETag; 304 to a matching If-None-Match on GET/HEAD."""
    if isinstance(payload, HttpResponse):
        return _with_etag(request, payload)
    response = JsonResponse(
        _serialize(payload), status=status, safe=False, encoder=NinjaJSONEncoder
    )
    return _with_etag(request, response)


def etag(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For `@decorate_view(etag)` on a ninja GET operation (or any Django view)."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = run(request, *args, **kwargs)
        if isinstance(response, HttpResponse):
            response = _with_etag(request, response)
            if response.status_code in (200, 304):
                response.headers.setdefault("Vary", "Accept-Language")
        return response

    return wrapper


# --- idempotency -----------------------------------------------------------------------------

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 200


def idempotency_key(request: HttpRequest) -> str:
    """The `Idempotency-Key` header ('' when absent). A key is 1 to 200 visible ASCII characters;
    anything else is refused (400 `invalid_idempotency_key`) before anything is stored."""
    raw = request.headers.get(IDEMPOTENCY_HEADER)
    if raw is None:
        return ""
    key = raw.strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX or not all(33 <= ord(c) < 127 for c in key):
        raise ApplicationError(
            _("The Idempotency-Key header must be 1 to 200 visible ASCII characters."),
            code="invalid_idempotency_key",
            extra={"field": IDEMPOTENCY_HEADER},
        )
    return key


# --- rate limits ----------------------------------------------------------------------------


class RateLimited(Exception):
    """Too many requests: answered 429 problem+json with Retry-After (S7)."""

    def __init__(self, verdict: Verdict):
        super().__init__("rate limited")
        self.verdict = verdict


def enforce(limit: Limit, key: str) -> None:
    """Count one hit; raise `RateLimited` past the limit."""
    verdict = hit(limit, key)
    if not verdict.allowed:
        raise RateLimited(verdict)


def rate_limited_response(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    minutes = max(1, -(-verdict.retry_after // 60))
    return problem(
        request,
        status=429,
        code="rate_limited",
        detail=_("Too many requests. Try again in %(minutes)s minutes.") % {"minutes": minutes},
        headers={"Retry-After": str(verdict.retry_after), "Cache-Control": "no-store"},
        retry_after=verdict.retry_after,
    )


# --- cursor pagination ------------------------------------------------------------------------

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
_CURSOR_SALT = "aduan.api.cursor.v1"

T = TypeVar("T")


class Page(Schema, Generic[T]):
    """One page of a list; `next` is the URL of the following page, or null at the end."""

    items: list[T]
    next: str | None = None


@dataclass(frozen=True)
class CursorPage:
    items: list[Any]
    next: str | None
    next_cursor: str | None


def _encode_value(value: Any) -> list[Any]:
    if isinstance(value, dt.datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, dt.date):
        return ["d", value.isoformat()]
    if isinstance(value, Decimal):
        return ["dec", str(value)]
    return ["v", value]


def _decode_value(encoded: Any) -> Any:
    kind, raw = encoded
    if kind == "dt":
        return dt.datetime.fromisoformat(raw)
    if kind == "d":
        return dt.date.fromisoformat(raw)
    if kind == "dec":
        return Decimal(raw)
    return raw


def _bad_cursor() -> ApplicationError:
    return ApplicationError(
        _("The cursor is not valid; start again from the first page."),
        code="invalid_cursor",
        extra={"field": "cursor"},
    )


def _bad_limit() -> ApplicationError:
    return ApplicationError(
        _("The limit must be between 1 and %(max)s.") % {"max": MAX_LIMIT},
        code="invalid_limit",
        extra={"field": "limit"},
    )


def cursor_page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    key: str = "created_at",
    descending: bool = True,
    limit: int | None = None,
    cursor: str | None = None,
    scope: str = "",
) -> CursorPage:
    """Keyset pagination over (`key`, pk). `cursor` and `limit` default to the query string's
    `cursor` and `limit`. The cursor is signed (tamper → 400 `invalid_cursor`) and bound to
    `scope` (use the endpoint's name) so a cursor of one list is refused by another."""
    if limit is None:
        raw_limit = request.GET.get("limit")
        try:
            limit = int(raw_limit) if raw_limit not in (None, "") else DEFAULT_LIMIT
        except ValueError:
            raise _bad_limit() from None
    if not 1 <= limit <= MAX_LIMIT:
        raise _bad_limit()
    if cursor is None:
        cursor = request.GET.get("cursor") or None
    order = (f"-{key}", "-pk") if descending else (key, "pk")
    qs = queryset.order_by(*order)
    if cursor:
        try:
            data = signing.loads(cursor, salt=_CURSOR_SALT)
            if not isinstance(data, dict) or data.get("s") != scope:
                raise ValueError("scope")
            after_value = _decode_value(data["k"])
            after_pk = data["p"]
        except (signing.BadSignature, ValueError, KeyError, TypeError):
            raise _bad_cursor() from None
        if descending:
            qs = qs.filter(
                Q(**{f"{key}__lt": after_value}) | Q(**{key: after_value, "pk__lt": after_pk})
            )
        else:
            qs = qs.filter(
                Q(**{f"{key}__gt": after_value}) | Q(**{key: after_value, "pk__gt": after_pk})
            )
    rows = list(qs[: limit + 1])
    items, more = rows[:limit], len(rows) > limit
    next_cursor = next_url = None
    if more and items:
        last = items[-1]
        value = last[key] if isinstance(last, dict) else getattr(last, key)
        last_pk = last["pk"] if isinstance(last, dict) else last.pk
        next_cursor = signing.dumps(
            {"s": scope, "k": _encode_value(value), "p": last_pk}, salt=_CURSOR_SALT, compress=True
        )
        params = request.GET.copy()
        params["cursor"] = next_cursor
        params["limit"] = str(limit)
        next_url = request.build_absolute_uri(request.path) + "?" + params.urlencode()
    return CursorPage(items=items, next=next_url, next_cursor=next_cursor)


def link_header(page: CursorPage) -> str:
    """An RFC 8288 `Link: <…>; rel="next"` header value ('' at the end)."""
    return f'<{page.next}>; rel="next"' if page.next else ""
