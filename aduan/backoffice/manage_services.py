"""Writes of the back-office administration: every change is one transaction with one audit
row `settings.<thing>.<verb>` (S14), and changes of a user's role, agency or active state are
also recorded as permission changes (`settings.user.permission_change`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.audit.services import audit_record
from aduan.core.exceptions import ApplicationError, PermissionDenied

# Values written to the audit log as they are; other fields are listed by name only.
AUDITED_VALUES = frozenset(
    {
        "role",
        "agency",
        "is_active",
        "requires_head_approval",
        "default_agency",
        "alternative_agencies",
        "parent",
        "date",
        "kind",
        "dispatch_working_days",
        "response_target_working_days",
        "response_deadline_working_days",
        "autoclose_days",
        "autoarchive_pending_days",
    }
)


def _require_admin(by: User) -> None:
    if not by.is_active or by.role != Role.ADMIN:
        raise PermissionDenied(_("Only a Dinas admin changes the settings."), code="forbidden")


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple):
        return sorted(_plain(v) for v in value)
    if isinstance(value, str | int | bool) or value is None:
        return value
    return str(value)


def _changes(form: forms.ModelForm, initial: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in form.changed_data:
        if name in AUDITED_VALUES:
            changes[name] = {"from": initial.get(name), "to": _plain(form.cleaned_data.get(name))}
        else:
            changes[name] = "changed"
    return changes


def _initial(form: forms.ModelForm) -> dict[str, Any]:
    return {name: _plain(form.initial.get(name)) for name in form.fields}


@transaction.atomic
def settings_save(*, form: forms.ModelForm, by: User, thing: str) -> models.Model:
    """Create or update the object of a validated ModelForm, audited as
    `settings.<thing>.create` / `settings.<thing>.update` with what changed."""
    _require_admin(by)
    creating = form.instance.pk is None
    initial = _initial(form)
    obj = form.save()
    audit_record(
        f"settings.{thing}.{'create' if creating else 'update'}",
        actor=by,
        obj=obj,
        data={"changes": _changes(form, initial)} if not creating else {},
    )
    return obj


def _permissions(user: User) -> dict[str, Any]:
    return {"role": user.role, "agency": user.agency_id, "is_active": user.is_active}


class _WelcomeResetForm(PasswordResetForm):
    """Django's password-reset mail for one given account, also when it has no usable password
    yet (a new account: PasswordResetForm.get_users skips those)."""

    def __init__(self, user: User) -> None:
        super().__init__(data={"email": user.email})
        self.user = user

    def get_users(self, email: str) -> Any:
        return [self.user] if self.user.is_active and self.user.email else []

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: Any,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        context["link"] = settings.ADUAN_SITE_URL + reset_link_path(
            context["uid"], context["token"]
        )
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


def reset_link_path(uidb64: str, token: str) -> str:
    """Where a password-reset link leads: the back-office's confirm page (H1, named
    `backoffice:password_reset_confirm`), else Django's default name."""
    for name in ("backoffice:password_reset_confirm", "password_reset_confirm"):
        try:
            return reverse(name, kwargs={"uidb64": uidb64, "token": token})
        except NoReverseMatch:
            continue
    return f"/kantor/masuk/atur-sandi/{uidb64}/{token}/"


def send_set_password_mail(user: User, *, by: User) -> None:
    """Email `user` a link to choose their password (Django's reset token, one use)."""
    site = settings.ADUAN_SITE_URL
    protocol, _sep, domain = site.partition("://")
    form = _WelcomeResetForm(user)
    form.is_valid()
    form.save(
        domain_override=domain,
        use_https=protocol == "https",
        subject_template_name="backoffice/manage/set_password_subject.txt",
        email_template_name="backoffice/manage/set_password_email.txt",
        extra_email_context={"site_url": site, "invited_by": by.display_name},
    )
    audit_record("settings.user.password_mail", actor=by, obj=user)


def staff_user_create(*, form: forms.ModelForm, by: User) -> User:
    """A new staff account without a password; the user gets the mail to set one."""
    _require_admin(by)
    with transaction.atomic():
        user: User = form.save(commit=False)
        user.set_unusable_password()
        user.is_active = True
        user.save()
        audit_record("settings.user.create", actor=by, obj=user, data=_permissions(user))
        audit_record(
            "settings.user.permission_change",
            actor=by,
            obj=user,
            data={"from": None, "to": _permissions(user)},
        )
    send_set_password_mail(user, by=by)
    return user


@transaction.atomic
def staff_user_update(*, form: forms.ModelForm, by: User) -> User:
    """Edit an account; a change of role or agency is also a permission change. An admin
    cannot take away their own admin role."""
    _require_admin(by)
    before = User.objects.select_for_update().get(pk=form.instance.pk)
    if before.pk == by.pk and form.cleaned_data.get("role") != Role.ADMIN:
        raise ApplicationError(
            _("You cannot remove your own admin role."),
            code="self_demotion",
            extra={"field": "role"},
        )
    initial = _initial(form)
    user: User = form.save()
    audit_record(
        "settings.user.update", actor=by, obj=user, data={"changes": _changes(form, initial)}
    )
    if _permissions(before) != _permissions(user):
        audit_record(
            "settings.user.permission_change",
            actor=by,
            obj=user,
            data={"from": _permissions(before), "to": _permissions(user)},
        )
    return user


@transaction.atomic
def staff_user_set_active(*, user: User, active: bool, by: User) -> User:
    """Deactivate (never delete: the audit trail names them) or reactivate an account. A
    deactivated user's sessions stop working at their next request (S8: Django's ModelBackend
    refuses inactive users when it loads the session's user)."""
    _require_admin(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk and not active:
        raise ApplicationError(_("You cannot deactivate your own account."), code="self")
    if user.is_active == active:
        return user
    before = _permissions(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(f"settings.user.{'reactivate' if active else 'deactivate'}", actor=by, obj=user)
    audit_record(
        "settings.user.permission_change",
        actor=by,
        obj=user,
        data={"from": before, "to": _permissions(user)},
    )
    return user
