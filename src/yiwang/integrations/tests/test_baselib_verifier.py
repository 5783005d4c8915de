"""The database real-name verifier: normalisation, every factor compared, nothing revealed."""

from __future__ import annotations

import random

import pytest

from yiwang.accounts.verification import (
    EnterpriseCheck,
    PersonCheck,
    RealNameVerifier,
    get_verifier,
)
from yiwang.core.identifiers import generate_uscc
from yiwang.integrations.baselib import (
    DatabaseVerifier,
    normalise_card,
    normalise_id,
    normalise_name,
    normalise_phone,
)
from yiwang.integrations.models import LegalEntityRecord, PopulationRecord

pytestmark = pytest.mark.django_db

ID = "33020319900307007X"


@pytest.fixture
def person():
    return PopulationRecord.objects.create(
        name="王小明",
        id_number=ID,
        phone="13800138000",
        social_security_card="A12345678",
        bank_card="6222021234567890123",
        housing_fund_account="",
        driving_licence_file="330200123456",
    )


@pytest.fixture
def enterprise(person):
    return LegalEntityRecord.objects.create(
        uscc=generate_uscc(random.Random(1)),
        name="宁波甬江科技有限公司",
        entity_type="有限责任公司",
        legal_representative_name="王小明",
        legal_representative_id_number=ID,
    )


def test_get_verifier_returns_database_adapter_by_default(settings):
    settings.REALNAME_VERIFIER = "database"
    verifier = get_verifier()
    assert isinstance(verifier, DatabaseVerifier)
    assert isinstance(verifier, RealNameVerifier)


def test_get_verifier_refuses_unknown_adapter():
    with pytest.raises(ValueError, match="REALNAME_VERIFIER must be one of"):
        get_verifier("nope")


@pytest.mark.parametrize(
    ("func", "raw", "expected"),
    [
        (normalise_id, " 33020319900307007x ", ID),
        (normalise_id, "３３０２０３１９９００３０７００７Ｘ", ID),
        (normalise_card, "6222 0212-3456 7890 123", "6222021234567890123"),
        (normalise_phone, "+86 138 0013 8000", "13800138000"),
        (normalise_phone, "138-0013-8000", "13800138000"),
        (normalise_name, " 王 小明 ", "王小明"),
        (normalise_name, "阿依古丽•买买提", "阿依古丽·买买提"),
    ],
)
def test_normalisers(func, raw, expected):
    assert func(raw) == expected


def test_person_matches_with_two_factors_typed_loosely(person):
    check = DatabaseVerifier().verify_person(
        name=" 王小明",
        id_number="33020319900307007x",
        factors={"phone": "138 0013 8000", "bank_card": "6222-0212-3456-7890-123"},
    )
    assert check == PersonCheck(
        matched=True, matched_factors=frozenset({"id_number", "name", "phone", "bank_card"})
    )


def test_person_one_wrong_factor_is_no_match(person):
    check = DatabaseVerifier().verify_person(
        name="王小明",
        id_number=ID,
        factors={"phone": "13800138000", "social_security_card": "A00000000"},
    )
    assert check.matched is False
    assert check.matched_factors == frozenset({"id_number", "name", "phone"})


def test_person_wrong_name_is_no_match(person):
    check = DatabaseVerifier().verify_person(
        name="王小红", id_number=ID, factors={"phone": "13800138000"}
    )
    assert check.matched is False


def test_empty_record_value_never_matches_empty_input(person):
    check = DatabaseVerifier().verify_person(
        name="王小明", id_number=ID, factors={"housing_fund_account": "", "phone": "13800138000"}
    )
    # the empty typed value is ignored, not compared with the empty stored value
    assert check == PersonCheck(
        matched=True, matched_factors=frozenset({"id_number", "name", "phone"})
    )
    check = DatabaseVerifier().verify_person(
        name="王小明", id_number=ID, factors={"housing_fund_account": "x"}
    )
    assert check.matched is False


def test_unknown_person_is_no_match(person):
    check = DatabaseVerifier().verify_person(
        name="王小明", id_number="330203199003070010", factors={"phone": "13800138000"}
    )
    assert check == PersonCheck(matched=False, matched_factors=frozenset())


def test_unknown_factor_key_is_a_programming_error(person):
    with pytest.raises(ValueError, match="unknown real-name factors"):
        DatabaseVerifier().verify_person(name="王小明", id_number=ID, factors={"email": "a@b"})


def test_enterprise_matches_and_reports_status(enterprise):
    check = DatabaseVerifier().verify_enterprise(
        uscc=enterprise.uscc.lower(),
        name="宁波甬江科技有限公司 ",
        legal_representative_name="王小明",
        legal_representative_id_number=ID.lower(),
    )
    assert check == EnterpriseCheck(matched=True, status="active", entity_type="有限责任公司")
    assert check.is_active is True


def test_cancelled_enterprise_matches_but_is_not_active(enterprise):
    enterprise.status = LegalEntityRecord.Status.CANCELLED
    enterprise.save()
    check = DatabaseVerifier().verify_enterprise(
        uscc=enterprise.uscc,
        name=enterprise.name,
        legal_representative_name="王小明",
        legal_representative_id_number=ID,
    )
    assert check == EnterpriseCheck(matched=True, status="cancelled", entity_type="有限责任公司")
    assert check.is_active is False


@pytest.mark.parametrize(
    "override",
    [
        {"name": "别的公司"},
        {"legal_representative_name": "李四"},
        {"legal_representative_id_number": "330203199003070010"},
    ],
)
def test_enterprise_any_wrong_field_is_no_match_without_status(enterprise, override):
    fields = {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "legal_representative_name": "王小明",
        "legal_representative_id_number": ID,
    } | override
    assert DatabaseVerifier().verify_enterprise(**fields) == EnterpriseCheck(matched=False)
