"""Online registration of persons: three factors against the population library, the agreement,
one generic mismatch message with a rate limit, duplicates, audit."""

from __future__ import annotations

import pytest

from yiwang.accounts.constants import RegistrationChannel, UserKind
from yiwang.accounts.models import AgreementAcceptance, ServiceAgreement, SmsCode, User
from yiwang.accounts.services import registration
from yiwang.accounts.services.registration import MISMATCH_MESSAGE, register_person
from yiwang.accounts.services.sms_codes import Purpose, send_code
from yiwang.accounts.tests.persons_helpers import (  # noqa: F401  (fixtures)
    PASSWORD,
    account,
    citizen,
    clock,
    sms_outbox,
)
from yiwang.core.errors import Conflict, DomainError, RateLimited
from yiwang.core.identifiers import IdentifierError
from yiwang.core.models import AuditEvent
from yiwang.notifications.testing import sms_codes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

IP = "203.0.113.7"


def _register(person, *, code=None, **overrides):
    if code is None:
        send_code(overrides.get("phone", person.phone), Purpose.REGISTER, ip=IP)
        code = sms_codes(overrides.get("phone", person.phone))[-1]
    fields = {
        "name": person.name,
        "id_number": person.id_number,
        "phone": person.phone,
        "sms_code": code,
        "second_factor_kind": "bank_card",
        "second_factor_value": person.bank_card,
        "password": PASSWORD,
        "agreement_version": "1",
        "ip": IP,
    }
    fields.update(overrides)
    return register_person(**fields)


def test_agreement_version_1_is_seeded_and_in_force():
    agreement = registration.current_agreement()
    assert agreement.version == "1"
    assert agreement.title == "一网政务服务平台网上服务协议"
    assert "第一条 实名注册" in agreement.body
    assert "《中华人民共和国个人信息保护法》" in agreement.body


def test_registration_creates_a_verified_person_with_the_agreement_and_an_audit_event(clock):  # noqa: F811
    person = citizen(1)

    user = _register(person)

    user.refresh_from_db()
    assert user.kind == UserKind.PERSON
    assert user.name == "王晓明"
    assert user.id_number == person.id_number
    assert user.phone == person.phone
    assert user.registration_channel == RegistrationChannel.ONLINE
    assert user.real_name_verified_at == clock.now
    assert user.check_password(PASSWORD)
    assert user.must_change_password is False
    # the login name reveals nothing about the person
    assert user.username.startswith("p") and len(user.username) == 17
    assert person.id_number not in user.username and person.phone not in user.username
    acceptance = AgreementAcceptance.objects.get(user=user)
    assert (acceptance.agreement.version, acceptance.ip) == ("1", IP)
    [event] = AuditEvent.objects.filter(action="account.register")
    assert event.actor == f"user:{user.pk}"
    assert (event.object_type, event.object_id, event.ip) == ("user", str(user.pk), IP)
    assert event.after == {
        "kind": "person",
        "channel": "online",
        "name": "王**",
        "id_number": person.id_number[:6] + "********" + person.id_number[-4:],
        "phone": "139****0001",
        "factors": ["bank_card", "id_number", "name", "phone"],
        "agreement_version": "1",
    }
    assert SmsCode.objects.get().used_at == clock.now


def test_any_second_factor_of_the_four_may_be_used(clock):  # noqa: F811
    person = citizen(2)
    user = _register(
        person,
        second_factor_kind="social_security_card",
        second_factor_value=person.social_security_card.lower(),
    )
    assert user.pk is not None


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"name": "王小明"}, None),  # name differs from the library
        ({"second_factor_value": "6222021001999999999"}, None),  # bank card differs
        ({"second_factor_kind": "housing_fund_account", "second_factor_value": "12345678"}, None),
    ],
)
def test_any_mismatch_gives_one_generic_message_and_keeps_the_code(override, field, clock):  # noqa: F811
    person = citizen(3)
    send_code(person.phone, Purpose.REGISTER, ip=IP)
    code = sms_codes(person.phone)[-1]

    with pytest.raises(DomainError) as refused:
        _register(person, code=code, **override)

    assert refused.value.message == MISMATCH_MESSAGE == "实名信息核验未通过，请核对后重试"
    assert refused.value.field == field
    assert User.objects.count() == 0
    # the code is still good: the corrected form goes through without a new SMS
    _register(person, code=code)


def test_phone_not_in_the_library_is_a_mismatch_too(clock):  # noqa: F811
    person = citizen(4)
    send_code("13700000004", Purpose.REGISTER, ip=IP)
    code = sms_codes("13700000004")[-1]

    with pytest.raises(DomainError) as refused:
        _register(person, code=code, phone="13700000004")

    assert refused.value.message == MISMATCH_MESSAGE


def test_person_missing_from_the_library_gets_the_same_message(clock):  # noqa: F811
    person = citizen(5)
    person_id = person.id_number
    from yiwang.integrations.models import PopulationRecord

    PopulationRecord.objects.all().delete()
    with pytest.raises(DomainError) as refused:
        _register(person)
    assert refused.value.message == MISMATCH_MESSAGE
    assert person_id  # the number itself was valid


def test_mismatches_are_limited_per_id_number(clock, monkeypatch):  # noqa: F811
    monkeypatch.setattr(registration, "MISMATCH_LIMIT_PER_ID", 2)
    person = citizen(6)
    send_code(person.phone, Purpose.REGISTER, ip=IP)
    code = sms_codes(person.phone)[-1]
    for _ in range(2):
        with pytest.raises(DomainError):
            _register(person, code=code, name="李四")

    with pytest.raises(RateLimited) as refused:
        _register(person, code=code)  # even the right data is refused now

    assert refused.value.message == (
        "实名核验未通过次数过多，请24小时后再试，或携带身份证到政务服务大厅窗口注册"
    )
    assert refused.value.retry_after == 86400
    clock.advance(hours=24)
    send_code(person.phone, Purpose.REGISTER, ip=IP)
    assert _register(person, code=sms_codes(person.phone)[-1]).pk is not None


def test_mismatches_are_limited_per_ip_address(clock, monkeypatch):  # noqa: F811
    monkeypatch.setattr(registration, "MISMATCH_LIMIT_PER_IP", 2)
    people = [citizen(10 + n) for n in range(3)]
    for person in people[:2]:
        with pytest.raises(DomainError):
            _register(person, name="李四")

    with pytest.raises(RateLimited) as refused:
        _register(people[2])

    assert refused.value.message == (
        "实名核验未通过次数过多，请1小时后再试，或携带身份证到政务服务大厅窗口注册"
    )


def test_duplicate_id_number_is_a_conflict(clock):  # noqa: F811
    person = citizen(20)
    account(person, phone="13600000020")

    with pytest.raises(Conflict) as refused:
        _register(person)

    assert (refused.value.field, refused.value.message) == ("id_number", "该身份证号已注册")


def test_phone_bound_to_another_account_is_said_so(clock):  # noqa: F811
    person = citizen(21)
    other = citizen(22, name="赵敏")
    account(other, phone=person.phone)

    with pytest.raises(Conflict) as refused:
        _register(person)

    assert refused.value.field == "phone"
    assert refused.value.message == (
        "该手机号已绑定其他账号，请更换手机号，或登录原账号后更换绑定手机号"
    )


def test_malformed_id_number_gets_the_validators_precise_message():
    person = citizen(23)
    wrong = person.id_number[:17] + ("0" if person.id_number[17] != "0" else "1")

    with pytest.raises(IdentifierError) as refused:
        _register(person, code="123456", id_number=wrong)

    assert refused.value.field == "id_number"
    assert refused.value.message == f"校验码错误：应为{person.id_number[17]}，实为{wrong[17]}"


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"name": ""}, "name", "请输入姓名"),
        ({"name": "王1"}, "name", "姓名应与身份证上一致：2至50个汉字，少数民族姓名可含“·”"),
        ({"phone": "12345"}, "phone", "手机号码格式不正确：应为1开头的11位数字"),
        ({"second_factor_kind": ""}, "second_factor_kind", "请选择一种核验信息"),
        ({"second_factor_value": ""}, "second_factor_value", "请输入银行卡号"),
        ({"second_factor_value": "62220"}, "second_factor_value", "银行卡号应为12至19位数字"),
        ({"agreement_version": ""}, "agreement", "请阅读并同意《网上服务协议》"),
        (
            {"agreement_version": "0"},
            "agreement",
            "网上服务协议已更新，请阅读最新版本后重新勾选同意",
        ),
        ({"password": ""}, "password", "请设置密码"),
        ({"sms_code": "000000"}, "sms_code", "请先获取短信验证码"),
    ],
)
def test_each_field_is_checked_with_a_message_on_it(override, field, message):
    person = citizen(24)
    with pytest.raises(DomainError) as refused:
        _register(person, code="000000", **override)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_weak_password_gets_djangos_validators_in_chinese(clock):  # noqa: F811
    person = citizen(25)
    with pytest.raises(DomainError) as refused:
        _register(person, password="12345678")
    assert refused.value.field == "password"
    assert refused.value.message == "这个密码太常见了。密码只包含数字。"


def test_expired_code_is_refused_with_a_clear_message(clock):  # noqa: F811
    person = citizen(26)
    send_code(person.phone, Purpose.REGISTER, ip=IP)
    code = sms_codes(person.phone)[-1]
    clock.advance(minutes=5)

    with pytest.raises(DomainError) as refused:
        _register(person, code=code)

    assert (refused.value.field, refused.value.message) == ("sms_code", "验证码已过期，请重新获取")


def test_new_agreement_version_must_be_the_one_accepted(clock):  # noqa: F811
    ServiceAgreement.objects.create(
        version="2", title="网上服务协议（2026年修订）", body="……", effective_at=clock.now
    )
    person = citizen(27)
    with pytest.raises(DomainError) as refused:
        _register(person, agreement_version="1")
    assert refused.value.field == "agreement"
    user = _register(person, code=sms_codes(person.phone)[-1], agreement_version="2")
    assert AgreementAcceptance.objects.get(user=user).agreement.version == "2"


def test_an_id_number_typed_in_groups_or_full_width_is_read_as_the_number():
    from yiwang.accounts.services.registration import validate_person_id_field

    assert validate_person_id_field("110105 1949 1231 002x") == "11010519491231002X"
    assert validate_person_id_field("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
