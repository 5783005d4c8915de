"""Test data for the enterprise and delegation tests: people, legal-entity records, enterprises.

People are created as already real-name verified accounts (as the registration services leave
them); the legal-entity library is an external system's copy, so its rows are written directly,
like ``yiwang baselib import`` does. Enterprises go through :func:`register_enterprise`.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from yiwang.accounts import services
from yiwang.accounts.constants import UserKind
from yiwang.accounts.models import Enterprise, User
from yiwang.core.identifiers import generate_person_id, generate_uscc
from yiwang.integrations.models import LegalEntityRecord

PASSWORD = "Yiwang-test-2026"


def person(name: str, seed: int, *, phone: str | None = None, password: bool = False) -> User:
    """A real-name person with a valid ID number and phone 1380000xxxx (``seed`` < 10000).

    Without ``password`` the account cannot sign in with one: hashing with argon2 costs a
    noticeable fraction of a second, and most tests never sign in.
    """
    id_number = generate_person_id(random.Random(f"person:{seed}"), region="330203")
    return User.objects.create_user(
        f"p{seed:06d}",
        PASSWORD if password else None,
        kind=UserKind.PERSON,
        name=name,
        id_number=id_number,
        phone=phone or f"1380000{seed:04d}",
        real_name_verified_at=timezone.now(),
    )


def uscc(seed: int) -> str:
    return generate_uscc(random.Random(f"enterprise:{seed}"), region="330203")


def library_record(
    code: str,
    name: str,
    representative: User,
    *,
    status: str = LegalEntityRecord.Status.ACTIVE,
) -> LegalEntityRecord:
    """The legal-entity library's entry naming ``representative`` as legal representative."""
    record, _ = LegalEntityRecord.objects.update_or_create(
        uscc=code,
        defaults={
            "name": name,
            "entity_type": "有限责任公司（自然人投资或控股）",
            "status": status,
            "legal_representative_name": representative.name,
            "legal_representative_id_number": representative.id_number,
            "region_code": "330203000000",
        },
    )
    return record


def enterprise(representative: User, *, seed: int = 1, name: str = "宁波海曙示例贸易有限公司"):
    """A registered enterprise whose legal representative is ``representative``."""
    code = uscc(seed)
    library_record(code, name, representative)
    return services.register_enterprise(
        representative, uscc=code, name=name, legal_representative_name=representative.name
    )


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


def delegate(enterprise: Enterprise, grantor: User, grantee: User, role: str = "manager", **kw):
    """A grant valid from today for a year, all items unless told otherwise."""
    kw.setdefault("valid_from", days(0))
    kw.setdefault("valid_until", days(365))
    return services.grant(enterprise, grantor, grantee.id_number, role=role, **kw)
