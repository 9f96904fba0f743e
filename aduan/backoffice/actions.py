"""The actions on the complaint page: one short form per action and what it calls.

`ACTIONS` maps a verb (the last part of `/kantor/aduan/<pk>/aksi/<verb>/`) to an `ActionSpec`:
its form, the check of who may do it now (raising PermissionDenied / ApplicationError — the
workflow's `check_transition` for the transitions) and the service call. The view is generic
(views/complaint.py). Forms validate only; every write goes through the workflow or
`aduan.backoffice.services`. Every form carries the state and version (`updated_at`) of the
complaint it was rendered for, so an action on a complaint someone else changed meanwhile is
refused as a whole (`services.transition_if_unchanged`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aduan.accounts.access import complaints_visible_to
from aduan.accounts.models import User
from aduan.agencies.models import Agency, Category, Cause
from aduan.complaints.models import Complaint, Kind, Resolution, Upload
from aduan.complaints.workflow import transitions as wf
from aduan.complaints.workflow.actors import Actor
from aduan.complaints.workflow.states import ADMIN_ARCHIVE_REASONS, ArchiveReason
from aduan.core.exceptions import ApplicationError

from . import services
from .models import ResponseTemplate

TEXT_MAX = 10_000


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class DescribedForm(forms.Form):
    """Fields point at their hint and errors (`aria-describedby`, `aria-invalid`), which the
    template renders with the ids `<field id>-hint` / `<field id>-errors` (WCAG 3.3.1)."""

    def describe(self) -> None:
        errors = getattr(self, "_errors", None) or {}
        for name, field_ in self.fields.items():
            bound = self[name]
            ids = []
            if field_.help_text:
                ids.append(f"{bound.auto_id}-hint")
            if name in errors:
                ids.append(f"{bound.auto_id}-errors")
                field_.widget.attrs["aria-invalid"] = "true"
            if ids:
                field_.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()
        self.describe()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self.describe()


class ActionForm(DescribedForm):
    """Base: the hidden state/version the form was rendered for; unique ids per action."""

    verb = ""
    state = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, complaint: Complaint, user: User, verb: str = "", **kwargs: Any
    ) -> None:
        self.complaint = complaint
        self.user = user
        self.verb = verb or self.verb
        kwargs.setdefault("auto_id", f"{self.verb}-%s")
        initial = dict(kwargs.pop("initial", None) or {})
        initial.setdefault("state", complaint.status)
        initial.setdefault("version", services.version_of(complaint))
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.setup()
        self.describe()

    def setup(self) -> None:
        """Querysets and initial values that depend on the complaint (subclasses)."""

    @property
    def visible_fields_list(self) -> list[forms.BoundField]:
        return [f for f in self if not f.is_hidden]

    def add_application_error(self, exc: ApplicationError) -> None:
        name = exc.extra.get("field")
        self.add_error(name if name in self.fields else None, exc.message)


def _active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name")


def _visible_complaint(user: User, value: str) -> Complaint | None:
    """A complaint named by tracking code or number, among those `user` may see (S3)."""
    value = (value or "").strip().upper()
    if not value:
        return None
    query = Q(tracking_code=value)
    if value.isdigit():
        query |= Q(pk=int(value))
    return complaints_visible_to(user).filter(query).first()


class _DispatchBase(ActionForm):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    agency = forms.ModelChoiceField(label=_("Lead agency"), queryset=Agency.objects.none())
    co_agencies = forms.ModelMultipleChoiceField(
        label=_("Co-agencies (optional)"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Agencies asked to help the lead agency."),
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=_textarea(2)
    )

    def setup(self) -> None:
        self.fields["category"].queryset = Category.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["agency"].queryset = _active_agencies()  # type: ignore[attr-defined]
        self.fields["co_agencies"].queryset = _active_agencies()  # type: ignore[attr-defined]
        self.fields["co_agencies"].widget.attrs["size"] = 6
        complaint = self.complaint
        if complaint.category_id:
            self.initial.setdefault("category", complaint.category_id)
        suggested = complaint.suggested_agency_id
        if suggested is None and complaint.category is not None:
            routed = complaint.category.routing_agency()
            suggested = routed.pk if routed else None
        if suggested:
            self.initial.setdefault("agency", suggested)


class DispatchForm(_DispatchBase):
    verb = "dispatch"
    kind = forms.ChoiceField(label=_("Kind of report"), choices=Kind.choices)
    field_order = ["kind", "category", "agency", "co_agencies", "note"]

    def setup(self) -> None:
        super().setup()
        self.initial.setdefault("kind", self.complaint.kind)


class RedispatchForm(_DispatchBase):
    verb = "redispatch"


class RequestInfoForm(ActionForm):
    verb = "request_info"
    question = forms.CharField(
        label=_("Question to the complainant"), max_length=2000, widget=_textarea(3)
    )


class ArchiveForm(ActionForm):
    verb = "archive"
    reason = forms.ChoiceField(label=_("Reason"), choices=())
    duplicate_of = forms.CharField(
        label=_("Duplicate of (tracking code)"),
        required=False,
        max_length=24,
        help_text=_("Only when the reason is “Duplicate”."),
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=_textarea(2)
    )

    def setup(self) -> None:
        self.fields["reason"].choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (value, label)
            for value, label in ArchiveReason.choices
            if value in ADMIN_ARCHIVE_REASONS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("duplicate_of", "")
        data["duplicate_complaint"] = None
        if data.get("reason") == ArchiveReason.DUPLICATE:
            if not code:
                self.add_error("duplicate_of", _("Say which complaint this one repeats."))
            else:
                other = _visible_complaint(self.user, code)
                if other is None:
                    self.add_error("duplicate_of", _("No complaint with this code."))
                elif other.pk == self.complaint.pk:
                    self.add_error("duplicate_of", _("A complaint cannot repeat itself."))
                data["duplicate_complaint"] = other
        return data


class ForwardOutForm(ActionForm):
    verb = "forward_out"
    forwarded_to = forms.CharField(
        label=_("Handed on to"),
        max_length=300,
        help_text=_("The institution that is competent, e.g. the provincial government."),
    )
    to_national_lapor = forms.BooleanField(
        label=_("Also passed on through the national LAPOR!-SP4N"), required=False
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=_textarea(2)
    )


class AcknowledgeForm(ActionForm):
    verb = "acknowledge"
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=_textarea(2)
    )


class ReturnForm(ActionForm):
    verb = "return"
    reason = forms.CharField(
        label=_("Why this is not your agency's business"), max_length=2000, widget=_textarea(3)
    )
    suggested_agency = forms.ModelChoiceField(
        label=_("Suggested agency"), queryset=Agency.objects.none(), required=False
    )

    def setup(self) -> None:
        agencies = _active_agencies()
        if self.complaint.lead_agency_id is not None:
            agencies = agencies.exclude(pk=self.complaint.lead_agency_id)
        self.fields["suggested_agency"].queryset = agencies  # type: ignore[attr-defined]


def templates_for(complaint: Complaint) -> QuerySet[ResponseTemplate]:
    """Response templates for the complaint's category (or all) and lead agency (or all)."""
    return ResponseTemplate.objects.filter(
        Q(category__isnull=True) | Q(category_id=complaint.category_id),
        Q(agency__isnull=True) | Q(agency_id=complaint.lead_agency_id),
        is_active=True,
    ).order_by("title")


class RespondForm(ActionForm):
    verb = "respond"
    text = forms.CharField(
        label=_("Response to the complainant"), max_length=TEXT_MAX, widget=_textarea(8)
    )
    cause = forms.ModelChoiceField(label=_("Cause"), queryset=Cause.objects.none())
    resolution = forms.ChoiceField(label=_("Handling result"), choices=())

    def setup(self) -> None:
        self.fields["cause"].queryset = Cause.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["resolution"].choices = [("", "---------"), *Resolution.choices]  # type: ignore[attr-defined]


class RestoreForm(ActionForm):
    verb = "restore"
    reason = forms.CharField(label=_("Reason for reopening"), max_length=2000, widget=_textarea(3))


class NoteForm(ActionForm):
    verb = "note"
    text = forms.CharField(label=_("Internal note"), max_length=TEXT_MAX, widget=_textarea(3))


class FieldCheckForm(ActionForm):
    verb = "field_check"
    checked_on = forms.DateField(
        label=_("Date of the field check"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    text = forms.CharField(label=_("What was found"), max_length=TEXT_MAX, widget=_textarea(4))


class CoAgencyInputForm(ActionForm):
    verb = "co_agency_input"
    agency = forms.ModelChoiceField(label=_("Co-agency"), queryset=Agency.objects.none())
    text = forms.CharField(
        label=_("What you need from the co-agency"), max_length=TEXT_MAX, widget=_textarea(3)
    )

    def setup(self) -> None:
        self.fields["agency"].queryset = self.complaint.co_agencies.all()  # type: ignore[attr-defined]


class CoordinateForm(ActionForm):
    verb = "coordinate"
    text = forms.CharField(
        label=_("Coordination note to the lead agency"), max_length=TEXT_MAX, widget=_textarea(3)
    )


class LinkForm(ActionForm):
    verb = "link"
    other = forms.CharField(label=_("Related complaint (tracking code)"), max_length=24)

    def clean_other(self) -> Complaint:
        other = _visible_complaint(self.user, self.cleaned_data.get("other", ""))
        if other is None:
            raise forms.ValidationError(_("No complaint with this code."))
        return other


class DraftApproveForm(ActionForm):
    verb = "draft_approve"


class DraftRejectForm(ActionForm):
    verb = "draft_reject"
    note = forms.CharField(
        label=_("What the liaison should change"), max_length=2000, widget=_textarea(3)
    )


class RevealForm(DescribedForm):
    reason = forms.CharField(
        label=_("Reason for revealing the identity"),
        max_length=500,
        min_length=services.REASON_MIN_LENGTH,
        widget=_textarea(2),
        help_text=_("Logged with your name. Reveal only when the handling needs it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reveal-%s")
        super().__init__(*args, **kwargs)
        self.describe()


# --- what each action does ----------------------------------------------------------------


@dataclass
class ActionRun:
    """Everything a `perform` needs."""

    complaint: Complaint
    actor: Actor
    data: dict[str, Any]
    uploads: Sequence[Upload] = field(default_factory=list)

    def transition(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        return services.transition_if_unchanged(
            fn,
            complaint=self.complaint,
            state=self.data.get("state") or self.complaint.status,
            version=self.data.get("version", ""),
            by=self.actor,
            **kwargs,
        )


def _dispatch(run: ActionRun) -> Any:
    d = run.data
    return run.transition(
        wf.complaint_dispatch,
        agency=d["agency"],
        co_agencies=list(d["co_agencies"]),
        category=d["category"],
        kind=d["kind"],
        note=d["note"],
    )


def _redispatch(run: ActionRun) -> Any:
    d = run.data
    return run.transition(
        wf.complaint_redispatch,
        agency=d["agency"],
        co_agencies=list(d["co_agencies"]),
        category=d["category"],
        note=d["note"],
    )


def _respond(run: ActionRun) -> Any:
    d = run.data
    fn = (
        services.response_draft_submit
        if services.needs_head_approval(run.complaint, run.actor)
        else services.complaint_respond_with_files
    )
    return run.transition(
        fn, text=d["text"], cause=d["cause"], resolution=d["resolution"], uploads=run.uploads
    )


def _check_transition(verb: str) -> Callable[[Complaint, Actor], None]:
    def check(complaint: Complaint, actor: Actor) -> None:
        wf.check_transition(verb, complaint, actor)

    return check


def _check_draft(complaint: Complaint, actor: Actor) -> None:
    services.check_draft_decision(complaint=complaint, by=actor)


@dataclass(frozen=True)
class ActionSpec:
    verb: str
    label: Promise
    form: type[ActionForm]
    check: Callable[[Complaint, Actor], None]
    perform: Callable[[ActionRun], Any]
    done: Promise
    changes_state: bool = True
    files: bool = False
    internal: bool = False  # the result is never shown to the complainant


ACTIONS: dict[str, ActionSpec] = {
    spec.verb: spec
    for spec in [
        ActionSpec(
            "dispatch",
            _("Verify and dispatch"),
            DispatchForm,
            _check_transition("dispatch"),
            _dispatch,
            _("The complaint was verified and dispatched."),
        ),
        ActionSpec(
            "redispatch",
            _("Dispatch again"),
            RedispatchForm,
            _check_transition("redispatch"),
            _redispatch,
            _("The complaint was dispatched again."),
        ),
        ActionSpec(
            "request_info",
            _("Ask the complainant"),
            RequestInfoForm,
            _check_transition("request_info"),
            lambda run: run.transition(wf.complaint_request_info, question=run.data["question"]),
            _("The question was sent; the complaint waits for the answer."),
        ),
        ActionSpec(
            "archive",
            _("Archive"),
            ArchiveForm,
            _check_transition("archive"),
            lambda run: run.transition(
                wf.complaint_archive,
                reason=run.data["reason"],
                note=run.data["note"],
                duplicate_of=run.data.get("duplicate_complaint"),
            ),
            _("The complaint was archived."),
        ),
        ActionSpec(
            "forward_out",
            _("Forward: outside the regency's authority"),
            ForwardOutForm,
            _check_transition("forward_out"),
            lambda run: run.transition(
                wf.complaint_forward_out,
                forwarded_to=run.data["forwarded_to"],
                note=run.data["note"],
                to_national_lapor=run.data["to_national_lapor"],
            ),
            _("The complaint was handed on and archived."),
        ),
        ActionSpec(
            "acknowledge",
            _("Take it up (acknowledge)"),
            AcknowledgeForm,
            _check_transition("acknowledge"),
            lambda run: run.transition(wf.complaint_acknowledge, note=run.data["note"]),
            _("You took the complaint up."),
        ),
        ActionSpec(
            "return",
            _("Return to the Dinas"),
            ReturnForm,
            _check_transition("return"),
            lambda run: run.transition(
                wf.complaint_return,
                reason=run.data["reason"],
                suggested_agency=run.data["suggested_agency"],
            ),
            _("The complaint was returned to the Dinas."),
        ),
        ActionSpec(
            "respond",
            _("Respond"),
            RespondForm,
            _check_transition("respond"),
            _respond,
            _("The response was sent to the complainant."),
            files=True,
        ),
        ActionSpec(
            "restore",
            _("Reopen"),
            RestoreForm,
            _check_transition("restore"),
            lambda run: run.transition(wf.complaint_restore, reason=run.data["reason"]),
            _("The complaint was reopened for verification."),
        ),
        ActionSpec(
            "draft_approve",
            _("Approve and send the response"),
            DraftApproveForm,
            _check_draft,
            lambda run: run.transition(services.response_draft_approve),
            _("The response was approved and sent to the complainant."),
        ),
        ActionSpec(
            "draft_reject",
            _("Send the response back"),
            DraftRejectForm,
            _check_draft,
            lambda run: services.response_draft_reject(
                complaint=run.complaint, by=run.actor, note=run.data["note"]
            ),
            _("The response was sent back to the liaison."),
            changes_state=False,
            internal=True,
        ),
        ActionSpec(
            "note",
            _("Internal note"),
            NoteForm,
            lambda c, a: services.check_note(complaint=c, by=a),
            lambda run: services.complaint_note(
                complaint=run.complaint, by=run.actor, text=run.data["text"]
            ),
            _("The note was added."),
            changes_state=False,
            internal=True,
        ),
        ActionSpec(
            "field_check",
            _("Record a field check"),
            FieldCheckForm,
            lambda c, a: services.check_field_check(complaint=c, by=a),
            lambda run: services.complaint_record_field_check(
                complaint=run.complaint,
                by=run.actor,
                text=run.data["text"],
                checked_on=run.data["checked_on"],
            ),
            _("The field check was recorded."),
            changes_state=False,
            internal=True,
        ),
        ActionSpec(
            "co_agency_input",
            _("Ask a co-agency for input"),
            CoAgencyInputForm,
            lambda c, a: services.check_co_agency_input(complaint=c, by=a),
            lambda run: services.complaint_request_co_agency_input(
                complaint=run.complaint,
                by=run.actor,
                agency=run.data["agency"],
                text=run.data["text"],
            ),
            _("The co-agency was asked for input."),
            changes_state=False,
            internal=True,
        ),
        ActionSpec(
            "coordinate",
            _("Coordinate"),
            CoordinateForm,
            lambda c, a: services.check_coordinate(complaint=c, by=a),
            lambda run: services.complaint_coordinate(
                complaint=run.complaint, by=run.actor, text=run.data["text"]
            ),
            _("The coordination note was recorded and the lead agency notified."),
            changes_state=False,
            internal=True,
        ),
        ActionSpec(
            "link",
            _("Link a related complaint"),
            LinkForm,
            lambda c, a: services.check_link(complaint=c, by=a),
            lambda run: services.complaint_link_related(
                complaint=run.complaint, other=run.data["other"], by=run.actor
            ),
            _("The complaints were linked."),
            changes_state=False,
            internal=True,
        ),
    ]
}


def action_allowed(spec: ActionSpec, complaint: Complaint, actor: Actor) -> bool:
    try:
        spec.check(complaint, actor)
    except ApplicationError:
        return False
    return True


def available_actions(complaint: Complaint, actor: Actor) -> list[ActionSpec]:
    """The actions `actor` may do now, in the order of ACTIONS (transitions first)."""
    return [spec for spec in ACTIONS.values() if action_allowed(spec, complaint, actor)]
