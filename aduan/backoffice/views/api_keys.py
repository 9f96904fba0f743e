"""Credentials for the machine interfaces (issue 6), in the back-office:

- `/kantor/pengaturan/api/` (admin): integrators' API keys — list, create (name, scopes,
  requests per minute; the secret is shown ONCE, on the page that answers the creation),
  revoke. Creation and revocation are audited (`api.key.create`, `api.key.revoke`).
- `/kantor/akun/token/` (every staff member): their own personal API tokens for
  `/api/v1/staff/` — create (name, scopes, expiry; shown once), list, revoke (audited).

Only keyed hashes are stored (`aduan.api.keys`); a secret cannot be shown again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.api.keys import api_key_create, api_key_revoke, staff_token_create, staff_token_revoke
from aduan.api.models import ApiKey, Scope, StaffToken
from aduan.core import clock

from ..auth import staff_required

admin_only = staff_required(roles=[Role.ADMIN])

KEY_SCOPES = [
    (Scope.SUBMIT.value, Scope.SUBMIT.label),
    (Scope.READ_PUBLIC.value, Scope.READ_PUBLIC.label),
]
TOKEN_SCOPES = [
    (Scope.STAFF_READ.value, Scope.STAFF_READ.label),
    (Scope.STAFF_ACT.value, Scope.STAFF_ACT.label),
]
EXPIRY_CHOICES = [
    ("30", gettext_lazy("30 days")),
    ("90", gettext_lazy("90 days")),
    ("365", gettext_lazy("One year")),
]


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=120,
        help_text=gettext_lazy("Who uses the key, e.g. “Kecamatan Pasarwajo app”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"), choices=KEY_SCOPES, widget=forms.CheckboxSelectMultiple
    )
    rate_per_minute = forms.IntegerField(
        label=gettext_lazy("Requests per minute"), min_value=1, max_value=6000, initial=60
    )


class StaffTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=120,
        help_text=gettext_lazy("Where you use the token, e.g. “laptop script”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"), choices=TOKEN_SCOPES, widget=forms.CheckboxSelectMultiple
    )
    expires_in = forms.ChoiceField(
        label=gettext_lazy("Valid for"), choices=EXPIRY_CHOICES, initial="90"
    )


class SeeOther(HttpResponseRedirect):
    status_code = 303


# --- integrators' API keys (admin) -------------------------------------------------------------


def _key_page(
    request: HttpRequest,
    form: ApiKeyForm,
    *,
    secret: str = "",
    created: Any = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "keys": list(ApiKey.objects.select_related("created_by").order_by("revoked_at", "name")),
        "form": form,
        "secret": secret,
        "created": created,
        "scope_labels": dict(Scope.choices),
    }
    return render(request, "backoffice/api/keys.html", context, status=status)


@admin_only
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    """The list of keys and the form for a new one; after creating, the secret once."""
    if request.method != "POST":
        return _key_page(request, ApiKeyForm())
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _key_page(request, form, status=400)
    user: User = request.user  # type: ignore[assignment]
    key, secret = api_key_create(
        name=form.cleaned_data["name"],
        scopes=form.cleaned_data["scopes"],
        by=user,
        rate_per_minute=form.cleaned_data["rate_per_minute"],
    )
    return _key_page(request, ApiKeyForm(), secret=secret, created=key)


@admin_only
@require_POST
def api_key_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    key = ApiKey.objects.filter(pk=pk).first()
    if key is None:
        raise Http404
    if key.revoked_at is None:
        api_key_revoke(key=key, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The key “%(name)s” was revoked.") % {"name": key.name})
    return SeeOther(reverse("backoffice:api_keys"))


# --- staff members' own tokens ------------------------------------------------------------------


def _token_page(
    request: HttpRequest,
    form: StaffTokenForm,
    *,
    secret: str = "",
    created: Any = None,
    status: int = 200,
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        "tokens": list(StaffToken.objects.filter(user=user).order_by("-created_at")),
        "form": form,
        "secret": secret,
        "created": created,
        "now": clock.now(),
        "scope_labels": dict(Scope.choices),
    }
    return render(request, "backoffice/api/tokens.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_tokens(request: HttpRequest) -> HttpResponse:
    """The caller's tokens and the form for a new one; after creating, the secret once."""
    if request.method != "POST":
        return _token_page(request, StaffTokenForm())
    form = StaffTokenForm(request.POST)
    if not form.is_valid():
        return _token_page(request, form, status=400)
    days = int(form.cleaned_data["expires_in"])
    token, secret = staff_token_create(
        user=request.user,  # type: ignore[arg-type]
        name=form.cleaned_data["name"],
        scopes=form.cleaned_data["scopes"],
        expires_at=clock.now() + dt.timedelta(days=days),
    )
    return _token_page(request, StaffTokenForm(), secret=secret, created=token)


@staff_required
@require_POST
def staff_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    token = StaffToken.objects.filter(pk=pk, user=user).first()  # only one's own
    if token is None:
        raise Http404
    if token.revoked_at is None:
        staff_token_revoke(token=token, by=user)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return SeeOther(reverse("backoffice:staff_tokens"))


__all__ = ["api_key_revoke_view", "api_keys", "staff_token_revoke_view", "staff_tokens"]
