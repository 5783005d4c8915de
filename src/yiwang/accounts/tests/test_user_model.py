"""The user keeps identifiers encrypted, finds them through blind indexes, shows them masked."""

import pytest
from django.db import connection

from yiwang.accounts.models import User

pytestmark = pytest.mark.django_db


def test_identifiers_are_encrypted_at_rest_and_found_by_index():
    user = User.objects.create_user(
        "p1", "Pass-2026-x", name="张三", id_number="11010519491231002X", phone="13800138000"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM accounts_user WHERE id = %s", [user.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert "11010519491231002X" not in stored_id
    assert "13800138000" not in stored_phone
    assert User.objects.by_id_number("11010519491231002x").get() == user
    assert User.objects.by_phone("13800138000").get() == user
    found = User.objects.get(pk=user.pk)
    assert found.id_number == "11010519491231002X"
    assert found.masked_id_number == "110105********002X"
    assert found.masked_phone == "138****8000"
    assert found.display_name == "张*"


def test_changing_the_phone_moves_the_index_even_with_update_fields():
    user = User.objects.create_user("p1", "Pass-2026-x", phone="13800138000")
    user.phone = "13900139000"
    user.save(update_fields=["phone"])
    assert User.objects.by_phone("13800138000").exists() is False
    assert User.objects.by_phone("13900139000").get() == user


def test_staff_without_identifiers_do_not_collide_on_the_unique_indexes():
    User.objects.create_user("s1", "Pass-2026-x", kind="staff", name="李四")
    User.objects.create_user("s2", "Pass-2026-x", kind="staff", name="王五")
    assert User.objects.filter(id_number_index__isnull=True).count() == 2
