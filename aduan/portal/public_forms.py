"""The public pages' GET forms: the report filters and the directory search (validation only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aduan.agencies.models import Agency, Category, Region

from .selectors import PUBLIC_STATES, ReportFilters, filter_choices

SEARCH_MAX = 200


class _AccessibleForm(forms.Form):
    """Errors are tied to their field: `aria-invalid` (Django) and `aria-describedby` pointing at
    the error text the template renders with id `<field id>-error`."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = f"id_{name}-error"
                widget.attrs["aria-invalid"] = "true"


class ReportFilterForm(_AccessibleForm):
    q = forms.CharField(
        label=_("Search words"),
        required=False,
        max_length=SEARCH_MAX,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All categories"),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("District (kecamatan)"),
        queryset=Region.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All districts"),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All agencies"),
    )
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = filter_choices()
        self.fields["category"].queryset = choices["categories"]  # type: ignore[attr-defined]
        self.fields["kecamatan"].queryset = choices["kecamatans"]  # type: ignore[attr-defined]
        self.fields["agency"].queryset = choices["agencies"]  # type: ignore[attr-defined]
        self.fields["state"].choices = [("", _("All states")), *PUBLIC_STATES]  # type: ignore[attr-defined]

    def filters(self) -> ReportFilters:
        """The valid filters; a field with an error is ignored (and its error shown)."""
        data = getattr(self, "cleaned_data", {})
        return ReportFilters(
            category=data.get("category"),
            kecamatan=data.get("kecamatan"),
            agency=data.get("agency"),
            state=data.get("state") or "",
            q=(data.get("q") or "").strip(),
        )


class DirectorySearchForm(_AccessibleForm):
    q = forms.CharField(
        label=_("Agency name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
