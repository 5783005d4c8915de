"""``yiwang crypto rotate`` / ``check`` with two keys."""

import base64
import io

import pytest
from django.core.management import call_command
from django.db import connection

from yiwang.accounts.models import User
from yiwang.core import keyrotation
from yiwang.core.models import AuditEvent
from yiwang.integrations.models import PopulationRecord

pytestmark = pytest.mark.django_db

OLD = "old:" + base64.b64encode(b"o" * 32).decode()
NEW = "new:" + base64.b64encode(b"n" * 32).decode()


def raw(model, field, pk):
    table = model._meta.db_table
    column = model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_rotate_moves_every_value_to_the_new_key(settings):
    settings.DATA_KEYS = OLD
    user = User.objects.create(
        username="p1", kind="person", name="甲", id_number="330203199001011237", phone="13800000001"
    )
    record = PopulationRecord.objects.create(
        name="甲", id_number="330203199001011237", bank_card="6222000011112222", source="test"
    )
    assert raw(User, "id_number", user.pk).startswith("old$")
    settings.DATA_KEYS = f"{NEW},{OLD}"
    stale = {r.label: r.stale for r in keyrotation.check()}
    assert stale["accounts.User.id_number"] == 1
    assert stale["integrations.PopulationRecord.bank_card"] == 1
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_check:
        call_command("crypto", "check", stdout=out, stderr=io.StringIO())
    assert exit_check.value.code == 1

    call_command("crypto", "rotate", "--batch", "1", stdout=out)
    assert "完成：共重新加密" in out.getvalue()
    assert raw(User, "id_number", user.pk).startswith("new$")
    assert raw(User, "phone", user.pk).startswith("new$")
    assert raw(PopulationRecord, "bank_card", record.pk).startswith("new$")
    assert all(r.stale == 0 for r in keyrotation.check())

    # the old key can go: everything still reads, and lookups by blind index still work
    settings.DATA_KEYS = NEW
    assert User.objects.by_id_number("330203199001011237").get().phone == "13800000001"
    assert PopulationRecord.objects.get(pk=record.pk).bank_card == "6222000011112222"
    event = AuditEvent.objects.filter(action="crypto.rotate").latest("id")
    assert event.object_id == "new"
    assert event.after["columns"]["accounts.User.id_number"]["rotated"] == 1
    check_out = io.StringIO()
    call_command("crypto", "check", stdout=check_out)
    assert "所有加密值均使用当前密钥 new" in check_out.getvalue()


def test_rotate_twice_changes_nothing_the_second_time(settings):
    settings.DATA_KEYS = OLD
    User.objects.create(username="p1", kind="person", name="甲", phone="13800000001")
    settings.DATA_KEYS = f"{NEW},{OLD}"
    first = {r.label: r.rotated for r in keyrotation.rotate()}
    second = {r.label: r.rotated for r in keyrotation.rotate()}
    assert first["accounts.User.phone"] == 1
    assert second["accounts.User.phone"] == 0
