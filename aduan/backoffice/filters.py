"""The complaint list's filters: a GET form (works without JavaScript) and how it narrows a
queryset. Used by the list, the CSV export and saved filters (which keep the query string)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db import connection
from django.db.models import Case, F, Q, When
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from aduan.agencies.models import Agency, Category, Region
from aduan.complaints.models import Channel, Kind
from aduan.complaints.models.complaint import ComplaintQuerySet
from aduan.complaints.workflow.states import (
    DISPATCH_CLOCK_STATES,
    RESPONSE_CLOCK_STATES,
    Status,
)
from aduan.core import clock

# The query-string keys a filter consists of (everything else — page, part — is dropped when a
# filter is saved or exported).
FILTER_KEYS = (
    "q",
    "state",
    "agency",
    "category",
    "kecamatan",
    "channel",
    "kind",
    "overdue",
    "received_from",
    "received_to",
    "sort",
)

SORTS = {
    "-received": _("Received, newest first"),
    "deadline": _("Deadline, soonest first"),
    "received": _("Received, oldest first"),
}
DEFAULT_SORT = "-received"


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


class ComplaintFilterForm(forms.Form):
    """Every field optional; an invalid value shows an error beside its field and is ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words in the title or text, or a tracking code."),
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=_blank(Status.choices))
    agency = forms.ModelChoiceField(
        label=_("Lead agency"),
        required=False,
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        empty_label=_("All"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.filter(parent__isnull=True, is_active=True).order_by("name"),
        empty_label=_("All"),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        required=False,
        queryset=Region.objects.filter(level=Region.Level.DISTRICT).order_by("name"),
        empty_label=_("All"),
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=_blank(Channel.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(Kind.choices))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    received_from = forms.DateField(
        label=_("Received from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    received_to = forms.DateField(
        label=_("Received until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=list(SORTS.items()))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            if field.help_text:
                attrs["aria-describedby"] = f"id_{name}-help"
            if self.is_bound and name in self.errors:
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}-error"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty values (invalid fields are left out, never guessed)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            key: value
            for key, value in cleaned.items()
            if key not in self.errors and value not in (None, "", False)
        }


def filter_query_string(data: QueryDict | dict[str, Any]) -> str:
    """The filter part of a query string: known keys only, empty values dropped, stable order."""
    pairs = []
    for key in FILTER_KEYS:
        value = data.get(key, "")
        if isinstance(value, str):
            value = value.strip()
        if value not in ("", None):
            pairs.append((key, str(value)[:200]))
    return urlencode(pairs)


def _start_of_local_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def search_config() -> str:
    from aduan.portal.selectors import search_config as portal_search_config

    # The same configuration as the portal's index (migrations 0004 and 0005 agree on it).
    return portal_search_config()


def search(qs: ComplaintQuerySet, q: str) -> ComplaintQuerySet:
    """Full-text search in the complaint's own title and text (staff only; S3 applies first).

    PostgreSQL: websearch syntax over to_tsvector(title || ' ' || body), the expression of the
    GIN index of migration 0005. SQLite: every word, in the title or the text (icontains).
    """
    words = q.split()[:12]
    if not words:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        config = search_config()
        return qs.annotate(search=SearchVector("title", "body", config=config)).filter(
            search=SearchQuery(" ".join(words), config=config, search_type="websearch")
        )
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return qs


def current_due() -> Case:
    """The deadline of the stage each complaint is in (dispatch or response), else NULL."""
    return Case(
        When(status__in=sorted(DISPATCH_CLOCK_STATES), then=F("dispatch_due_at")),
        When(status__in=sorted(RESPONSE_CLOCK_STATES), then=F("response_due_at")),
        default=None,
    )


def apply_filters(qs: ComplaintQuerySet, filters: dict[str, Any]) -> ComplaintQuerySet:
    """Narrow `qs` (already limited to what the user may see) by the form's valid values."""
    if state := filters.get("state"):
        qs = qs.filter(status=state)
    if agency := filters.get("agency"):
        qs = qs.filter(lead_agency=agency)
    if category := filters.get("category"):
        qs = qs.filter(
            Q(category=category)
            | Q(category__parent=category)
            | Q(category__parent__parent=category)
        )
    if kecamatan := filters.get("kecamatan"):
        qs = qs.filter(Q(region=kecamatan) | Q(region__parent=kecamatan))
    if channel := filters.get("channel"):
        qs = qs.filter(channel=channel)
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if filters.get("overdue"):
        qs = qs.overdue(clock.now())
    if start := filters.get("received_from"):
        qs = qs.filter(received_at__gte=_start_of_local_day(start))
    if end := filters.get("received_to"):
        qs = qs.filter(received_at__lte=clock.end_of_local_day(end))
    if q := filters.get("q"):
        qs = search(qs, q)
    return qs


def order(qs: ComplaintQuerySet, sort: str) -> ComplaintQuerySet:
    if sort == "received":
        return qs.order_by("received_at", "id")
    if sort == "deadline":
        return qs.annotate(current_due=current_due()).order_by(
            F("current_due").asc(nulls_last=True), "-received_at", "-id"
        )
    return qs.order_by("-received_at", "-id")
