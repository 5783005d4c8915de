"""Enterprise registration by USCC and change of legal representative: exact outcomes."""

import pytest

from yiwang.accounts import services
from yiwang.accounts.constants import GrantStatus
from yiwang.accounts.models import Enterprise, Grant
from yiwang.accounts.services.enterprises import ENTERPRISE_MISMATCH_MESSAGE
from yiwang.core.errors import Conflict, DomainError, Forbidden, RateLimited
from yiwang.core.models import AuditEvent
from yiwang.integrations.models import LegalEntityRecord

from .enterprise_helpers import delegate, enterprise, library_record, person, uscc

pytestmark = pytest.mark.django_db

NAME = "宁波海曙示例贸易有限公司"


@pytest.fixture
def zhang():
    return person("张三", 1)


def register(user, code, *, name=NAME, representative=None):
    return services.register_enterprise(
        user,
        uscc=code,
        name=name,
        legal_representative_name=representative or user.name,
        ip="192.0.2.7",
    )


def test_the_legal_representative_registers_and_the_account_is_bound_to_them(zhang):
    code = uscc(1)
    library_record(code, NAME, zhang)

    made = register(zhang, code)

    assert (made.uscc, made.name, made.legal_representative, made.status) == (
        code,
        NAME,
        zhang,
        Enterprise.Status.ACTIVE,
    )
    assert made.entity_type == "有限责任公司（自然人投资或控股）"
    assert made.verified_at is not None
    event = AuditEvent.objects.get(action="accounts.enterprise.registered")
    assert (event.actor, event.acting_for, event.object_id, event.ip) == (
        f"user:{zhang.pk}",
        f"enterprise:{code}",
        str(made.pk),
        "192.0.2.7",
    )
    assert event.after == {
        "uscc": code,
        "name": NAME,
        "entity_type": "有限责任公司（自然人投资或控股）",
        "legal_representative": f"user:{zhang.pk}",
    }


def test_an_invalid_uscc_gets_the_validators_message_on_the_uscc_field(zhang):
    code = uscc(1)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(DomainError) as caught:
        register(zhang, wrong)
    assert caught.value.field == "uscc"
    assert caught.value.message.startswith("校验码错误：应为")
    assert Enterprise.objects.count() == 0


def test_a_lower_case_uscc_is_normalised(zhang):
    code = uscc(2)
    library_record(code, NAME, zhang)
    assert register(zhang, code.lower()).uscc == code


@pytest.mark.parametrize("what", ["unknown", "name", "representative"])
def test_every_mismatch_gets_the_same_generic_message(zhang, what):
    code = uscc(3)
    other = person("李四", 2)
    if what == "name":
        library_record(code, "另一家公司", zhang)
    elif what == "representative":
        library_record(code, NAME, other)  # the library names somebody else
    with pytest.raises(DomainError) as caught:
        register(zhang, code)
    assert (caught.value.message, caught.value.field) == (ENTERPRISE_MISMATCH_MESSAGE, None)
    assert type(caught.value) is DomainError


def test_the_typed_representative_name_must_be_the_registrants_own(zhang):
    code = uscc(4)
    library_record(code, NAME, zhang)
    with pytest.raises(DomainError) as caught:
        register(zhang, code, representative="李四")
    assert (caught.value.field, caught.value.message) == (
        "legal_representative_name",
        "法定代表人姓名与您的实名信息不一致：法人注册须由法定代表人本人办理",
    )


def test_five_mismatches_then_even_the_right_answer_is_rate_limited(zhang):
    code = uscc(5)
    for _ in range(5):
        with pytest.raises(DomainError) as caught:
            register(zhang, code)
        assert caught.value.message == ENTERPRISE_MISMATCH_MESSAGE
    library_record(code, NAME, zhang)

    with pytest.raises(RateLimited) as caught:
        register(zhang, code)

    assert caught.value.status == 429
    assert 1 <= caught.value.retry_after <= 15 * 60
    assert caught.value.message.startswith("企业信息核验未通过次数过多，请")
    assert Enterprise.objects.count() == 0


def test_the_limit_also_counts_per_uscc_across_people(zhang):
    code = uscc(6)
    for seed in range(10, 15):
        with pytest.raises(DomainError):
            register(person(f"王{seed}", seed), code)
    library_record(code, NAME, zhang)
    with pytest.raises(RateLimited):
        register(zhang, code)


@pytest.mark.parametrize(
    ("status", "label"),
    [(LegalEntityRecord.Status.REVOKED, "吊销"), (LegalEntityRecord.Status.CANCELLED, "注销")],
)
def test_an_enterprise_that_is_not_active_cannot_register(zhang, status, label):
    code = uscc(7)
    library_record(code, NAME, zhang, status=status)
    with pytest.raises(DomainError) as caught:
        register(zhang, code)
    assert caught.value.message == (
        f"该企业登记状态为“{label}”，不是存续状态，不能办理法人用户业务"
    )


def test_a_uscc_registers_once(zhang):
    code = uscc(8)
    library_record(code, NAME, zhang)
    register(zhang, code)
    with pytest.raises(Conflict) as caught:
        register(zhang, code)
    assert (caught.value.status, caught.value.field) == (409, "uscc")
    assert caught.value.message == (
        "该统一社会信用代码已注册法人用户；法定代表人已变更的，请办理法定代表人变更"
    )


def test_a_person_without_real_name_verification_cannot_register(zhang):
    zhang.real_name_verified_at = None
    zhang.save()
    with pytest.raises(Forbidden) as caught:
        register(zhang, uscc(9))
    assert caught.value.message == "法人注册须由完成个人实名注册的法定代表人本人办理"


# --- change of legal representative ------------------------------------------------------------


@pytest.fixture
def company(zhang):
    return enterprise(zhang, seed=20)


def test_change_of_representative_moves_the_binding_and_revokes_the_old_ones_grants(zhang, company):
    manager = person("钱经理", 21)
    handler = person("孙经办", 22)
    successor = person("周新", 23)
    level2 = delegate(company, zhang, manager)
    level3 = delegate(company, manager, handler, role="handler")
    request = services.request_grant(
        company.uscc,
        person("吴申请", 24),
        role="handler",
        valid_from=level2.valid_from,
        valid_until=level2.valid_until,
    )
    library_record(company.uscc, company.name, successor)  # the library shows the new one

    revoked = services.change_legal_representative(
        company,
        new_representative_id_number=successor.id_number,
        new_name="周新",
        actor=successor,
        ip="192.0.2.8",
    )

    company.refresh_from_db()
    assert company.legal_representative == successor
    assert [g.pk for g in revoked] == [level2.pk, level3.pk]
    assert list(Grant.objects.order_by("pk").values_list("pk", "status", "revoke_reason")) == [
        (level2.pk, GrantStatus.REVOKED, "法定代表人变更，原法定代表人所作授权失效"),
        (
            level3.pk,
            GrantStatus.REVOKED,
            "上级授权已撤销：法定代表人变更，原法定代表人所作授权失效",
        ),
        (request.pk, GrantStatus.REQUESTED, ""),
    ]
    event = AuditEvent.objects.get(action="accounts.enterprise.legal_representative_changed")
    assert (event.actor, event.acting_for) == (f"user:{successor.pk}", f"enterprise:{company.uscc}")
    assert event.before == {"legal_representative": f"user:{zhang.pk}"}
    assert event.after == {
        "legal_representative": f"user:{successor.pk}",
        "revoked_grants": [level2.pk, level3.pk],
    }
    assert not services.can_act_for(zhang, company)
    assert not services.can_act_for(manager, company)
    assert services.can_act_for(successor, company)


def test_change_is_refused_until_the_library_shows_the_new_representative(zhang, company):
    successor = person("周新", 23)
    with pytest.raises(DomainError) as caught:
        services.change_legal_representative(
            company,
            new_representative_id_number=successor.id_number,
            new_name="周新",
            actor=zhang,
        )
    assert caught.value.message == ENTERPRISE_MISMATCH_MESSAGE
    company.refresh_from_db()
    assert company.legal_representative == zhang


def test_change_needs_the_new_representative_to_have_a_real_name_account(zhang, company):
    from yiwang.core.identifiers import generate_person_id

    with pytest.raises(DomainError) as caught:
        services.change_legal_representative(
            company,
            new_representative_id_number=generate_person_id(),
            new_name="某人",
            actor=zhang,
        )
    assert caught.value.field == "new_representative_id_number"
    assert caught.value.message == (
        "新法定代表人尚未完成个人实名注册：请其先注册个人账号，再办理变更"
    )


def test_a_third_person_cannot_change_the_representative(zhang, company):
    successor = person("周新", 23)
    stranger = person("郑路人", 25)
    library_record(company.uscc, company.name, successor)
    with pytest.raises(Forbidden):
        services.change_legal_representative(
            company,
            new_representative_id_number=successor.id_number,
            new_name="周新",
            actor=stranger,
        )


def test_an_invalid_id_number_gets_the_validators_message(zhang, company):
    with pytest.raises(DomainError) as caught:
        services.change_legal_representative(
            company, new_representative_id_number="33020319900101123", new_name="周新", actor=zhang
        )
    assert (caught.value.field, caught.value.message) == (
        "new_representative_id_number",
        "长度错误：应为18位，实为17位",
    )
