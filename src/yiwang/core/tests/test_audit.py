"""Audit events: append-only at the ORM level, hash-chained, tampering detected and named."""

import datetime
import hashlib
import io
import json
import threading
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection, connections, transaction

from yiwang import cli
from yiwang.core import audit
from yiwang.core.models import (
    GENESIS_HASH,
    HASHED_FIELDS,
    AppendOnlyError,
    AuditChainHead,
    AuditEvent,
)

pytestmark = pytest.mark.django_db


def _three():
    return [
        audit.record(
            "region.import",
            actor="user:1",
            actor_label="张三",
            object_type="region",
            object_id="330203000000",
            after={"name": "海曙区"},
            ip="10.0.0.1",
        ),
        audit.record(
            "account.disable",
            actor="user:1",
            acting_for="enterprise:91330200MA2XXXXX0Y",
            object_type="account",
            object_id=42,
            before={"active": True},
            after={"active": False},
        ),
        audit.record("calendar.seed", object_type="calendar", object_id="2026"),
    ]


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _verify_command():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_three_events_form_a_chain():
    first, second, third = _three()
    assert [first.id, second.id, third.id] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert audit.verify() == audit.VerifyResult(ok=True, checked=3)
    head = AuditChainHead.objects.get()
    assert (head.last_id, head.last_hash) == (3, third.hash)


def test_hash_is_sha256_of_prev_hash_and_canonical_json():
    """The published formula, so an external tool can verify an exported chain."""
    event = audit.record(
        "region.import",
        actor="user:1",
        actor_label="张三",
        object_type="region",
        object_id="330203000000",
        after={"name": "海曙区", "level": 3},
        ip="10.0.0.1",
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    payload = {
        "id": 1,
        "occurred_at": stored.occurred_at.astimezone(datetime.UTC).strftime(
            "%Y-%m-%dT%H:%M:%S.%f+00:00"
        ),
        "actor": "user:1",
        "actor_label": "张三",
        "acting_for": "",
        "action": "region.import",
        "object_type": "region",
        "object_id": "330203000000",
        "before": None,
        "after": {"level": 3, "name": "海曙区"},
        "ip": "10.0.0.1",
        "prev_hash": "0" * 64,
    }
    text = "0" * 64 + json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert stored.hash == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_hashed_fields_name_every_field_but_the_hash():
    names = {f.attname for f in AuditEvent._meta.concrete_fields}
    assert set(HASHED_FIELDS) == names - {"hash"}


def test_values_are_stored_as_they_are_hashed():
    """Dates, Decimals, int keys and IPv6 text survive the database round trip unchanged."""
    event = audit.record(
        "case.fee",
        before={"due": datetime.date(2025, 1, 27), "amount": Decimal("12.50"), 3: "三"},
        after={"at": datetime.datetime(2025, 1, 27, 9, 30, tzinfo=datetime.UTC)},
        ip="2001:0DB8:0000::0001",
    )
    audit.record("case.fee", ip="::ffff:192.168.1.9")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.before == {"due": "2025-01-27", "amount": "12.50", "3": "三"}
    assert stored.after == {"at": "2025-01-27T09:30:00Z"}
    assert stored.ip == "2001:db8::1"
    assert AuditEvent.objects.get(pk=2).ip == "192.168.1.9"
    assert audit.verify() == audit.VerifyResult(ok=True, checked=2)


def test_rows_cannot_be_changed_or_deleted_through_the_orm():
    event = _three()[0]
    stored = AuditEvent.objects.get(pk=event.pk)
    stored.action = "something.else"
    with pytest.raises(AppendOnlyError, match="不能修改（第 1 条）"):
        stored.save()
    with pytest.raises(AppendOnlyError, match="不能删除（第 1 条）"):
        stored.delete()
    with pytest.raises(AppendOnlyError, match="不能删除"):
        AuditEvent.objects.filter(pk=1).delete()
    with pytest.raises(AppendOnlyError, match="不能修改"):
        AuditEvent.objects.filter(pk=1).update(action="x")
    with pytest.raises(AppendOnlyError, match=r"只能通过 yiwang\.core\.audit\.record\(\) 写入"):
        AuditEvent.objects.create(action="forged", prev_hash="0" * 64, hash="0" * 64)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(action="forged")])
    assert audit.verify().ok


def test_rolled_back_event_leaves_no_row_and_no_gap():
    audit.record("first")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("undone")
        raise RuntimeError
    third = audit.record("second")
    assert third.id == 2
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "first",
        "second",
    ]
    assert audit.verify() == audit.VerifyResult(ok=True, checked=2)


def test_edited_row_is_named():
    _three()
    _sql("UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"active": true}', 2])
    assert audit.verify() == audit.VerifyResult(
        ok=False, checked=1, first_broken_id=2, reason="第 2 条记录内容被修改（哈希不符）"
    )


def test_edited_row_with_recomputed_hash_is_caught_at_the_next_row():
    events = _three()
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.action = "account.enable"
    _sql(
        "UPDATE core_auditevent SET action = %s, hash = %s WHERE id = %s",
        [forged.action, forged.compute_hash(), 2],
    )
    result = audit.verify()
    assert (result.ok, result.first_broken_id) == (False, 3)
    assert result.reason == "第 3 条记录之前缺失记录（前序哈希不符）"


def test_deleted_middle_row_is_named_by_the_next_row():
    _three()
    _sql("DELETE FROM core_auditevent WHERE id = %s", [2])
    assert audit.verify() == audit.VerifyResult(
        ok=False,
        checked=1,
        first_broken_id=3,
        reason="第 3 条记录之前缺失记录（前序哈希不符）",
    )


def test_deleted_first_row_is_detected():
    _three()
    _sql("DELETE FROM core_auditevent WHERE id = %s", [1])
    result = audit.verify()
    assert (result.ok, result.first_broken_id, result.reason) == (
        False,
        2,
        "第 2 条记录之前缺失记录（前序哈希不符）",
    )


def test_deleted_last_rows_are_detected_by_the_head():
    _three()
    audit.record("fourth")
    _sql("DELETE FROM core_auditevent WHERE id >= %s", [3])
    assert audit.verify() == audit.VerifyResult(
        ok=False,
        checked=2,
        first_broken_id=3,
        reason="链尾记录被删除：应到第 4 条，实到第 2 条",
    )


def test_tampered_head_is_detected():
    _three()
    _sql("UPDATE core_auditchainhead SET last_hash = %s", ["f" * 64])
    result = audit.verify()
    assert (result.ok, result.reason) == (False, "链头与第 3 条记录不符（链头哈希被修改）")


def test_deleted_head_is_detected():
    _three()
    _sql("DELETE FROM core_auditchainhead")
    result = audit.verify()
    assert (result.ok, result.checked, result.reason) == (
        False,
        3,
        "审计链头记录缺失，无法确认链尾记录是否完整",
    )


def test_empty_chain_is_complete():
    assert audit.verify() == audit.VerifyResult(ok=True, checked=0)


def test_verify_streams_in_chunks(django_assert_max_num_queries):
    for i in range(5):
        audit.record(f"bulk.{i}")
    # One query for the head, one for the rows, whatever the table size (SQLite fetches chunks
    # from the same cursor; PostgreSQL uses a server-side cursor).
    with django_assert_max_num_queries(2):
        assert audit.verify().checked == 5


def test_verify_command_reports_a_complete_chain():
    _three()
    assert _verify_command() == (0, "审计链完整：共 3 条记录\n", "")


def test_verify_command_names_the_broken_row_and_exits_1():
    _three()
    _sql("UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"name": "江北区"}', 1])
    code, out, err = _verify_command()
    assert (code, out) == (1, "")
    assert err == "审计链被破坏：第 1 条记录内容被修改（哈希不符）（此前 0 条记录完好）\n"


def test_cli_exit_status_is_exactly_1(capsys):
    _three()
    _sql("DELETE FROM core_auditevent WHERE id = %s", [3])
    with pytest.raises(SystemExit) as exit_:
        cli.main(["audit", "verify"])
    assert exit_.value.code == 1
    assert "链尾记录被删除：应到第 3 条，实到第 2 条" in capsys.readouterr().err


def test_tail_lists_recent_events_and_the_head():
    events = _three()
    out = io.StringIO()
    call_command("audit", "tail", "-n", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("#2 ")
    assert lines[0].endswith("user:1 代表 enterprise:91330200MA2XXXXX0Y account.disable account:42")
    assert lines[1].endswith("system calendar.seed calendar:2026")
    assert lines[2] == f"链头：第 3 条，哈希 {events[2].hash}"


def test_admin_is_read_only_and_searchable(rf, admin_user):
    _three()
    model_admin = admin.site._registry[AuditEvent]
    request = rf.get("/admin/core/auditevent/")
    request.user = admin_user
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, AuditEvent.objects.get(pk=2))
    assert not model_admin.has_delete_permission(request, AuditEvent.objects.get(pk=2))
    assert model_admin.get_actions(request) == {}
    found, _ = model_admin.get_search_results(request, AuditEvent.objects.all(), "account.disable")
    assert [e.id for e in found] == [2]
    found, _ = model_admin.get_search_results(request, AuditEvent.objects.all(), "330203000000")
    assert [e.id for e in found] == [1]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_intact():
    threads_count, per_thread = 8, 15
    barrier = threading.Barrier(threads_count)
    errors = []

    def work(n):
        try:
            barrier.wait()
            for i in range(per_thread):
                audit.record("concurrency.test", object_type="thread", object_id=f"{n}-{i}")
        except Exception as error:  # reported by the assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = threads_count * per_thread
    assert audit.verify() == audit.VerifyResult(ok=True, checked=total)
    assert list(AuditEvent.objects.order_by("id").values_list("id", flat=True)) == list(
        range(1, total + 1)
    )
    assert AuditEvent.objects.values("object_id").distinct().count() == total
