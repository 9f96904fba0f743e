"""The report form: validation only (STYLE.md: no side effects here). The view turns a valid
form into a `ComplaintSubmission` with `to_submission()` and calls `complaint_submit`."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aduan.agencies.models import Category, Region
from aduan.complaints.models import Channel, Ground, Kind
from aduan.complaints.services import BODY_MAX, TITLE_MAX, ComplaintSubmission, IdentityInput
from aduan.core import clock
from aduan.core.exceptions import ApplicationError
from aduan.core.phones import normalize_phone

from .privacy import PRIVACY_NOTICE_VERSION

# C0 controls except tab, line feed and carriage return, DEL, and C1 controls: removed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

KIND_EXPLANATIONS = {
    Kind.COMPLAINT: _(
        "A public service went wrong: it was below standard, neglected, or broke a rule."
    ),
    Kind.ASPIRATION: _("An idea or a request for the government to improve something."),
    Kind.INFORMATION_REQUEST: _("You want information that the government holds."),
}

# Where a service error (ApplicationError.extra["field"]) is shown on this form.
SERVICE_FIELDS = {
    "body": "body",
    "title": "title",
    "event_date": "event_date",
    "latitude": "location_text",
    "longitude": "location_text",
    "kind": "kind",
    "ground": "ground",
    "phone": "phone",
    "email": "email",
    "nik": "nik",
    "region": "region",
    "category": "category",
}


class PlainTextField(forms.CharField):
    """Text as typed, kept as plain text (escaped on output, never rendered as HTML).

    Text that arrived in a broken encoding (bytes that are not UTF-8 decode to U+FFFD) is
    refused with a clear message; control characters (NUL and the like) are removed."""

    default_error_messages = {
        "encoding": _(
            "Some characters could not be read (the text was not sent as UTF-8). "
            "Please type it again."
        ),
    }

    def to_python(self, value: Any) -> str:
        if isinstance(value, str):
            if "\ufffd" in value:
                raise ValidationError(self.error_messages["encoding"], code="encoding")
            value = _CONTROL.sub("", value)
        return str(super().to_python(value))


def region_choices() -> list[tuple[Any, Any]]:
    """Villages grouped by kecamatan (one <optgroup> each); a whole kecamatan can be chosen."""
    districts = Region.objects.filter(level=Region.Level.DISTRICT).order_by("name")
    villages: dict[int, list[Region]] = {}
    for village in Region.objects.filter(
        level__in=[Region.Level.VILLAGE, Region.Level.URBAN_VILLAGE], parent__in=districts
    ).order_by("name"):
        villages.setdefault(village.parent_id or 0, []).append(village)
    choices: list[tuple[Any, Any]] = [("", _("Choose the kecamatan or desa/kelurahan"))]
    for district in districts:
        options: list[tuple[Any, Any]] = [
            (district.pk, _("Whole Kecamatan %(name)s") % {"name": district.name})
        ]
        for village in villages.get(district.pk, []):
            if village.level == Region.Level.URBAN_VILLAGE:
                label = _("Kelurahan %(name)s") % {"name": village.name}
            else:
                label = _("Desa %(name)s") % {"name": village.name}
            options.append((village.pk, label))
        choices.append((_("Kecamatan %(name)s") % {"name": district.name}, options))
    return choices


def region_coordinates() -> dict[str, tuple[str, str]]:
    """The centre of each kecamatan and desa/kelurahan that has one: option value → (lat, lon)."""
    areas = Region.objects.filter(
        level__in=[Region.Level.DISTRICT, Region.Level.VILLAGE, Region.Level.URBAN_VILLAGE],
        latitude__isnull=False,
        longitude__isnull=False,
    ).values_list("pk", "latitude", "longitude")
    return {str(pk): (f"{lat:.6f}", f"{lon:.6f}") for pk, lat, lon in areas}


class RegionSelect(forms.Select):
    """The area select with `data-lat`/`data-lon` on each option: where the map pin goes."""

    def __init__(self, coordinates: dict[str, tuple[str, str]], attrs: Any = None) -> None:
        super().__init__(attrs)
        self.coordinates = coordinates

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        point = self.coordinates.get(str(option["value"]))
        if point:
            option["attrs"]["data-lat"], option["attrs"]["data-lon"] = point
        return option


def category_choices() -> list[tuple[Any, Any]]:
    """Active categories grouped by their top-level category."""
    categories = list(Category.objects.filter(is_active=True).order_by("code"))
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    choices: list[tuple[Any, Any]] = [("", _("I don't know / let the Dinas choose"))]
    for top in (c for c in categories if c.parent_id is None):
        options: list[tuple[Any, Any]] = [
            (
                top.pk,
                _("%(name)s (general)") % {"name": top.name} if top.pk in children else top.name,
            )
        ]
        options += [(child.pk, child.name) for child in children.get(top.pk, [])]
        choices.append((top.name, options))
    return choices


def parse_submission_id(value: str | None) -> str:
    try:
        return str(uuid.UUID((value or "").strip()))
    except ValueError:
        return ""


class ReportForm(forms.Form):
    """A complaint, aspiration or information request from the website or the app."""

    # Hidden: idempotency (S16), anti-spam, the channel.
    submission_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    via = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    kind = forms.ChoiceField(
        label=_("What do you want to send?"),
        choices=Kind.choices,
        initial=Kind.COMPLAINT,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of report this is.")},
    )
    ground = forms.ChoiceField(
        label=_("What went wrong? (complaints only, optional)"),
        choices=[("", _("Not sure")), *Ground.choices],
        required=False,
    )
    title = PlainTextField(
        label=_("Title (optional)"),
        help_text=_("A few words. If you leave it empty, we use the start of your description."),
        max_length=TITLE_MAX,
        required=False,
        error_messages={
            "max_length": _("The title is too long (at most %(limit_value)s characters).")
        },
    )
    body = PlainTextField(
        label=_("What happened?"),
        help_text=_(
            "What, where, since when, and who is affected. Do not write other people's "
            "phone numbers or ID numbers."
        ),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Describe what happened."),
            "max_length": _(
                "The description is too long (at most %(limit_value)s characters; "
                "it has %(show_value)s)."
            ),
        },
    )
    event_date = forms.DateField(
        label=_("When did it happen? (optional)"),
        help_text=_("For example 2026-06-01."),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date like 2026-06-01.")},
    )
    region = forms.ChoiceField(
        label=_("Kecamatan or desa/kelurahan (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Choose an area from the list.")},
    )
    location_text = PlainTextField(
        label=_("Address or landmark (optional)"),
        help_text=_("For example: in front of SD Negeri 1, Jalan Poros."),
        max_length=300,
        required=False,
    )
    latitude = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        required=False,
        max_digits=10,
        decimal_places=6,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        widget=forms.HiddenInput,
    )
    category = forms.ChoiceField(
        label=_("Category (optional)"),
        help_text=_("If you are not sure, leave it: the Dinas chooses."),
        required=False,
        error_messages={"invalid_choice": _("Choose a category from the list.")},
    )
    share_location = forms.BooleanField(
        label=_("Keep the location stored in my photos"),
        help_text=_(
            "Photos often contain the place where they were taken. We remove it unless you "
            "tick this box."
        ),
        required=False,
    )

    name = PlainTextField(
        label=_("Your name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = PlainTextField(
        label=_("Mobile phone number"),
        help_text=_("We send your receipt and updates here by SMS. For example 0812 3456 7890."),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("This is not a valid email address.")},
    )
    nik = PlainTextField(
        label=_("NIK (optional)"),
        help_text=_("The 16-digit number on your KTP. Only needed for some requests."),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = PlainTextField(
        label=_("Your address (optional)"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous"),
        help_text=_(
            "Your name and contact are hidden from the agencies and the public; only a Dinas "
            "administrator can open them, for a reason that is recorded."
        ),
        required=False,
    )
    private = forms.BooleanField(
        label=_("Confidential"),
        help_text=_("Your report is never shown on the public pages of this website."),
        required=False,
    )
    protection_requested = forms.BooleanField(
        label=_("I ask for protection"),
        help_text=_(
            "Tick this if you fear retaliation for reporting; the Dinas will protect you "
            "(Perbup Pasal 4)."
        ),
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my data is used to handle this report."
        ),
        error_messages={"required": _("Agree to the privacy notice to send the report.")},
    )
    challenge_answer = forms.CharField(
        label=_("Answer"),
        help_text=_("Type the answer in digits, for example 7."),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)  # noqa: S101 - narrows the type
        if settings.ADUAN_MAP_TILE_URL:  # the map pin follows the chosen area
            region.widget = RegionSelect(region_coordinates())
        region.choices = region_choices()
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)  # noqa: S101
        category.choices = category_choices()
        self.fields["event_date"].widget.attrs["max"] = clock.local_date().isoformat()
        self.fields["website"].widget.attrs["aria-hidden"] = "true"

    @staticmethod
    def fresh_initial() -> dict[str, Any]:
        from .antispam import started_token

        return {"submission_id": uuid.uuid4(), "started": started_token()}

    def clean_submission_id(self) -> str:
        """The idempotency key as a canonical UUID, or "" when missing or malformed (the view
        then falls back to the Idempotency-Key header or a new id: never an error the citizen
        could not fix)."""
        return parse_submission_id(self.cleaned_data.get("submission_id", ""))

    def clean_event_date(self) -> Any:
        value = self.cleaned_data.get("event_date")
        if value and value > clock.local_date():
            raise ValidationError(_("The date of the event cannot be in the future."))
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "").strip()
        if value:
            try:
                return normalize_phone(value)
            except ApplicationError as exc:
                raise ValidationError(exc.message, code=exc.code) from exc
        return value

    def clean_nik(self) -> str:
        value = self.cleaned_data.get("nik", "").strip()
        if value:
            digits = "".join(ch for ch in value if ch.isdigit())
            if len(digits) != 16 or len(value.replace(" ", "")) != 16:
                raise ValidationError(_("A NIK has 16 digits."))
            return digits
        return value

    def clean_via(self) -> str:
        return "app" if self.cleaned_data.get("via") == "app" else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and data["kind"] != Kind.COMPLAINT:
            data["ground"] = ""  # a ground applies only to a complaint (chosen before switching)
        contact_ok = data.get("phone") or data.get("email")
        contact_errors = "phone" in self.errors or "email" in self.errors
        if not data.get("anonymous") and not contact_ok and not contact_errors:
            self.add_error(
                "phone",
                _(
                    "Give a phone number or an email address so that we can answer you, "
                    "or choose to report anonymously."
                ),
            )
        return data

    # --- after validation ---------------------------------------------------------------

    def channel(self) -> str:
        return Channel.APP if self.cleaned_data.get("via") == "app" else Channel.WEB

    def region_object(self) -> Region | None:
        value = self.cleaned_data.get("region")
        return Region.objects.filter(pk=value).first() if value else None

    def category_object(self) -> Category | None:
        value = self.cleaned_data.get("category")
        return Category.objects.filter(pk=value, is_active=True).first() if value else None

    def to_submission(self, *, language: str, ip_address: str) -> ComplaintSubmission:
        data = self.cleaned_data
        return ComplaintSubmission(
            channel=self.channel(),
            kind=data["kind"],
            ground=data.get("ground") or "",
            title=data.get("title") or "",
            body=data["body"],
            event_date=data.get("event_date"),
            region=self.region_object(),
            location_text=data.get("location_text") or "",
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            category=self.category_object(),
            anonymous=bool(data.get("anonymous")),
            private=bool(data.get("private")),
            protection_requested=bool(data.get("protection_requested")),
            identity=IdentityInput(
                name=data.get("name") or "",
                phone=data.get("phone") or "",
                email=data.get("email") or "",
                nik=data.get("nik") or "",
                address=data.get("address") or "",
                ip_address=ip_address,
            ),
            language=language,
            consent_version=PRIVACY_NOTICE_VERSION,
        )

    def add_service_error(self, exc: ApplicationError) -> None:
        """Show an error from `complaint_submit` next to the field it is about."""
        field = SERVICE_FIELDS.get(str(exc.extra.get("field", "")))
        self.add_error(field, exc.message)

    def error_summary(
        self, attachments_id: str = "", attachment_errors: Sequence[str] = ()
    ) -> list[tuple[str, str]]:
        """(element id, message) for the summary at the top, in the order of the form; the
        attachments' errors (from StagedUploads) come where the attachments are."""
        items = [("", str(message)) for message in self.non_field_errors()]
        for name in self.fields:
            if name == "share_location":
                items.extend((attachments_id, str(m)) for m in attachment_errors)
            if name in self.errors:
                target = f"id_{name}_0" if name == "kind" else f"id_{name}"
                items.extend((target, str(m)) for m in self.errors[name])
        return items

    def kind_options(self) -> list[dict[str, Any]]:
        """The kinds with their one-line explanations, for the radio group."""
        current = self["kind"].value() or Kind.COMPLAINT
        return [
            {
                "value": value,
                "label": label,
                "explanation": KIND_EXPLANATIONS[Kind(value)],
                "id": f"id_kind_{index}",
                "checked": str(current) == value,
            }
            for index, (value, label) in enumerate(Kind.choices)
        ]
