"""Attachments on portal forms: the file input, and files that survive a form error (S10).

Every portal form that takes files (the report form, the tracking page's answer and follow-up)
uses this module; the checking itself is `aduan.complaints.uploads`.

How a view uses it::

    from aduan.portal.uploads import StagedUploads

    def report(request):
        staged = StagedUploads.from_request(request)          # on GET: nothing staged
        form = ReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid() and not staged.errors:
            result = complaint_submit(
                submission=...,
                uploads=staged.uploads,                      # become Attachments, same transaction
                share_location=form.cleaned_data["share_location"],
            )
            ...
        return render(request, "portal/report.html", {"form": form, "staged": staged})

and in the template, inside a ``<form method="post" enctype="multipart/form-data">``::

    {% include "portal/_uploads.html" with staged=staged %}

On POST, `from_request` (1) removes the uploads whose "remove" box was ticked, (2) checks the new
files' count and total size against what the form already holds (too many → none of the new
files is taken, with one clear message), then (3) passes each new file through
`upload_accept` — even when the rest of the form has errors, so the citizen does not have to
choose the files again. Accepted files are listed on the re-rendered form (name, size, a
"remove" box) and carried by hidden `attachments_kept` inputs; only uploads owned by this
browser session (`owner_key`) are ever listed, kept or removed. Per-file errors are in
`.errors` (strings, already translated) for the template; `.uploads` are the kept ones.

For a submission to another service (the tracking page's messages) call
`attachments_from_uploads(complaint=..., uploads=staged.uploads, message=...)` from
`aduan.complaints.uploads` inside that service's transaction.

`MultipleFileField` is there for forms that want the files in `cleaned_data` too (an API-like
form, a test); the include renders its own input named `attachments`, so a form using the
include does not need to declare or render the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from aduan.complaints.models import Upload
from aduan.complaints.uploads import check_batch, upload_accept, upload_discard, uploads_for
from aduan.core.exceptions import ApplicationError

from .access import owner_key

ACCEPT = "image/*,application/pdf"
KEPT_FIELD = "attachments_kept"
REMOVE_FIELD = "remove_upload"


class MultipleFileInput(forms.ClearableFileInput):
    """`<input type="file" multiple accept="image/*,application/pdf">` (the accept list is a hint
    for the phone's picker; the server decides by content)."""

    allow_multiple_selected = True

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__({"accept": ACCEPT, **(attrs or {})})


class MultipleFileField(forms.FileField):
    """Zero or more files; `cleaned_data` holds a list of UploadedFile (not yet checked)."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        if not data:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [single(data, initial)]


def _ids(values: Sequence[str]) -> list[int]:
    ids = []
    for value in values[:50]:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return ids


@dataclass
class StagedUploads:
    """The files of one form: those kept from earlier submissions of it and the new ones."""

    field_name: str = "attachments"
    uploads: list[Upload] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)

    @classmethod
    def from_request(
        cls, request: HttpRequest, form_field_name: str = "attachments"
    ) -> StagedUploads:
        staged = cls(field_name=form_field_name)
        if request.method != "POST":
            return staged
        kept_ids = _ids(request.POST.getlist(KEPT_FIELD))
        remove_ids = set(_ids(request.POST.getlist(REMOVE_FIELD)))
        new_files = [f for f in request.FILES.getlist(form_field_name) if f is not None]
        if not (kept_ids or remove_ids or new_files):
            return staged
        owner = owner_key(request)
        for upload_id in remove_ids:
            upload_discard(owner, upload_id)
        staged.uploads = uploads_for(owner, [pk for pk in kept_ids if pk not in remove_ids])
        if not new_files:
            return staged
        try:
            check_batch(
                names=[f.name or "" for f in new_files],
                sizes=[f.size or 0 for f in new_files],
                kept=staged.uploads,
            )
        except ApplicationError as exc:
            staged._refused(exc)
            return staged
        for file in new_files:
            try:
                staged.uploads.append(upload_accept(file, owner=owner))
            except ApplicationError as exc:
                staged._refused(exc)
        return staged

    def _refused(self, exc: ApplicationError) -> None:
        self.errors.append(exc.message)
        self.codes.append(exc.code)

    @property
    def field_id(self) -> str:
        return f"id_{self.field_name}"

    @property
    def limits(self) -> dict[str, int]:
        mb = 1024 * 1024
        return {
            "max_files": settings.ADUAN_UPLOAD_MAX_FILES,
            "max_mb": settings.ADUAN_UPLOAD_MAX_BYTES // mb,
            "total_mb": settings.ADUAN_UPLOAD_MAX_TOTAL_BYTES // mb,
        }

    @property
    def label(self) -> str:
        return str(_("Photos or documents (optional)"))

    def __bool__(self) -> bool:  # "are there files?" — errors are checked separately
        return bool(self.uploads)
