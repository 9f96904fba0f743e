"""Administration in the back-office (`/kantor/pengaturan/`, Dinas admins only): agencies and
their complaint handlers, staff accounts and roles, categories and their agencies, response
templates, holidays and cuti bersama, deadlines. Lists and forms; every write goes through
`manage_services`, which audits it (`settings.<thing>.<verb>`, S14)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import holidays as holidays_package
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.agencies.models import Agency, Category
from aduan.complaints.models import DeadlinePolicy
from aduan.core import clock
from aduan.core.exceptions import ApplicationError
from aduan.workdays.models import Holiday

from ..auth import staff_required
from ..manage_forms import (
    AgencyForm,
    CategoryForm,
    DeadlinePolicyForm,
    HolidayForm,
    ResponseTemplateForm,
    StaffUserForm,
)
from ..manage_services import (
    settings_save,
    staff_user_create,
    staff_user_set_active,
    staff_user_update,
)
from ..models import ResponseTemplate

admin_only = staff_required(roles=[Role.ADMIN])

# thing (audit name) → (list URL name, title of the list, title of one)
SECTIONS: dict[str, tuple[str, Any, Any]] = {
    "agency": ("backoffice:manage_agencies", gettext_lazy("Agencies"), gettext_lazy("agency")),
    "user": ("backoffice:manage_users", gettext_lazy("Staff accounts"), gettext_lazy("account")),
    "category": (
        "backoffice:manage_categories",
        gettext_lazy("Categories"),
        gettext_lazy("category"),
    ),
    "response_template": (
        "backoffice:manage_templates",
        gettext_lazy("Response templates"),
        gettext_lazy("response template"),
    ),
    "holiday": ("backoffice:manage_holidays", gettext_lazy("Holidays"), gettext_lazy("holiday")),
}


@admin_only
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    """The landing page: one link per kind of setting, with counts."""
    counts = {
        "agencies": Agency.objects.filter(is_active=True).count(),
        "users": User.objects.filter(is_active=True).exclude(role="").count(),
        "categories": Category.objects.filter(is_active=True).count(),
        "templates": ResponseTemplate.objects.filter(is_active=True).count(),
        "holidays": Holiday.objects.filter(date__year=clock.local_date().year).count(),
    }
    context = {"counts": counts, "policy": DeadlinePolicy.current()}
    return render(request, "backoffice/manage/index.html", context)


def _edit(
    request: HttpRequest,
    *,
    thing: str,
    form: forms.ModelForm,
    template: str = "backoffice/manage/edit.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show `form` (GET) or save it through `settings_save` (POST, valid) and go to the list."""
    list_url, list_title, one_title = SECTIONS[thing]
    if request.method == "POST" and form.is_valid():
        creating = form.instance.pk is None
        obj = settings_save(form=form, by=request.user, thing=thing)  # type: ignore[arg-type]
        messages.success(
            request,
            (_("“%(name)s” was added.") if creating else _("“%(name)s” was saved."))
            % {"name": obj},
        )
        return HttpResponseRedirect(reverse(list_url), status=303)
    context = {
        "form": form,
        "thing": thing,
        "list_url": reverse(list_url),
        "list_title": list_title,
        "one_title": one_title,
        "creating": form.instance.pk is None,
        **(extra or {}),
    }
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- agencies -------------------------------------------------------------------------------


@admin_only
@require_GET
def agencies(request: HttpRequest) -> HttpResponse:
    rows = Agency.objects.annotate(staff_count=Count("staff")).order_by("-is_active", "name")
    return render(request, "backoffice/manage/agencies.html", {"agencies": rows})


@admin_only
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Agency, pk=pk) if pk else None
    return _edit(request, thing="agency", form=AgencyForm(_data(request), instance=instance))


# --- staff accounts ---------------------------------------------------------------------------


@admin_only
@require_GET
def users(request: HttpRequest) -> HttpResponse:
    rows = (
        User.objects.exclude(role="")
        .select_related("agency")
        .order_by("-is_active", "role", "agency__name", "username")
    )
    return render(request, "backoffice/manage/users.html", {"users": rows})


@admin_only
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(User.objects.exclude(role=""), pk=pk) if pk else None
    form = StaffUserForm(_data(request), instance=instance, editor=request.user)  # type: ignore[arg-type]
    context = {
        "form": form,
        "thing": "user",
        "list_url": reverse("backoffice:manage_users"),
        "list_title": SECTIONS["user"][1],
        "one_title": SECTIONS["user"][2],
        "creating": instance is None,
        "account": instance,
    }
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                user = staff_user_create(form=form, by=request.user)  # type: ignore[arg-type]
                messages.success(
                    request,
                    _(
                        "The account “%(name)s” was created; an email with a link to choose a "
                        "password was sent to %(email)s."
                    )
                    % {"name": user.username, "email": user.email},
                )
            else:
                user = staff_user_update(form=form, by=request.user)  # type: ignore[arg-type]
                messages.success(request, _("“%(name)s” was saved.") % {"name": user.username})
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field"), exc.message)
        else:
            return HttpResponseRedirect(reverse("backoffice:manage_users"), status=303)
    status = 400 if request.method == "POST" else 200
    return render(request, "backoffice/manage/user_edit.html", context, status=status)


@admin_only
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate (`active=0`) or reactivate (`active=1`) an account — never delete it."""
    account = get_object_or_404(User.objects.exclude(role=""), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        staff_user_set_active(user=account, active=active, by=request.user)  # type: ignore[arg-type]
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            (_("“%(name)s” can sign in again.") if active else _("“%(name)s” was deactivated."))
            % {"name": account.username},
        )
    return HttpResponseRedirect(reverse("backoffice:manage_users"), status=303)


# --- categories ---------------------------------------------------------------------------------


@admin_only
@require_GET
def categories(request: HttpRequest) -> HttpResponse:
    rows = (
        Category.objects.select_related("parent", "default_agency")
        .prefetch_related("alternative_agencies")
        .order_by("code")
    )
    return render(request, "backoffice/manage/categories.html", {"categories": rows})


@admin_only
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Category, pk=pk) if pk else None
    return _edit(request, thing="category", form=CategoryForm(_data(request), instance=instance))


# --- response templates ----------------------------------------------------------------------


@admin_only
@require_GET
def templates(request: HttpRequest) -> HttpResponse:
    rows = ResponseTemplate.objects.select_related("category", "agency").order_by(
        "-is_active", "title"
    )
    return render(request, "backoffice/manage/templates.html", {"templates": rows})


@admin_only
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(ResponseTemplate, pk=pk) if pk else None
    return _edit(
        request,
        thing="response_template",
        form=ResponseTemplateForm(_data(request), instance=instance),
    )


# --- holidays -----------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    today = clock.local_date().year
    try:
        year = int(request.GET.get("tahun", today))
    except ValueError:
        return today
    return year if 2000 <= year <= 2100 else today


def package_holidays_named(year: int) -> list[tuple[dt.date, str]]:
    """The national holidays of `year` as the `holidays` package knows them (with names)."""
    days = holidays_package.country_holidays(
        settings.ADUAN_HOLIDAY_COUNTRY,
        years=[year],
        categories=tuple(settings.ADUAN_HOLIDAY_CATEGORIES),
        language=("en_US" if get_language() == "en" else "id")
        if settings.ADUAN_HOLIDAY_COUNTRY == "ID"
        else None,
    )
    return sorted(days.items())


@admin_only
@require_GET
def holidays(request: HttpRequest) -> HttpResponse:
    """The year's table rows next to the package's national holidays (which a row overrides)."""
    year = _year(request)
    rows: QuerySet[Holiday] = Holiday.objects.filter(date__year=year).order_by("date")
    by_date = {row.date: row for row in rows}
    package = [
        {"date": day, "name": name, "row": by_date.get(day)}
        for day, name in package_holidays_named(year)
    ]
    context = {
        "year": year,
        "rows": rows,
        "package": package,
        "package_dates": {day for day, _name in package_holidays_named(year)},
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "backoffice/manage/holidays.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def holiday_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Holiday, pk=pk) if pk else None
    initial: dict[str, Any] = {}
    if instance is None and request.method == "GET" and request.GET.get("tanggal"):
        # "Make this date a working day" from the package list: a prefilled correction row.
        initial = {
            "date": request.GET["tanggal"][:10],
            "kind": Holiday.Kind.NATIONAL,
            "name": request.GET.get("nama", "")[:200],
            "is_active": request.GET.get("kerja") != "1",
        }
    form = HolidayForm(_data(request), instance=instance, initial=initial)
    return _edit(
        request,
        thing="holiday",
        form=form,
        extra={"hint": _("The calendar changes at once: deadlines computed from now on use it.")},
    )


# --- deadlines ----------------------------------------------------------------------------------


@admin_only
@require_http_methods(["GET", "POST"])
def deadlines(request: HttpRequest) -> HttpResponse:
    policy = DeadlinePolicy.current()
    form = DeadlinePolicyForm(_data(request), instance=policy)
    if request.method == "POST" and form.is_valid():
        settings_save(form=form, by=request.user, thing="deadlines")  # type: ignore[arg-type]
        messages.success(
            request,
            _("The deadlines were saved. They apply to clocks started from now on."),
        )
        return HttpResponseRedirect(reverse("backoffice:manage_deadlines"), status=303)
    status = 400 if request.method == "POST" else 200
    return render(request, "backoffice/manage/deadlines.html", {"form": form}, status=status)
