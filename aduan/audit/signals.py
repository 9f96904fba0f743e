"""Logins, logouts, failed logins and permission changes go to the audit log (S14)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from .services import audit_record

User = get_user_model()
WATCHED_FIELDS = ("role", "agency_id", "is_active", "is_staff", "is_superuser")


def _ip(request: Any) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record("auth.login", actor=user, obj=user, ip_address=_ip(request))


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        # "user" (the sign-out button), "idle" or "lifetime" (aduan/backoffice/middleware.py).
        reason = getattr(request, "aduan_logout_reason", "user")
        audit_record(
            "auth.logout", actor=user, obj=user, ip_address=_ip(request), data={"reason": reason}
        )


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        "auth.login_failed",
        actor_label=username or "unknown",
        object_type="accounts.user",
        ip_address=_ip(request),
        data={"username": username},
    )


@receiver(pre_save, sender=User)
def remember_permissions(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk:
        old = sender.objects.filter(pk=instance.pk).values(*WATCHED_FIELDS).first()
        instance._audit_before = old
    else:
        instance._audit_before = None


@receiver(post_save, sender=User)
def record_permission_change(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_audit_before", None)
    after = {field: getattr(instance, field) for field in WATCHED_FIELDS}
    if created:
        audit_record("user.created", obj=instance, data={"after": _jsonable(after)})
    elif before is not None and before != after:
        changed = {
            k: {"from": before[k], "to": after[k]} for k in WATCHED_FIELDS if before[k] != after[k]
        }
        audit_record("user.permissions_changed", obj=instance, data={"changed": _jsonable(changed)})


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def record_group_change(
    sender: Any, instance: Any, action: str, pk_set: Any, **kwargs: Any
) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, User):
        audit_record(
            "user.permissions_changed",
            obj=instance,
            data={"m2m": sender._meta.model_name, "action": action, "ids": sorted(pk_set or [])},
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, bool | int | str) or value is None:
        return value
    return str(value)
