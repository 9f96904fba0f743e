"""Errors as RFC 9457 `application/problem+json`: a stable `code`, a `title`, and a `detail`
in the caller's language (Accept-Language: Indonesian by default, English)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

PROBLEM_JSON = "application/problem+json"


def problem(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    detail: str,
    title: str = "",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"https://aduan.example/problems/{code}",
        "title": title or code.replace("_", " "),
        "status": status,
        "code": code,
        "detail": detail,
        **extra,
    }
    response = JsonResponse(body, status=status, content_type=PROBLEM_JSON)
    response["Content-Language"] = getattr(request, "LANGUAGE_CODE", "id")
    for name, value in (headers or {}).items():
        response[name] = value
    return response
