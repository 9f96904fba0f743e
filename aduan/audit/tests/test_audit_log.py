import pytest
from django.db import connection

from aduan.accounts.access import complaint_get_for_user
from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.audit.services import audit_record
from aduan.complaints.tests import factories as f
from aduan.core.append_only import AppendOnlyError
from aduan.core.exceptions import PermissionDenied

pytestmark = pytest.mark.django_db


def test_admin_login_and_failed_login_are_audited_with_the_request_id(client):
    """S14: logins and failed logins each write one audit row carrying the request id."""
    user = f.staff(Role.ADMIN, username="kominfo1", is_staff=True)
    user.set_password("rahasia-sekali-123")
    user.save()
    response = client.post(
        "/admin/login/",
        {"username": "kominfo1", "password": "salah"},
        HTTP_X_REQUEST_ID="req-failed-0001",
    )
    assert response.status_code == 200
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.actor is None and failed.actor_label == "kominfo1"
    assert failed.request_id == "req-failed-0001"

    response = client.post(
        "/admin/login/",
        {"username": "kominfo1", "password": "rahasia-sekali-123"},
        HTTP_X_REQUEST_ID="req-login-00001",
    )
    assert response.status_code == 302
    login = AuditEntry.objects.get(action="auth.login")
    assert login.actor == user and login.actor_role == Role.ADMIN
    assert login.request_id == "req-login-00001"
    assert login.ip_address == "127.0.0.1"


def test_permission_changes_are_audited():
    """S14: a change of role, agency or activity of a user writes an audit row."""
    user = f.staff(Role.MEMBER)
    user.role = Role.CHAIR
    user.save()
    entry = AuditEntry.objects.filter(
        action="user.permissions_changed", object_id=str(user.pk)
    ).get()
    assert entry.data["changed"]["role"] == {"from": "member", "to": "chair"}
    user.is_active = False
    user.save()
    assert (
        AuditEntry.objects.filter(action="user.permissions_changed", object_id=str(user.pk)).count()
        == 2
    )


def test_state_changes_are_audited_with_role_and_agency(buton):
    """S14, R6: every state change writes an audit row (actor, role, agency, object)."""
    complaint = f.dispatched("dinkes")
    liaison = f.actor(Role.LIAISON, f.agency("dinkes"))
    from aduan.complaints.workflow.transitions import complaint_acknowledge

    complaint_acknowledge(complaint=complaint, by=liaison)
    entry = AuditEntry.objects.get(action="complaint.acknowledge")
    assert entry.actor == liaison.user
    assert (entry.actor_role, entry.actor_agency) == ("liaison", "dinkes")
    assert (entry.object_type, entry.object_id) == ("complaints.complaint", str(complaint.pk))
    assert entry.data["from"] == "dispatched" and entry.data["to"] == "in_progress"
    assert (
        AuditEntry.objects.filter(action="complaint.submit", object_id=str(complaint.pk)).count()
        == 1
    )


def test_failed_authorisation_is_audited(buton):
    """S14, S3: a liaison asking for another agency's complaint is refused and the refusal is logged."""
    complaint = f.dispatched("dpupr")
    outsider = f.staff(Role.LIAISON, f.agency("dinkes"))
    with pytest.raises(PermissionDenied):
        complaint_get_for_user(user=outsider, pk=complaint.pk)
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.actor == outsider and entry.object_id == str(complaint.pk)


def test_audit_rows_cannot_be_changed_or_deleted_through_the_application():
    """S14: the model and its queryset refuse updates and deletes."""
    entry = audit_record("test.action", actor_label="system")
    entry.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_audit_rows_cannot_be_updated_with_raw_sql():
    """S14: the database itself refuses an UPDATE of the audit log (trigger on both databases)."""
    from django.db import DatabaseError, transaction

    entry = audit_record("test.action", actor_label="system")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET action = %s WHERE id = %s", ["rewritten", entry.pk]
        )
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


@pytest.mark.postgres
def test_audit_rows_cannot_be_deleted_with_raw_sql_on_postgresql():
    """S14: on PostgreSQL the trigger also refuses DELETE, unless a purge says so explicitly."""
    from django.db import DatabaseError, transaction

    entry = audit_record("test.action", actor_label="system")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL aduan.allow_purge = 'on'")
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert not AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_refused_transition_is_audited_even_though_it_rolled_back(buton):
    """S14, S3: a liaison of another agency trying to answer is refused, and the refusal is
    logged (after the transition's transaction rolled back)."""
    from aduan.complaints.workflow.transitions import complaint_acknowledge

    complaint = f.dispatched("dpupr")
    outsider = f.actor(Role.LIAISON, f.agency("dinkes"))
    with pytest.raises(PermissionDenied):
        complaint_acknowledge(complaint=complaint, by=outsider)
    entry = AuditEntry.objects.get(action="complaint.denied")
    assert entry.actor == outsider.user and entry.actor_agency == "dinkes"
    assert entry.data == {"verb": "acknowledge", "code": "not_own_agency"}
    assert entry.object_id == str(complaint.pk)
    complaint.refresh_from_db()
    assert complaint.status == "dispatched"
