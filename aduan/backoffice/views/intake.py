"""Operator intake (Pasal 10, R23): `/kantor/aduan/baru/` and its receipt.

The form is the citizen's report form with the channel, the time of receipt, a scan or photo
of a paper form (or the screenshot of a social-media post, with the post's platform, address
and author: issue 5), and the operator's confirmation that the complainant was told the privacy
notice. Works without JavaScript; a `submission_id` made when the form is shown makes a double
click or a resent POST create one complaint (S16). The receipt shows the tracking code and the
private link once, to the operator who entered it (in this browser session), to print or read
out for the complainant.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aduan.accounts.roles import Role
from aduan.complaints.codes import access_token_hash
from aduan.complaints.models import Complaint, DeadlinePolicy
from aduan.complaints.workflow.actors import Actor
from aduan.core.exceptions import ApplicationError
from aduan.portal.uploads import StagedUploads

from ..auth import staff_required
from ..intake_forms import IntakeForm
from ..operator_intake import complaint_enter_by_operator
from ..qr import qr_svg

SESSION_RECEIPTS = "backoffice_intake_receipts"
MAX_RECEIPTS = 20


def _page(
    request: HttpRequest,
    form: IntakeForm,
    staged: StagedUploads,
    status: int = 200,
    duplicate: dict[str, object] | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "duplicate": duplicate,
        "staged": staged,
        "error_summary": form.error_summary(staged.field_id, staged.errors)
        if form.is_bound
        else [],
        "privacy_url": reverse("portal:privacy"),
    }
    return render(request, "backoffice/intake/form.html", context, status=status)


@staff_required(roles=[Role.ADMIN])
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """The operator's form (GET) or a complaint entered (POST → 303 to the receipt)."""
    staged = StagedUploads.from_request(request)  # new files are checked even with errors
    if request.method != "POST":
        return _page(request, IntakeForm(initial=IntakeForm.fresh_initial()), staged)

    data = request.POST.copy()
    form = IntakeForm(data)
    form.is_valid()
    submission_id = form.cleaned_data.get("submission_id") or str(uuid.uuid4())
    data["submission_id"] = submission_id  # a form shown again keeps its id
    if form.errors or staged.errors:
        return _page(request, form, staged, status=400)
    try:
        result = complaint_enter_by_operator(
            submission=form.to_submission(language=settings.LANGUAGE_CODE),
            by=Actor.of(request.user),  # type: ignore[arg-type]
            received_at=form.cleaned_data.get("received_at"),
            idempotency_key=submission_id,
            uploads=staged.uploads,
            social_post=form.social_post(),
            duplicate_confirmed=bool(form.cleaned_data.get("duplicate_confirmed")),
        )
    except ApplicationError as exc:
        duplicate = None
        if exc.code == "duplicate_post":
            # The same post entered before: say so, link it, and let the admin go on only on
            # purpose (a second complaint in one post).
            form.add_service_error(exc)
            duplicate = {
                "url": reverse("backoffice:complaint", args=[exc.extra["complaint_id"]]),
                "tracking_code": exc.extra["tracking_code"],
            }
        elif exc.code == "idempotency_key_reused":
            form.add_error(
                None,
                _(
                    "This form was already sent with other content. Check the complaint and "
                    "send it again to enter a new one."
                ),
            )
            data["submission_id"] = str(uuid.uuid4())
        else:
            form.add_service_error(exc)
        return _page(request, form, staged, status=400, duplicate=duplicate)

    complaint = result.complaint
    receipts = dict(request.session.get(SESSION_RECEIPTS, {}))
    receipts.pop(complaint.tracking_code, None)
    receipts[complaint.tracking_code] = result.access_token or complaint.access_token
    request.session[SESSION_RECEIPTS] = dict(list(receipts.items())[-MAX_RECEIPTS:])
    response = HttpResponseRedirect(reverse("backoffice:intake_receipt", args=[complaint.pk]))
    response.status_code = 303
    return response


def private_url(code: str, token: str) -> str:
    return f"{settings.ADUAN_SITE_URL}{reverse('portal:complaint', args=[code])}?t={token}"


def _masked(value: str, keep: int = 4) -> str:
    return "•" * max(len(value) - keep, 0) + value[-keep:] if value else ""


@staff_required(roles=[Role.ADMIN])
@require_GET
def intake_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt of a complaint this operator entered in this session (else 404): the code
    in large type, the private link (and its QR code) to hand over, printable."""
    complaint = get_object_or_404(
        Complaint.objects.select_related("region__parent", "category", "complainant"),
        pk=pk,
        submitted_by=request.user,
    )
    token = request.session.get(SESSION_RECEIPTS, {}).get(complaint.tracking_code)
    if not token or not constant_time_compare(
        access_token_hash(token), complaint.access_token_hash
    ):
        raise Http404
    complainant = getattr(complaint, "complainant", None)
    link = private_url(complaint.tracking_code, token)
    context = {
        "complaint": complaint,
        "private_url": link,
        "qr": qr_svg(link, title=_("QR code of the private link"), scale=3),
        "policy": DeadlinePolicy.current(),
        "sms_to": _masked(complainant.phone) if complainant and complainant.phone else "",
        "email_to": _masked(complainant.email.split("@")[0], 2)
        + "@"
        + complainant.email.split("@")[-1]
        if complainant and complainant.email
        else "",
        "track_url": reverse("portal:complaint", args=[complaint.tracking_code]),
    }
    response = render(request, "backoffice/intake/receipt.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response
