from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def not_yet(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
