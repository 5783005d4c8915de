"""Accounts made by the platform itself rather than by their owner: bulk provisioning.

The demo loader (and, later, an import of existing accounts from a previous platform) creates
accounts whose identity was verified elsewhere. They go through here so that the write and its
audit event stay in the accounts app; people who register themselves use
:mod:`~yiwang.accounts.services.registration`, clerks
:mod:`~yiwang.accounts.services.window_registration`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from yiwang.accounts.models import User
from yiwang.core import audit

__all__ = ["provision_account"]

# Never written into the audit event: identifiers and secrets (only that they changed).
_SECRET_FIELDS = frozenset({"id_number", "phone", "totp_secret", "password"})


@transaction.atomic
def provision_account(
    existing: User | None,
    fields: dict[str, Any],
    *,
    password_hash: str,
    actor: str = "system",
) -> tuple[User, bool, bool]:
    """Create the account with ``fields`` and the given password hash, or bring an existing
    one back to ``fields`` (its password is left alone: its owner may have changed it).

    Returns ``(user, created, changed)``; an unchanged account writes nothing, not even an
    audit event, so running a loader twice leaves no trace.
    """
    if existing is None:
        user = User(**fields)
        user.password = password_hash
        user.save()
        created, changed_names = True, sorted(fields)
    else:
        user = existing
        changed_names = sorted(n for n, v in fields.items() if getattr(user, n) != v)
        if not changed_names:
            return user, False, False
        for name in changed_names:
            setattr(user, name, fields[name])
        user.save()
        created = False
    audit.record(
        "account.provision",
        actor=actor,
        object_type="user",
        object_id=user.pk,
        after={
            "created": created,
            "kind": user.kind,
            "name": user.display_name,
            "fields": changed_names,
            "secrets_set": sorted(set(changed_names) & _SECRET_FIELDS),
        },
    )
    return user, created, not created
