"""Provisioned accounts: written and audited by the accounts app; a rerun writes nothing."""

import pytest

from yiwang.accounts.services import provision_account
from yiwang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_then_unchanged_then_changed():
    fields = {"username": "demo-1", "kind": "person", "name": "陈明", "phone": "13805740001"}
    user, created, changed = provision_account(None, fields, password_hash="!unusable")
    assert (created, changed) == (True, False)
    assert user.password == "!unusable"

    again = provision_account(user, fields, password_hash="other")
    assert again == (user, False, False)

    _, created, changed = provision_account(
        user, {**fields, "phone": "13805740009"}, password_hash="other"
    )
    assert (created, changed) == (False, True)
    user.refresh_from_db()
    assert user.phone == "13805740009"
    assert user.password == "!unusable"  # a provisioned password is never overwritten

    events = list(AuditEvent.objects.filter(action="account.provision").order_by("id"))
    assert [e.after["fields"] for e in events] == [
        ["kind", "name", "phone", "username"],
        ["phone"],
    ]
    assert events[1].after["secrets_set"] == ["phone"]
    assert "13805740009" not in str(events[1].after)
