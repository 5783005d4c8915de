"""Sign-in by password or SMS code: one answer for unknown accounts and wrong passwords,
lockout per account and per IP address, disabled accounts, 登录记录."""

from __future__ import annotations

import pytest

from yiwang.accounts.models import LoginEvent
from yiwang.accounts.services import login
from yiwang.accounts.services.login import (
    authenticate_password,
    authenticate_sms,
    request_login_code,
)
from yiwang.accounts.tests.persons_helpers import (  # noqa: F401  (fixtures)
    PASSWORD,
    account,
    citizen,
    clock,
    sms_outbox,
)
from yiwang.core.errors import DomainError, Forbidden, RateLimited
from yiwang.core.identifiers import IdentifierError
from yiwang.notifications.testing import sms_codes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

IP = "198.51.100.4"
UA = "Mozilla/5.0 (iPhone)"


@pytest.fixture
def person():
    return citizen(1)


@pytest.fixture
def user(person):
    return account(person)


def _refusal(identifier, password, **kw):
    with pytest.raises(DomainError) as refused:
        authenticate_password(identifier, password, ip=kw.get("ip", IP), user_agent=UA)
    return refused.value


def test_sign_in_by_id_number_or_bound_phone(person, user):
    assert authenticate_password(person.id_number, PASSWORD, ip=IP, user_agent=UA) == user
    assert authenticate_password(person.phone, PASSWORD, ip=IP, user_agent=UA) == user
    # a lower-case check character and full-width digits are the same number
    typed = person.id_number.lower().replace("3", "３")
    assert authenticate_password(typed, PASSWORD, ip=IP, user_agent=UA) == user

    events = list(LoginEvent.objects.order_by("id").values_list("method", "succeeded", "ip"))
    assert events == [("password", True, IP)] * 3
    user.refresh_from_db()
    assert user.last_login is not None


def test_wrong_password_and_unknown_account_get_the_same_answer(person, user):
    wrong = _refusal(person.id_number, "Wrong-pass-1")
    unknown = _refusal(citizen(2).id_number, "Wrong-pass-1")
    unknown_phone = _refusal("13700000000", PASSWORD)

    assert wrong.message == unknown.message == unknown_phone.message == "账号或密码错误"
    assert wrong.field is unknown.field is None
    assert type(wrong) is type(unknown) is DomainError
    events = list(LoginEvent.objects.order_by("id").values_list("user", "succeeded", "reason"))
    assert events == [
        (user.pk, False, "密码错误"),
        (None, False, "账号不存在"),
        (None, False, "账号不存在"),
    ]


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(person, user, clock):  # noqa: F811
    messages = [_refusal(person.phone, f"Wrong-{n}").message for n in range(5)]

    assert messages == [
        "账号或密码错误",
        "账号或密码错误，还可尝试3次",
        "账号或密码错误，还可尝试2次",
        "账号或密码错误，还可尝试1次",
        "密码错误次数过多，账号已锁定，请15分钟后再试，或使用短信验证码登录、找回密码",
    ]
    # while locked even the right password gets the lock message, with the time left
    clock.advance(minutes=10)
    locked = _refusal(person.id_number, PASSWORD)
    assert isinstance(locked, RateLimited)
    assert locked.message == (
        "密码错误次数过多，账号已锁定，请5分钟后再试，或使用短信验证码登录、找回密码"
    )
    assert locked.retry_after == 300

    clock.advance(minutes=5)
    assert authenticate_password(person.id_number, PASSWORD, ip=IP, user_agent=UA) == user


def test_unknown_account_locks_the_same_way(clock):  # noqa: F811
    stranger = citizen(3).id_number
    messages = [_refusal(stranger, "Wrong-pass").message for _ in range(5)]
    assert messages[-1] == (
        "密码错误次数过多，账号已锁定，请15分钟后再试，或使用短信验证码登录、找回密码"
    )
    assert isinstance(_refusal(stranger, "Wrong-pass"), RateLimited)


def test_failures_are_forgotten_after_a_successful_sign_in(person, user, clock):  # noqa: F811
    for _ in range(4):
        _refusal(person.phone, "Wrong-pass")
    authenticate_password(person.phone, PASSWORD, ip=IP, user_agent=UA)

    assert _refusal(person.phone, "Wrong-pass").message == "账号或密码错误"


def test_too_many_failures_from_one_ip_address_are_refused(clock, monkeypatch):  # noqa: F811
    monkeypatch.setattr(login, "IP_FAILURE_LIMIT", 3)
    for n in range(3):
        _refusal(citizen(10 + n).id_number, "Wrong-pass")

    refused = _refusal(citizen(20).id_number, "Wrong-pass")

    assert isinstance(refused, RateLimited)
    assert refused.message == "登录尝试过于频繁，请15分钟后再试"
    assert isinstance(_refusal(citizen(21).id_number, "x", ip="192.0.2.1"), DomainError)


def test_disabled_account_is_told_so_only_after_the_right_password(person, user, clock):  # noqa: F811
    user.is_active = False
    user.disabled_at = clock.now
    user.disabled_reason = "冒用他人身份注册"
    user.save()

    assert _refusal(person.phone, "Wrong-pass").message == "账号或密码错误"
    disabled = _refusal(person.phone, PASSWORD)
    assert isinstance(disabled, Forbidden)
    assert disabled.message == (
        "该账号已停用（冒用他人身份注册）。如有疑问，请拨打政务服务便民热线12345或到政务服务大厅咨询"
    )


def test_malformed_identifier_gets_a_precise_message_on_its_field():
    refused = _refusal("33020319900101123", PASSWORD)
    assert isinstance(refused, IdentifierError)
    assert (refused.field, refused.message) == ("identifier", "长度错误：应为18位，实为17位")
    empty = _refusal("", PASSWORD)
    assert (empty.field, empty.message) == ("identifier", "请输入身份证号或手机号")


def test_empty_password_is_asked_for(person, user):
    assert (_refusal(person.phone, "").field, _refusal(person.phone, "").message) == (
        "password",
        "请输入密码",
    )


# --- SMS code sign-in -------------------------------------------------------------------------


def test_sign_in_by_sms_code(person, user):
    sent = request_login_code(person.phone, ip=IP)
    code = sms_codes(person.phone)[-1]

    assert sent.masked_phone == "139****0001"
    assert authenticate_sms(person.phone, code, ip=IP, user_agent=UA) == user
    assert LoginEvent.objects.get().method == "sms"


def test_sms_code_to_an_unbound_phone_is_not_sent_but_answered_alike():
    sent = request_login_code("13700000001", ip=IP)

    assert sent.masked_phone == "137****0001"
    assert sms_codes("13700000001") == []
    with pytest.raises(DomainError) as refused:
        authenticate_sms("13700000001", "123456", ip=IP, user_agent=UA)
    assert refused.value.message.startswith("验证码错误")


def test_sms_sign_in_stays_open_while_the_password_is_locked(person, user):
    for _ in range(5):
        _refusal(person.phone, "Wrong-pass")
    request_login_code(person.phone, ip=IP)

    assert authenticate_sms(person.phone, sms_codes(person.phone)[-1], ip=IP) == user


def test_used_sms_code_cannot_sign_in_twice(person, user):
    request_login_code(person.phone, ip=IP)
    code = sms_codes(person.phone)[-1]
    authenticate_sms(person.phone, code, ip=IP)

    with pytest.raises(DomainError) as refused:
        authenticate_sms(person.phone, code, ip=IP)

    assert refused.value.message == "验证码已使用，请重新获取验证码"
    assert list(LoginEvent.objects.order_by("id").values_list("succeeded", "reason")) == [
        (True, ""),
        (False, "验证码错误"),
    ]


def test_disabled_account_cannot_sign_in_by_sms(person, user, clock):  # noqa: F811
    user.is_active = False
    user.save()
    request_login_code(person.phone, ip=IP)
    with pytest.raises(Forbidden):
        authenticate_sms(person.phone, sms_codes(person.phone)[-1], ip=IP)
