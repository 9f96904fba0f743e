"""Forms of the back-office administration (`/kantor/pengaturan/`) and of moderation.
Validation only: the writes (and their audit rows) are in `manage_services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.agencies.models import Agency, Category
from aduan.complaints.models import DeadlinePolicy
from aduan.complaints.services import TITLE_MAX
from aduan.workdays.models import Holiday

from .intake_forms import AriaMixin
from .models import ResponseTemplate


class AccessibleModelForm(AriaMixin, forms.ModelForm):
    """A ModelForm whose inputs point at their help text and errors (WCAG 3.3.1)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def full_clean(self) -> None:
        super().full_clean()
        self.describe_fields()


class AgencyForm(AccessibleModelForm):
    """An agency (OPD) and its complaint handler, published in the directory (Pasal 3(2)a, R3)."""

    website = forms.URLField(
        label=_("website"), max_length=200, required=False, assume_scheme="https"
    )

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "short_name",
            "handler_name",
            "office_address",
            "phone",
            "email",
            "website",
            "requires_head_approval",
            "is_active",
        ]
        widgets = {"office_address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "code": _("Short letters and dashes, for example dpupr. Used in user names."),
            "handler_name": _("The complaint handler's name, shown in the public directory."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the code is referenced by accounts and data files
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code of an existing agency cannot change.")
            self.describe_fields()


class StaffUserForm(AccessibleModelForm):
    """A staff account: who, which role (Pasal 7), which agency. No password: the new user sets
    one through the emailed link."""

    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("Choose a role")), *Role.choices],
        error_messages={"required": _("Choose a role.")},
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "phone", "role", "agency"]
        help_texts = {
            "username": _("For signing in, for example penghubung.dpupr. Letters, digits, . - _"),
            "agency": _(
                "Required for liaison officers and agency heads. An agency may have several "
                "liaison officers."
            ),
        }

    def __init__(self, *args: Any, editor: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "The link to set a password and the notices are sent here."
        )
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        agency.queryset = Agency.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.agency_id or 0)
        ).order_by("name")
        agency.empty_label = _("No agency")
        self.describe_fields()

    def clean_email(self) -> str:
        email = (self.cleaned_data.get("email") or "").strip().lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk or 0)
        if email and others.exists():
            raise ValidationError(_("Another account already uses this email address."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        # A liaison or agency head without an agency: User.clean() says so next to the field.
        if (
            self.editor is not None
            and self.instance.pk == self.editor.pk
            and role
            and role != Role.ADMIN
        ):
            self.add_error("role", _("You cannot remove your own admin role."))
        return data


class CategoryForm(AccessibleModelForm):
    """A category and the agencies it goes to (R16: routing by category)."""

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "parent",
            "topic",
            "default_agency",
            "alternative_agencies",
            "is_active",
            "notes",
        ]
        widgets = {
            "alternative_agencies": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "default_agency": _(
                "Suggested when the Dinas dispatches a complaint of this category; empty: the "
                "parent category's agency."
            ),
            "alternative_agencies": _("Also offered when dispatching, as co-agencies or instead."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)  # noqa: S101
        parents = Category.objects.filter(parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        parent.queryset = parents.order_by("code")
        parent.empty_label = _("None (a top-level category)")
        for name in ("default_agency", "alternative_agencies"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
            field.queryset = Agency.objects.filter(is_active=True).order_by("name")
        self.fields["default_agency"].empty_label = _("None")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parent = data.get("parent")
        if parent is not None and self.instance.pk and self.instance.children.exists():
            self.add_error(
                "parent", _("This category has sub-categories, so it stays a top-level one.")
            )
        default = data.get("default_agency")
        alternatives = data.get("alternative_agencies") or []
        if default is not None and default in alternatives:
            self.add_error(
                "alternative_agencies",
                _("The default agency is already the first choice; do not list it again."),
            )
        return data


class ResponseTemplateForm(AccessibleModelForm):
    class Meta:
        model = ResponseTemplate
        fields = ["title", "category", "agency", "body", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "category": _("Empty: offered for every category."),
            "body": _("The starting text of a response; the liaison officer edits it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].empty_label = _("All categories")  # type: ignore[attr-defined]
        self.fields["agency"].empty_label = _("All agencies")  # type: ignore[attr-defined]
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")


class HolidayForm(AccessibleModelForm):
    """A cuti bersama, a local holiday, or a correction of the national calendar."""

    class Meta:
        model = Holiday
        fields = ["date", "kind", "name", "legal_basis", "is_active", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"legal_basis": _("For example: SKB 3 Menteri No. ... / 2026.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]  # type: ignore[attr-defined]
        self.fields["date"].error_messages["invalid"] = _("Enter a date like 2026-06-01.")


class DeadlinePolicyForm(AccessibleModelForm):
    class Meta:
        model = DeadlinePolicy
        fields = [
            "dispatch_working_days",
            "response_target_working_days",
            "response_deadline_working_days",
            "autoclose_days",
            "autoarchive_pending_days",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = data.get("response_target_working_days")
        deadline = data.get("response_deadline_working_days")
        if target and deadline and target > deadline:
            self.add_error(
                "response_target_working_days",
                _("The service target cannot be later than the deadline."),
            )
        return data


class PublicTextForm(AriaMixin, forms.Form):
    """The public wording of a report (Pasal 4(3)): masked automatically, edited by the admin."""

    public_title = forms.CharField(
        label=_("Public title"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Give the public title.")},
    )
    public_body = forms.CharField(
        label=_("Public text"),
        help_text=_(
            "Phone numbers, email addresses and NIK are masked automatically as […]. Also "
            "remove the names of reported persons and anything else that identifies someone "
            "(Perbup Pasal 4(3))."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Give the public text.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def full_clean(self) -> None:
        super().full_clean()
        self.describe_fields()
