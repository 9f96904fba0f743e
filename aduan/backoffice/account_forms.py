"""Forms of staff sign-in and account pages: validation only, never side effects (STYLE.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from aduan.portal.track_forms import AccessibleForm


class Described:
    """Mixin for Django's own auth forms: errors and help tied to their inputs (WCAG 3.3.1)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._describe()

    def _describe(self) -> None:
        AccessibleForm._describe(self)  # type: ignore[arg-type]


class SignInForm(AccessibleForm):
    identifier = forms.CharField(
        label=_("Username or email address"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(AccessibleForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


class EnrolForm(AccessibleForm):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        help_text=_("The 6-digit code your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class PasswordChangeForm(Described, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(Described, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(Described, auth_forms.SetPasswordForm):
    pass
