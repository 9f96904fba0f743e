"""Typed request and response schemas of the public and complainant endpoints of `/api/v1/`.

Request schemas refuse unknown fields (`extra="forbid"`): a misspelt field is an error, never
silently dropped. Times are ISO 8601 with the regency's offset (`Moment`, +08:00).
"""

from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from .conventions import Moment, Page, Problem

__all__ = ["Problem"]

KindName = Literal["complaint", "aspiration", "information_request"]
GroundName = Literal["below_standard", "neglect", "violation"]


class StrictIn(Schema):
    """Unknown fields are refused; no type coercion ("5" is not 5, 0 is not false)."""

    model_config = ConfigDict(extra="forbid", strict=True)


# --- reference data --------------------------------------------------------------------------


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None = Field(None, description="The parent category's code.")
    topic: str = ""


class RegionOut(Schema):
    code: str
    name: str
    level: str = Field(description="regency, district (kecamatan), village (desa/kelurahan).")
    parent: str | None = Field(None, description="The parent region's code.")


class HandlerOut(Schema):
    """The complaint handler of an agency and their office (public, Pasal 3(2)a)."""

    name: str
    office_address: str
    phone: str
    email: str


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    is_coordinator: bool
    handler: HandlerOut


# --- submission --------------------------------------------------------------------------------


class IdentityIn(StrictIn):
    """Who complains. Everything optional; stored encrypted, never public (S1)."""

    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)
    nik: str = Field("", max_length=32)


class ComplaintIn(StrictIn):
    """A new report. As JSON, or as multipart/form-data with this JSON in the `payload` part
    and the files in `files` parts."""

    body: str = Field(min_length=1, max_length=10_000, description="What happened.")
    title: str = Field("", max_length=200)
    kind: KindName = "complaint"
    ground: GroundName | None = Field(None, description="Only for kind=complaint.")
    event_date: str | None = Field(
        None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="The day it happened (YYYY-MM-DD)."
    )
    region: str | None = Field(None, max_length=20, description="A region code (GET /regions).")
    category: str | None = Field(
        None, max_length=20, description="A category code (GET /categories)."
    )
    location_text: str = Field("", max_length=300)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    anonymous: bool = Field(False, description="Hide the identity from every agency (S1).")
    private: bool = Field(False, description="Rahasia: never listed publicly.")
    protection_requested: bool = False
    identity: IdentityIn | None = None
    privacy_consent: bool = Field(
        False, description="Required (true) when an identity is given: the privacy notice."
    )
    language: Literal["id", "en"] | None = Field(
        None, description="Language of the messages to the complainant (default: the request's)."
    )


class ComplaintCreated(Schema):
    tracking_code: str
    access_token: str | None = Field(
        description=(
            "The complainant's secret, shown ONCE (on creation; null on an idempotent replay). "
            "Send it in X-Complaint-Token; never put it in a URL."
        )
    )
    created: bool
    status: str
    received_at: Moment
    dispatch_due_at: Moment | None = None
    status_url: str
    private_url: str


# --- public status ------------------------------------------------------------------------------


class TimelineOut(Schema):
    state: str
    state_label: str
    at: Moment
    text: str


class ResponseOut(Schema):
    agency: str
    at: Moment
    text: str


class DeadlineOut(Schema):
    stage: str = Field(description="dispatch, answer, response, follow_up")
    due_at: Moment
    text: str


class ComplaintStatusOut(Schema):
    """What anyone with the tracking code may see. A private (rahasia) report shows its states
    only."""

    tracking_code: str
    kind: str
    status: str
    status_label: str
    private: bool
    received_at: Moment
    next_step: str
    deadline: DeadlineOut | None = None
    timeline: list[TimelineOut]
    category: str | None = None
    area: str | None = None
    agency: str | None = None
    title: str | None = Field(None, description="Moderated title, once published.")
    text: str | None = Field(None, description="Moderated text, once published.")
    responses: list[ResponseOut] = []


class ReportOut(Schema):
    """One row of the public list (masked text, only once published)."""

    tracking_code: str
    kind: str
    status: str
    status_label: str
    category: str
    kecamatan: str
    published: bool
    village: str = ""
    agency: str = ""
    received_at: Moment | None = None
    title: str = ""
    text: str = ""
    response: str = ""
    responded_at: Moment | None = None
    closed_at: Moment | None = None


ReportPage = Page[ReportOut]


# --- statistics -------------------------------------------------------------------------------
#
# S1 (issue 7): the same cells are hidden here as on /statistik/ and in /data/statistik.json
# (`aduan.reports.opendata.protect`, threshold `min_count`). A hidden count is null with
# `suppressed` true, never a number (docs/api.md, "Statistics").

HIDDEN = "null when `suppressed` is true (S1)."


class CountOut(Schema):
    label: str
    count: int | None = Field(description=f"The number of reports; {HIDDEN}")
    suppressed: bool = Field(
        False,
        description="The count is below the disclosure threshold, or hidden with such a count "
        "so that it cannot be worked out from the total.",
    )


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    count: int | None = Field(description=f"Reports received that month; {HIDDEN}")
    suppressed: bool = False


class AgencyStatOut(Schema):
    agency: str
    received: int | None = Field(description=f"Reports passed to the agency; {HIDDEN}")
    answered: int | None = Field(description=f"Its answers; {HIDDEN}")
    on_time: int | None = Field(
        None, description="Always null: not published per agency (S1); see `on_time_percent`."
    )
    late_open: int | None = Field(
        None, description="Always null: not published per agency (S1); see `on_time_percent`."
    )
    on_time_percent: int | None = Field(
        description="Answers on time of the answers due, in %: null when none are due, or when "
        "`on_time_percent_suppressed` (fewer answers due than the threshold, or answers hidden)."
    )
    suppressed: bool = Field(False, description="Any of this row's figures is hidden.")
    received_suppressed: bool = False
    answered_suppressed: bool = False
    on_time_percent_suppressed: bool = False


class StatisticsOut(Schema):
    computed_at: Moment
    min_count: int = Field(
        description="The disclosure threshold: counts from 1 to min_count - 1, and enough others "
        "that none can be worked out from the total, are hidden (S1)."
    )
    total: int
    answered: int | None = Field(description="null when `shares_suppressed` (S1).")
    late_open: int | None = Field(description="null when `shares_suppressed` (S1).")
    on_time: int | None = Field(description="null when `shares_suppressed` (S1).")
    on_time_percent: int | None
    within_target: int | None = Field(description="null when `shares_suppressed` (S1).")
    within_target_percent: int | None
    shares_suppressed: bool = Field(
        False, description="Fewer answers due than `min_count`: the counts and shares are hidden."
    )
    median_working_days: float | None
    median_suppressed: bool = Field(
        False, description="Fewer answers than `min_count`: the median would be an answer's own."
    )
    satisfaction_count: int | None = Field(description="null when `satisfaction_suppressed`.")
    satisfaction_average: float | None
    satisfaction_distribution: dict[str, int | None] = Field(
        description="Ratings per score 1-5; every value null when `satisfaction_suppressed`."
    )
    satisfaction_suppressed: bool = Field(
        False, description="Fewer ratings than `min_count`: count, average and scores hidden."
    )
    per_month: list[MonthOut] = Field(description="The last 12 months, oldest first.")
    per_category: list[CountOut] = Field(
        description="The (at most) 10 largest shown categories; the others, hidden ones "
        "included, are only in `total` (never listed one by one)."
    )
    per_kecamatan: list[CountOut] = Field(description="Shown rows by count, then hidden by name.")
    per_agency: list[AgencyStatOut] = Field(description="Shown rows by count, then hidden by name.")


# --- complainant -------------------------------------------------------------------------------


class AttachmentOut(Schema):
    name: str
    size: int


class MessageOut(Schema):
    kind: str
    kind_label: str
    side: str = Field(description="'complainant' or the agency's name (never a person).")
    mine: bool
    at: Moment
    text: str
    attachments: list[AttachmentOut] = []


class MyIdentityOut(Schema):
    name: str
    phone: str
    email: str
    address: str
    anonymous: bool


class RatingOut(Schema):
    satisfaction: int
    comment: str


class ComplaintPrivateOut(ComplaintStatusOut):
    """The complainant's own view (with the token): the whole conversation without internal
    notes, their own identity, and what they may do now."""

    body: str
    actions: list[str] = Field(
        description="What the complainant may do now: supplement, follow_up, confirm, rate, message"
    )
    question: str | None = None
    conversation: list[MessageOut]
    identity: MyIdentityOut | None = None
    rating: RatingOut | None = None


class TextIn(StrictIn):
    text: str = Field(min_length=1, max_length=10_000)


class ConfirmIn(StrictIn):
    satisfaction: int | None = Field(None, ge=1, le=5)
    comment: str = Field("", max_length=2000)


class RatingIn(StrictIn):
    satisfaction: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=2000)
