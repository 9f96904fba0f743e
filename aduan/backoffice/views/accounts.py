"""Staff sign-in, the second factor, sign-out, password change and reset (S6, S7, S8, S14).

Thin views: the decisions (lockout, codes, devices, the session) are in
`aduan/backoffice/accounts.py`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from aduan.accounts.models import User
from aduan.audit.services import audit_record
from aduan.core import ratelimit
from aduan.core.ratelimit import client_ip, too_many_requests

from .. import accounts
from ..account_forms import (
    CodeForm,
    EnrolForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
)
from ..auth import second_factor_ok, staff_required
from ..qr import qr_svg

CODES_KEY = "aduan_recovery_codes"
CODES_NEXT_KEY = "aduan_recovery_codes_next"


def _next(request: HttpRequest) -> str:
    """Where to go after signing in: a local `next`, else the home of the back-office."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    default = resolve_url(settings.LOGIN_REDIRECT_URL)
    return f"{url}?{urlencode({'next': next_url})}" if next_url != default else url


def _subject(request: HttpRequest) -> tuple[User | None, bool]:
    """The user completing the sign-in: pending after the password (True), or signed in
    without a second factor yet (False, e.g. from the Django admin)."""
    pending = accounts.pending_user(request)
    if pending is not None:
        return pending, True
    user = request.user
    if isinstance(user, User) and user.is_authenticated and user.role:
        return user, False
    return None, False


def _back_to_password(request: HttpRequest, verdict: ratelimit.Verdict) -> HttpResponse:
    """Too many wrong codes: the half-done sign-in is dropped (S7)."""
    accounts.pending_clear(request)
    if request.user.is_authenticated:
        auth.logout(request)
    minutes = max(1, -(-verdict.retry_after // 60))
    messages.error(
        request,
        ngettext(
            "Too many wrong codes. Sign in again in %(minutes)d minute.",
            "Too many wrong codes. Sign in again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
    )
    return redirect("backoffice:login")


# --- Step one: the password -----------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = _next(request)
    if request.user.is_authenticated and second_factor_ok(request):
        return redirect(next_url)
    if request.session.pop(accounts.EXPIRED_KEY, False):
        messages.info(request, _("Your session has ended. Please sign in again."))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = accounts.password_check(
            request,
            identifier=form.cleaned_data["identifier"],
            password=form.cleaned_data["password"],
        )
        if outcome.ip_refused is not None:
            return too_many_requests(request, outcome.ip_refused)
        if outcome.locked:
            form.add_error(
                None,
                _(
                    "Too many failed sign-in attempts. Wait %(minutes)d minutes and try again, "
                    "or reset your password."
                )
                % {"minutes": settings.ADUAN_LOGIN_WINDOW_MINUTES},
            )
        elif outcome.user is None:
            form.add_error(None, _("The username, email address or password is not right."))
        else:
            user = outcome.user
            if accounts.may_skip_second_factor(user):
                accounts.signin_complete(request, user, None)
                return redirect(next_url)
            accounts.pending_start(request, user)
            if accounts.has_second_factor(user):
                return redirect(_with_next("backoffice:otp_verify", next_url))
            return redirect(_with_next("backoffice:two_factor", next_url))
    return render(
        request, "backoffice/accounts/login.html", {"form": form, "next": _next_field(request)}
    )


def _next_field(request: HttpRequest) -> str:
    """The `next` to carry in a hidden field (only when it is not the default)."""
    next_url = _next(request)
    return "" if next_url == resolve_url(settings.LOGIN_REDIRECT_URL) else next_url


# --- Step two: the code ---------------------------------------------------------------------


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    user, pending = _subject(request)
    next_url = _next(request)
    if user is None:
        return redirect(_with_next("backoffice:login", next_url))
    if not pending and second_factor_ok(request):
        return redirect(next_url)
    if not accounts.has_second_factor(user):
        return redirect(_with_next("backoffice:two_factor", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = accounts.code_check(request, user, form.cleaned_data["code"], purpose="sign-in")
        if outcome.locked is not None:
            return _back_to_password(request, outcome.locked)
        if outcome.device is not None:
            if pending:
                accounts.signin_complete(request, user, outcome.device)
            else:
                otp_login(request, outcome.device)
            if outcome.recovery:
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; it cannot be used again. "
                        "Make new recovery codes on your two-factor page when few are left."
                    ),
                )
            return redirect(next_url)
        form.add_error("code", _("That code is not right. Check the time on your phone."))
    return render(
        request,
        "backoffice/accounts/verify.html",
        {"form": form, "next": _next_field(request), "signin_user": user},
    )


# --- Enrolment and management of the second factor ------------------------------------------


def _secret_text(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@sensitive_post_parameters("code", "regenerate-code", "reset-code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrolment (no confirmed authenticator yet) or management (new recovery codes, reset)."""
    user, pending = _subject(request)
    next_url = _next(request)
    if user is None:
        return redirect(_with_next("backoffice:login", next_url))
    if accounts.has_second_factor(user):
        if pending or not second_factor_ok(request):
            return redirect(_with_next("backoffice:otp_verify", next_url))
        return _manage(request, user)
    device = accounts.enrolment_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = accounts.enrolment_confirm(request, user, form.cleaned_data["code"])
        if confirmed is not None:
            codes = accounts.recovery_codes_issue(request, user, reason="enrolled")
            if pending:
                accounts.signin_complete(request, user, confirmed)
            else:
                otp_login(request, confirmed)
            request.session[CODES_KEY] = codes
            request.session[CODES_NEXT_KEY] = next_url
            return redirect("backoffice:recovery_codes")
        form.add_error(
            "code", _("That code is not right. Check the time on your phone and try again.")
        )
    return render(
        request,
        "backoffice/accounts/enrol.html",
        {
            "form": form,
            "next": _next_field(request),
            "qr_svg": qr_svg(
                device.config_url, title=_("QR code for your authenticator app"), scale=5
            ),
            "secret": _secret_text(device),
            "signin_user": user,
            "pending": pending,
        },
    )


def _manage(request: HttpRequest, user: User) -> HttpResponse:
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in {"regenerate", "reset"}:
        return HttpResponseBadRequest()
    forms = {
        name: CodeForm(request.POST if action == name else None, prefix=name)
        for name in ("regenerate", "reset")
    }
    if action:
        form = forms[action]
        if form.is_valid():
            outcome = accounts.code_check(request, user, form.cleaned_data["code"], purpose=action)
            if outcome.locked is not None:
                return _back_to_password(request, outcome.locked)
            if outcome.device is not None:
                if action == "regenerate":
                    codes = accounts.recovery_codes_issue(request, user, reason="regenerated")
                    request.session[CODES_KEY] = codes
                    request.session[CODES_NEXT_KEY] = reverse("backoffice:two_factor")
                    return redirect("backoffice:recovery_codes")
                accounts.second_factor_reset(request, user)
                messages.info(
                    request,
                    _("Your authenticator and recovery codes were removed. Set up a new one now."),
                )
                return redirect("backoffice:two_factor")
            form.add_error("code", _("That code is not right."))
    static = accounts.StaticDevice.objects.filter(user=user, name=accounts.RECOVERY_NAME).first()
    remaining = static.token_set.count() if static is not None else 0
    response = render(
        request,
        "backoffice/accounts/two_factor.html",
        {
            "regenerate_form": forms["regenerate"],
            "reset_form": forms["reset"],
            "remaining": remaining,
            "device": accounts.totp_device(user),
        },
    )
    return response


@never_cache
@staff_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once (they leave the session as they are shown)."""
    codes = request.session.pop(CODES_KEY, None)
    next_url = request.session.pop(CODES_NEXT_KEY, None) or resolve_url(settings.LOGIN_REDIRECT_URL)
    if not codes:
        return redirect("backoffice:two_factor")
    return render(
        request,
        "backoffice/accounts/recovery_codes.html",
        {"codes": codes, "continue_url": next_url},
    )


# --- Sign-out and passwords -----------------------------------------------------------------


@never_cache
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Sign-out is a POST (a link or an image cannot sign anyone out); the session dies."""
    accounts.pending_clear(request)
    was_signed_in = request.user.is_authenticated
    auth.logout(request)
    if was_signed_in:
        messages.info(request, _("You are signed out."))
    return redirect("backoffice:login")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@staff_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # This session stays signed in (and verified); every other session of the user ends.
        auth.update_session_auth_hash(request, user)
        audit_record("auth.password_changed", actor=user, obj=user, ip_address=client_ip(request))
        messages.success(request, _("Your password was changed."))
        return redirect("backoffice:home")
    return render(request, "backoffice/accounts/password_change.html", {"form": form})


@method_decorator(never_cache, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether the address is known or not; rate-limited per IP (S7)."""

    form_class = PasswordResetForm
    template_name = "backoffice/accounts/password_reset_form.html"
    email_template_name = "backoffice/accounts/password_reset_email.txt"
    subject_template_name = "backoffice/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("backoffice:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        verdict = ratelimit.hit(accounts.reset_limit(), client_ip(request))
        if not verdict.allowed:
            return too_many_requests(request, verdict)
        return super().post(request, *args, **kwargs)

    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        return {"pemda_name": settings.ADUAN_PEMDA_NAME}


@method_decorator(never_cache, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "backoffice/accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password from the mailed link. Changing it ends every session of the user, since
    the session hash derives from the password (S8)."""

    form_class = SetPasswordForm
    template_name = "backoffice/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("backoffice:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        audit_record(
            "auth.password_reset",
            actor=form.user,
            obj=form.user,
            ip_address=client_ip(self.request),
        )
        return response


@method_decorator(never_cache, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "backoffice/accounts/password_reset_complete.html"
