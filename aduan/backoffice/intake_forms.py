"""The operator's intake form (Pasal 10): the citizen's report form (aduan.portal.forms
ReportForm, reused as it is) without the anti-spam parts, plus the channel, the time of receipt
and the operator's confirmation that the complainant was told the privacy notice. Validation
only; the view calls `complaint_enter_by_operator`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aduan.complaints.models import Channel, Kind
from aduan.complaints.services import ComplaintSubmission
from aduan.core import clock
from aduan.portal.forms import ReportForm

from .models import SocialPost
from .operator_intake import MAX_BACKDATE, MAX_HANDLE, OPERATOR_CHANNELS, SocialPostInput

# Fields of the citizen's form an operator does not need: the honeypot, the "filled too fast"
# token, the app marker, the question for bursts, and the photo-location opt-in (a scan of a
# paper form has no useful position).
DROPPED = ("website", "started", "via", "challenge_answer", "share_location")
SERVICE_FIELDS = {
    "channel": "channel",
    "received_at": "received_at",
    "platform": "platform",
    "post_url": "post_url",
}
# The fields about a social-media post (issue 5): asked, and checked, for that channel only.
SOCIAL_FIELDS = ("platform", "post_url", "author_handle")


class AriaMixin:
    """Inputs point at their help text and their error (aria-describedby) and are marked
    invalid (aria-invalid), matching the ids of the field includes (WCAG 3.3.1)."""

    fields: dict[str, forms.Field]
    _errors: Any

    def describe_fields(self) -> None:
        errors = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            auto_id = f"id_{name}"
            ids = [f"{auto_id}_helptext"] if field.help_text else []
            if name in errors:
                ids.append(f"{auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class IntakeForm(AriaMixin, ReportForm):
    """A complaint entered by an operator for a caller, a walk-in or a paper form (R23)."""

    # A form field (not an attribute: the form metaclass takes it off the class), so the
    # inherited `channel()` method stays; `to_submission` sets the submission's channel from it.
    channel = forms.ChoiceField(  # type: ignore[assignment]
        label=_("How did the complaint come in?"),
        choices=[("", _("Choose the channel"))]
        + [(value, label) for value, label in Channel.choices if value in OPERATOR_CHANNELS],
        error_messages={
            "required": _("Choose how the complaint came in."),
            "invalid_choice": _("Choose how the complaint came in."),
        },
    )
    received_at = forms.DateTimeField(
        label=_("Received on (if earlier than now)"),
        help_text=_(
            "For a paper form from the complaint box or a call noted earlier: the date and time "
            "it was received. The dispatch deadline counts from then. Leave empty for now."
        ),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Enter a date and time like 2026-06-01 09:30.")},
    )

    # For a social-media post (channel social_media): where it was, who wrote it. The post's
    # text is the body, the time it was posted the time of receipt, its screenshot an upload.
    platform = forms.ChoiceField(
        label=_("Platform"),
        choices=[("", _("Choose the platform")), *SocialPost.Platform.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose the platform of the post.")},
    )
    post_url = forms.URLField(
        label=_("Address (URL) of the post"),
        help_text=_(
            "Copy it from the browser or the app's “share” menu; it starts with https://. "
            "Only staff see it: it is never published."
        ),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter the address of the post starting with https://.")},
    )
    author_handle = forms.CharField(
        label=_("Author's account (handle or name as shown)"),
        help_text=_(
            "For example @wa_ode_buton. It is kept as the complainant's identity: only staff "
            "who may see the identity see it."
        ),
        required=False,
        max_length=MAX_HANDLE,
    )
    duplicate_confirmed = forms.BooleanField(
        label=_("This is a different complaint from the same post: enter it anyway"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in DROPPED:
            self.fields.pop(name, None)
        # The channel comes first, then the post (social media only), then the report as the
        # citizen's form asks it.
        self.order_fields(["submission_id", "channel", "received_at", *SOCIAL_FIELDS])
        self.fields["consent"].label = _(
            "The complainant was told the privacy notice (read out, or a copy handed over) and "
            "agrees that their data is used to handle this complaint."
        )
        self.fields["consent"].error_messages["required"] = _(
            "Confirm that the complainant was told the privacy notice."
        )
        self.fields["name"].label = _("Complainant's name")
        self.fields["phone"].label = _("Complainant's mobile phone number")
        self.fields["phone"].help_text = _(
            "The receipt and updates go here by SMS. Leave empty if there is none: hand the "
            "printed receipt over instead."
        )
        self.fields["email"].label = _("Complainant's email address")
        self.fields["address"].label = _("Complainant's address (optional)")
        self.fields["body"].label = _("What happened? (as the complainant told or wrote it)")
        self.fields["received_at"].widget.attrs["max"] = timezone.localtime(
            clock.now(), timezone.get_default_timezone()
        ).strftime("%Y-%m-%dT%H:%M")
        self.describe_fields()

    @staticmethod
    def fresh_initial() -> dict[str, Any]:
        return {"submission_id": uuid.uuid4()}

    def full_clean(self) -> None:
        super().full_clean()
        self.describe_fields()

    def clean_received_at(self) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data.get("received_at")
        if value is None:
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_default_timezone())
        now = clock.now()
        if value > now:
            raise ValidationError(_("The time of receipt cannot be in the future."))
        if value < now - MAX_BACKDATE:
            raise ValidationError(_("The time of receipt cannot be more than a year ago."))
        return value

    def clean_post_url(self) -> str:
        value: str = (self.cleaned_data.get("post_url") or "").strip()
        if value and not value.lower().startswith("https://"):
            raise ValidationError(_("Enter the address of the post starting with https://."))
        return value

    def clean_author_handle(self) -> str:
        return " ".join(str(self.cleaned_data.get("author_handle") or "").split())

    def clean(self) -> dict[str, Any]:
        # Not ReportForm.clean: a complaint from the box or a walk-in may come without any
        # phone number or email address (the printed receipt is handed over instead).
        data = forms.Form.clean(self) or {}
        if data.get("kind") and data["kind"] != Kind.COMPLAINT:
            data["ground"] = ""
        if data.get("channel") == Channel.SOCIAL_MEDIA:
            required = {
                "platform": _("Choose the platform of the post."),
                "post_url": _("Enter the address of the post."),
                "author_handle": _("Enter the author's account as shown on the post."),
            }
            for name, message in required.items():
                if name not in self.errors and not data.get(name):
                    self.add_error(name, message)
        else:
            # Typed in and then another channel chosen: not a post, nothing of it is kept.
            for name in SOCIAL_FIELDS:
                data[name] = ""
        return data

    def social_post(self) -> SocialPostInput | None:
        data = self.cleaned_data
        if data.get("channel") != Channel.SOCIAL_MEDIA:
            return None
        return SocialPostInput(
            platform=data["platform"], url=data["post_url"], handle=data["author_handle"]
        )

    def to_submission(self, *, language: str, ip_address: str = "") -> ComplaintSubmission:
        """The citizen form's submission with the operator's channel; no IP address (the
        operator's machine is not the complainant's)."""
        submission = super().to_submission(language=language, ip_address="")
        return dataclasses.replace(submission, channel=str(self.cleaned_data["channel"]))

    def add_service_error(self, exc: Any) -> None:
        field = SERVICE_FIELDS.get(str(exc.extra.get("field", "")))
        if field is not None:
            self.add_error(field, exc.message)
        else:
            super().add_service_error(exc)

    def error_summary(self, attachments_id: str = "", attachment_errors: Any = ()) -> Any:
        items = [("", str(message)) for message in self.non_field_errors()]
        for name in self.fields:
            if name == "consent":
                items.extend((attachments_id, str(m)) for m in attachment_errors)
            if name in self.errors:
                target = f"id_{name}_0" if name == "kind" else f"id_{name}"
                items.extend((target, str(m)) for m in self.errors[name])
        return items
