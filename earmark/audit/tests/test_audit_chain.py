from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from earmark.accounts.models import User
from earmark.audit.models import AuditEvent
from earmark.audit.selectors import audit_chain_verify
from earmark.audit.services import audit_record
from earmark.core import append_only

pytestmark = pytest.mark.django_db


def _drop_append_only_triggers() -> None:
    """What someone with direct database access would do before editing a row."""
    append_only.remove(connection, "audit_auditevent")


def test_services_record_who_did_what_in_the_same_transaction(county_officer: User) -> None:
    event = AuditEvent.objects.filter(action="user.create").last()
    assert event is not None
    assert event.object_id == str(county_officer.pk)
    assert event.region_code == "220102"
    assert event.details["roles"] == ["county_officer"]


def test_a_failed_service_leaves_no_audit_event(county_officer: User) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=county_officer, action="test.fail", object_type="x", object_id="1")
        raise RuntimeError("the change failed after its audit event")
    assert AuditEvent.objects.count() == before


def test_the_chain_of_a_clean_log_verifies(county_officer: User) -> None:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit chain intact" in out.getvalue()
    assert audit_chain_verify().checked == AuditEvent.objects.count()


def test_the_application_cannot_change_or_delete_an_event(county_officer: User) -> None:
    event = AuditEvent.objects.last()
    assert event is not None
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")


def test_the_database_refuses_a_raw_edit(county_officer: User) -> None:
    event = AuditEvent.objects.last()
    assert event is not None
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])


def test_audit_verify_reports_a_row_edited_with_raw_sql(make_user: object) -> None:
    for n in range(3):
        make_user(username=f"chain{n}")  # type: ignore[operator]
    target = AuditEvent.objects.order_by("id")[3]
    _drop_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET details = %s WHERE id = %s",
            ['{"username": "someone-else"}', target.pk],
        )
    report = audit_chain_verify()
    assert report.broken is not None
    assert report.broken.event_id == target.pk
    assert report.broken.reason == "content does not match its hash"
    with pytest.raises(CommandError, match=f"broken at event {target.pk}"):
        call_command("audit_verify")


def test_audit_verify_reports_a_deleted_row(make_user: object) -> None:
    for n in range(3):
        make_user(username=f"gap{n}")  # type: ignore[operator]
    events = list(AuditEvent.objects.order_by("id"))
    removed, following = events[-2], events[-1]
    _drop_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [removed.pk])
    report = audit_chain_verify()
    assert report.broken is not None
    assert report.broken.event_id == following.pk
    assert "previous-hash" in report.broken.reason
