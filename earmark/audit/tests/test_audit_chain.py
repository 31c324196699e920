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
    from earmark.audit.checkpoints import checkpoint_make

    checkpoint_make()
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit chain intact" in out.getvalue()
    assert audit_chain_verify().checked == AuditEvent.objects.count()


def test_a_chain_no_checkpoint_signs_fails_unless_the_installation_is_new(
    county_officer: User, settings: object
) -> None:
    """Without a checkpoint, the deletion of the log's tail cannot be seen: verifying says so
    and fails, unless the operator says the installation is new (#34)."""
    settings.EARMARK_AUDIT_CHECKPOINTS.unlink(missing_ok=True)  # type: ignore[attr-defined]
    assert audit_chain_verify().unanchored
    with pytest.raises(CommandError, match="no signed checkpoint"):
        call_command("audit_verify")
    out = io.StringIO()
    call_command("audit_verify", "--new-install", stdout=out)
    assert "audit chain intact" in out.getvalue()


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


def _rehash_from(start: int) -> None:
    """What an attacker without the key does: recompute every hash from ``start`` on, as plain
    SHA-256 over the same content (the only hash one can compute without the key)."""
    from earmark.audit.chain import content_hash

    prev = AuditEvent.objects.filter(id__lt=start).order_by("-id").first()
    prev_hash = prev.hash if prev else "0" * 64
    with connection.cursor() as cursor:
        for event in AuditEvent.objects.filter(id__gte=start).order_by("id"):
            new = content_hash(
                prev_hash=prev_hash,
                created_at=event.created_at,
                actor_id=event.actor_id,
                actor_label=event.actor_label,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                region_code=event.region_code,
                details=event.details,
                key=None,
            )
            cursor.execute(
                "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
                [prev_hash, new, event.pk],
            )
            prev_hash = new


def _three_users(make_user: object) -> list[AuditEvent]:
    for n in range(3):
        make_user(username=f"attack{n}")  # type: ignore[operator]
    return list(AuditEvent.objects.order_by("id"))


def test_an_edited_row_with_the_chain_rehashed_is_found(make_user: object) -> None:
    events = _three_users(make_user)
    target = events[-2]
    _drop_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET details = %s WHERE id = %s",
            ['{"username": "someone-else"}', target.pk],
        )
    _rehash_from(target.pk)
    report = audit_chain_verify()
    assert report.broken is not None
    assert (report.broken.event_id, report.broken.reason) == (
        target.pk,
        "content does not match its hash",
    )


def test_deleted_newest_rows_are_found_against_the_checkpoint(make_user: object) -> None:
    from earmark.audit.checkpoints import checkpoint_make

    events = _three_users(make_user)
    checkpoint_make()
    _drop_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id >= %s", [events[-2].pk])
    report = audit_chain_verify()
    assert report.broken is not None
    assert report.broken.reason == "rows signed in the last checkpoint are missing (truncated)"
    with pytest.raises(CommandError, match="truncated"):
        call_command("audit_verify")


def test_a_forged_row_appended_with_a_good_looking_hash_is_found(make_user: object) -> None:
    from earmark.audit.chain import content_hash

    events = _three_users(make_user)
    last = events[-1]
    forged_hash = content_hash(
        prev_hash=last.hash,
        created_at=last.created_at,
        actor_id=None,
        actor_label="system",
        action="certificate.revoke",
        object_type="quarantine.certificate",
        object_id="1",
        region_code="220102",
        details={},
        key=None,
    )
    for keyed, reason in ((True, "content does not match its hash"), (False, "an unkeyed row")):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_auditevent (created_at, actor_label, action, object_type,"
                " object_id, region_code, details, prev_hash, hash, keyed)"
                " VALUES (%s, 'system', 'certificate.revoke', 'quarantine.certificate', '1',"
                " '220102', '{}', %s, %s, %s)",
                [last.created_at, last.hash, forged_hash, keyed],
            )
            report = audit_chain_verify()
            assert report.broken is not None and report.broken.reason.startswith(reason)
            transaction.set_rollback(True)


def test_the_platforms_copy_of_the_checkpoint_finds_a_truncation_when_the_file_is_gone(
    make_user: object, settings: object
) -> None:
    from earmark.audit.checkpoints import checkpoint_make

    events = _three_users(make_user)
    platform_copy = checkpoint_make().payload
    settings.EARMARK_AUDIT_CHECKPOINTS.unlink()  # type: ignore[attr-defined]
    _drop_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    unanchored = audit_chain_verify()  # nothing local to hold it against
    assert unanchored.ok and unanchored.unanchored
    report = audit_chain_verify(checkpoint=platform_copy)
    assert report.broken is not None and "truncated" in report.broken.reason
    forged = platform_copy[:-6] + "AAAAAA"
    assert audit_chain_verify(checkpoint=forged).broken.reason.startswith("checkpoint signature")  # type: ignore[union-attr]
