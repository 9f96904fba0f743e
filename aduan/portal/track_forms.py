"""Forms of the tracking pages: validation only, never side effects (STYLE.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aduan.complaints.codes import normalize_tracking_code

TEXT_MAX = 5_000
COMMENT_MAX = 2_000


class AccessibleForm(forms.Form):
    """Inputs point at their help text and errors (aria-describedby) and say when they are
    invalid (aria-invalid), so a screen reader reads the error with the field (WCAG 3.3.1)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._describe()

    def _describe(self) -> None:
        for name, field in self.fields.items():
            # The id Django gives the input (not self[name]: that caches the bound field).
            pattern = self.auto_id if isinstance(self.auto_id, str) else ""
            auto_id = pattern % self.add_prefix(name) if "%s" in pattern else name
            ids = []
            if field.help_text:
                ids.append(f"{auto_id}_help")
            if self.is_bound and hasattr(self, "_errors") and self._errors and name in self._errors:
                ids.append(f"{auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)


RATING_CHOICES = [
    (5, _("5 - Very satisfied")),
    (4, _("4 - Satisfied")),
    (3, _("3 - Neither satisfied nor dissatisfied")),
    (2, _("2 - Dissatisfied")),
    (1, _("1 - Very dissatisfied")),
]


class TrackLookupForm(AccessibleForm):
    """The tracking code, typed however people type it: case, spaces, dashes, S for 5..."""

    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("For example BTN-7K3R-9FF. Small letters and spaces are fine."),
        error_messages={"required": _("Enter the tracking code of your report.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = normalize_tracking_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _(
                    "This code is not valid. Check it against your receipt; it looks like BTN-7K3R-9FF."
                ),
                code="invalid_code",
            )
        return code


class ResendLinkForm(AccessibleForm):
    contact = forms.CharField(
        label=_("Phone number or email address you used"),
        max_length=254,
        help_text=_("For example 0812 3456 7890 or name@example.com."),
        error_messages={"required": _("Enter the phone number or email address you used.")},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )


class _TextForm(AccessibleForm):
    text = forms.CharField(
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write your message."),
            "max_length": _("The text is too long (at most %(limit_value)d characters)."),
        },
    )


class SupplementForm(_TextForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Your answer")
        self.fields["text"].error_messages["required"] = _("Write your answer.")


class FollowUpForm(_TextForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("What is still not solved?")
        self.fields["text"].error_messages["required"] = _("Write your reply.")


class MessageForm(_TextForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Your message")


class _RatingFields(AccessibleForm):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConfirmForm(_RatingFields):
    """'Solved': the rating is optional here."""

    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the handling? (optional)"),
        choices=RATING_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Give a rating from 1 to 5.")},
    )
    field_order = ["satisfaction", "comment"]


class RateForm(_RatingFields):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the handling?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Give a rating from 1 to 5."),
            "invalid_choice": _("Give a rating from 1 to 5."),
        },
    )
    field_order = ["satisfaction", "comment"]


class IdentityForm(AccessibleForm):
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ErasureForm(AccessibleForm):
    confirm = forms.BooleanField(
        label=_("I understand that my name and contact details will be deleted for good."),
        error_messages={"required": _("Tick the box to confirm.")},
    )
