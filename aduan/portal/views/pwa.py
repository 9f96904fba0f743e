"""The installable app (Pasal 6(2)c): web app manifest, service worker, offline page, the texts
the app's script shows, and "my reports on this device".

The service worker is a template rendered with its configuration (the app shell's URLs and a
version). The version is a hash of the project's static files, the compiled translations, the
worker's own template and the optional ADUAN_PWA_VERSION setting: a deploy that changes any of
them changes the worker, which then replaces its cache.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

SW_TEMPLATE = "portal/sw.js"
# The app shell: cached when the worker installs, so the form and the offline page open offline.
SHELL_STATIC = (
    "css/aduan.css",
    "css/pwa.css",
    "js/app.js",
    "img/icon.svg",
    "img/icon-192.png",
)
ICONS = (
    ("img/icon-192.png", "192x192", "image/png", "any"),
    ("img/icon-512.png", "512x512", "image/png", "any"),
    ("img/icon-maskable-512.png", "512x512", "image/png", "maskable"),
    ("img/icon.svg", "any", "image/svg+xml", "any"),
)
FALLBACK_COLOURS = {"brand": "#0b5394", "bg": "#ffffff"}

# Every text app.js shows, in the active language (English msgids, see locale/fragments/pwa.po).
APP_STRINGS = {
    "sending": _("Sending your report…"),
    "queued": _(
        "Your report is saved on this phone and will be sent when you are online. "
        "You can close this page."
    ),
    "waiting": _("Reports saved on this phone, waiting for the internet to be sent: %(count)s"),
    "sent": _("Your report saved on this phone has been sent. Its tracking code is:"),
    "private_link": _("Open your private page"),
    "private_note": _(
        "The private page lets you answer questions and rate the answer. "
        "Keep its link to yourself: it is not kept on this phone."
    ),
    "failed": _("A report saved on this phone could not be sent:"),
    "restore": _("Put it back in the form"),
    "restored": _("Your saved report is back in the form. Check it and send it again."),
    "not_saved": _(
        "This browser could not keep the report on the phone. "
        "Please send it again when you are online."
    ),
    "empty": _("No reports have been sent from this device yet."),
    "waiting_label": _("Waiting to be sent"),
    "sent_on": _("Sent on %(date)s"),
    "saved_on": _("Saved on %(date)s"),
    "remove": _("Remove from this device"),
    "untitled": _("(no title)"),
}


def _static_roots() -> list[Path]:
    roots = []
    for entry in settings.STATICFILES_DIRS:
        roots.append(Path(entry[1] if isinstance(entry, tuple) else entry))
    return roots


def _locale_files() -> list[Path]:
    return [mo for root in settings.LOCALE_PATHS for mo in sorted(Path(root).rglob("*.mo"))]


@lru_cache(maxsize=1)
def app_version() -> str:
    """A short hash that changes whenever what the worker caches could have changed."""
    digest = hashlib.sha256()
    digest.update(django.get_version().encode())
    digest.update(str(getattr(settings, "ADUAN_PWA_VERSION", "")).encode())
    template = get_template(SW_TEMPLATE).template  # type: ignore[attr-defined]
    digest.update(template.source.encode())
    files = [f for root in _static_roots() for f in sorted(root.rglob("*")) if f.is_file()]
    for path in [*files, *_locale_files()]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def theme_colours() -> dict[str, str]:
    """--brand and --bg from static/css/aduan.css: the stylesheet is the one source of colour."""
    colours = dict(FALLBACK_COLOURS)
    path = finders.find("css/aduan.css")
    if path:
        css = Path(str(path)).read_text(encoding="utf-8")
        for name in colours:
            match = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{3,8}})", css)
            if match:
                colours[name] = match.group(1)
    return colours


def manifest_data() -> dict[str, Any]:
    colours = theme_colours()
    home = reverse("portal:home")
    return {
        "id": home,
        "name": f"Aduan {settings.ADUAN_PEMDA_NAME}",
        "short_name": "Aduan",
        "description": str(_("Report to the government, follow your report and rate the answer.")),
        "lang": translation.get_language() or settings.LANGUAGE_CODE,
        "dir": "ltr",
        "start_url": f"{home}?source=pwa",
        "scope": home,
        "display": "standalone",
        "orientation": "any",
        "theme_color": colours["brand"],
        "background_color": colours["bg"],
        "categories": ["government", "utilities"],
        "icons": [
            {"src": static(src), "sizes": sizes, "type": mime, "purpose": purpose}
            for src, sizes, mime, purpose in ICONS
        ],
        "shortcuts": [
            {
                "name": str(_("Write a report")),
                "url": reverse("portal:report"),
                "icons": [{"src": static("img/icon-192.png"), "sizes": "192x192"}],
            },
            {
                "name": str(_("My reports on this device")),
                "url": reverse("portal:my_reports"),
                "icons": [{"src": static("img/icon-192.png"), "sizes": "192x192"}],
            },
        ],
    }


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest (name, icons, colours, start URL) that makes the site installable."""
    response = HttpResponse(
        json.dumps(manifest_data(), ensure_ascii=False, indent=1),
        content_type="application/manifest+json; charset=utf-8",
    )
    patch_cache_control(response, max_age=3600)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def worker_config() -> dict[str, Any]:
    pages = [
        reverse("portal:home"),
        reverse("portal:report"),
        reverse("portal:offline"),
        reverse("portal:my_reports"),
        reverse("portal:privacy"),
        reverse("portal:directory"),
    ]
    strings = reverse("portal:app_strings")
    shell = [static(path) for path in SHELL_STATIC]
    shell += [reverse("portal:offline"), reverse("portal:report"), reverse("portal:my_reports")]
    shell += [f"{strings}?lang={code}" for code, _name in settings.LANGUAGES]
    return {
        "version": app_version(),
        "offline": reverse("portal:offline"),
        "form": reverse("portal:report"),
        "shell": shell,
        # Pages kept for offline use after each successful visit (exact paths, public only).
        "pages": pages,
        "static": settings.STATIC_URL,
        "cacheFirst": [strings],
        # Never stored, whatever their headers say: private pages, receipts, files, staff, i18n.
        "never": [
            reverse("portal:complaint", args=["x"]).rsplit("x", 1)[0],
            reverse("portal:receipt", args=["x"]).rsplit("x", 1)[0],
            reverse("portal:file", args=["x"]).rsplit("x", 1)[0],
            "/admin/",
            "/i18n/",
            "/api/",
        ],
    }


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the root so that its scope is the whole site."""
    body = render_to_string(SW_TEMPLATE, {"config": json.dumps(worker_config(), indent=1)})
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("portal:home")
    # Browsers check the worker for updates on navigation; a short cache lets a deploy show.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_GET
def app_strings(request: HttpRequest) -> JsonResponse:
    """The texts app.js shows, in `?lang=` (or the request's language)."""
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        data = {key: str(text) for key, text in APP_STRINGS.items()}
    response = JsonResponse({"lang": language, "strings": data})
    patch_cache_control(response, max_age=3600)
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker when a page cannot be loaded without a connection."""
    return render(request, "portal/offline.html")


@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    """The tracking codes sent from this device (kept on the device; listed by app.js)."""
    context = {"example_code": f"{settings.ADUAN_TRACKING_PREFIX}-7K3R-9FF"}
    return render(request, "portal/my_reports.html", context)
