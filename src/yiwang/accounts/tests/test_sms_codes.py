"""SMS codes: 6 digits, 5 minutes, used once, 5 tries, 60 s between sends, daily caps."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from yiwang.accounts.models import SmsCode
from yiwang.accounts.services import sms_codes
from yiwang.accounts.services.sms_codes import Purpose, check_code, send_code
from yiwang.accounts.tests.persons_helpers import clock, sms_outbox  # noqa: F401  (fixtures)
from yiwang.core.errors import DomainError, RateLimited
from yiwang.notifications.testing import last_sms
from yiwang.notifications.testing import sms_codes as sent_codes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

PHONE = "13912340001"


def test_code_is_six_random_digits_sent_by_sms_and_stored_only_as_a_hash(clock):  # noqa: F811
    sent = send_code(PHONE, Purpose.REGISTER, ip="10.0.0.1")

    assert sent.masked_phone == "139****0001"
    assert sent.expires_at == clock.now + timedelta(minutes=5)
    assert sent.resend_after == 60
    assert sent.message == "验证码已发送至139****0001，5分钟内有效。60秒后可重新获取。"
    [code] = sent_codes(PHONE)
    assert re.fullmatch(r"\d{6}", code)
    assert last_sms(PHONE) == f"【一网】您的验证码为{code}，5分钟内有效，请勿告诉他人。"
    row = SmsCode.objects.get()
    assert row.purpose == "register"
    assert code not in row.code_hash and PHONE not in row.phone_index


def test_codes_differ_between_sends(clock):  # noqa: F811
    for n in range(5):
        send_code(f"1391234100{n}", Purpose.LOGIN, ip=None)
    codes = [sent_codes(f"1391234100{n}")[0] for n in range(5)]
    assert len(set(codes)) >= 4  # 5 draws from 10^6: a repeat is a one-in-10^5 chance


def test_right_code_is_accepted_once_and_then_refused_as_used(clock):  # noqa: F811
    send_code(PHONE, Purpose.LOGIN, ip=None)
    code = sent_codes(PHONE)[-1]

    check_code(PHONE, Purpose.LOGIN, code)
    with pytest.raises(DomainError) as reused:
        check_code(PHONE, Purpose.LOGIN, code)

    assert reused.value.message == "验证码已使用，请重新获取验证码"
    assert reused.value.field == "sms_code"
    assert SmsCode.objects.get().used_at == clock.now


def test_code_expires_after_exactly_five_minutes(clock):  # noqa: F811
    send_code(PHONE, Purpose.LOGIN, ip=None)
    code = sent_codes(PHONE)[-1]
    clock.advance(minutes=4, seconds=59)
    check_code(PHONE, Purpose.LOGIN, code, consume=False)  # still valid at 4:59

    clock.advance(seconds=1)
    with pytest.raises(DomainError) as expired:
        check_code(PHONE, Purpose.LOGIN, code)

    assert expired.value.message == "验证码已过期，请重新获取"


def test_wrong_codes_count_and_the_fifth_kills_the_code(clock):  # noqa: F811
    send_code(PHONE, Purpose.LOGIN, ip=None)
    code = sent_codes(PHONE)[-1]
    wrong = "000000" if code != "000000" else "111111"
    messages = []
    for _ in range(5):
        with pytest.raises(DomainError) as refused:
            check_code(PHONE, Purpose.LOGIN, wrong)
        messages.append(refused.value.message)

    assert messages == [
        "验证码错误，还可尝试4次",
        "验证码错误，还可尝试3次",
        "验证码错误，还可尝试2次",
        "验证码错误，还可尝试1次",
        "验证码错误次数过多，请重新获取验证码",
    ]
    with pytest.raises(DomainError) as dead:
        check_code(PHONE, Purpose.LOGIN, code)
    assert dead.value.message == "验证码错误次数过多，请重新获取验证码"
    assert SmsCode.objects.get().failed_attempts == 5


def test_only_the_newest_code_of_phone_and_purpose_counts(clock):  # noqa: F811
    send_code(PHONE, Purpose.LOGIN, ip=None)
    clock.advance(seconds=60)
    send_code(PHONE, Purpose.LOGIN, ip=None)
    first, second = sent_codes(PHONE)

    if first != second:
        with pytest.raises(DomainError):
            check_code(PHONE, Purpose.LOGIN, first)
    check_code(PHONE, Purpose.LOGIN, second)


def test_a_code_of_another_purpose_does_not_open_this_door(clock):  # noqa: F811
    send_code(PHONE, Purpose.REGISTER, ip=None)
    code = sent_codes(PHONE)[-1]

    with pytest.raises(DomainError) as refused:
        check_code(PHONE, Purpose.LOGIN, code)

    assert refused.value.message == "请先获取短信验证码"


def test_resend_is_refused_for_sixty_seconds(clock):  # noqa: F811
    send_code(PHONE, Purpose.REGISTER, ip=None)
    clock.advance(seconds=45)

    with pytest.raises(RateLimited) as refused:
        send_code(PHONE, Purpose.REGISTER, ip=None)

    assert refused.value.message == "验证码已发送，请15秒后再重新获取"
    assert refused.value.retry_after == 15
    assert refused.value.field == "phone"
    clock.advance(seconds=15)
    send_code(PHONE, Purpose.REGISTER, ip=None)
    assert len(sent_codes(PHONE)) == 2


def test_daily_cap_per_phone(clock, monkeypatch):  # noqa: F811
    monkeypatch.setattr(sms_codes, "DAILY_LIMIT_PER_PHONE", 3)
    for _ in range(3):
        send_code(PHONE, Purpose.LOGIN, ip=None)
        clock.advance(seconds=61)

    with pytest.raises(RateLimited) as refused:
        send_code(PHONE, Purpose.LOGIN, ip=None)

    assert refused.value.message == "该手机号今日获取验证码次数已达上限，请明天再试"
    assert refused.value.retry_after == 86400 - 3 * 61
    assert len(sent_codes(PHONE)) == 3
    # the refusal did not use up the 60-second slot: after the day, the next send goes through
    clock.advance(days=1)
    send_code(PHONE, Purpose.LOGIN, ip=None)
    assert len(sent_codes(PHONE)) == 4


def test_daily_cap_per_ip_address(clock, monkeypatch):  # noqa: F811
    monkeypatch.setattr(sms_codes, "DAILY_LIMIT_PER_IP", 2)
    send_code("13912340001", Purpose.LOGIN, ip="10.0.0.9")
    send_code("13912340002", Purpose.LOGIN, ip="10.0.0.9")

    with pytest.raises(RateLimited) as refused:
        send_code("13912340003", Purpose.LOGIN, ip="10.0.0.9")

    assert refused.value.message == "获取验证码过于频繁，请稍后再试"
    send_code("13912340003", Purpose.LOGIN, ip="10.0.0.10")


def test_undelivered_code_behaves_the_same_but_sends_nothing(clock):  # noqa: F811
    sent = send_code(PHONE, Purpose.LOGIN, ip=None, deliver=False)

    assert sent.masked_phone == "139****0001"
    assert sent_codes(PHONE) == []
    with pytest.raises(DomainError) as refused:
        check_code(PHONE, Purpose.LOGIN, "123456")
    assert refused.value.message.startswith("验证码错误")


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("", "请输入手机号码"),
        ("1391234000", "手机号码格式不正确：应为1开头的11位数字"),
        ("23912340001", "手机号码格式不正确：应为1开头的11位数字"),
    ],
)
def test_malformed_phone_is_refused_on_the_phone_field(phone, message):
    with pytest.raises(DomainError) as refused:
        send_code(phone, Purpose.REGISTER, ip=None)
    assert (refused.value.field, refused.value.message) == ("phone", message)


def test_typed_variants_of_a_phone_are_one_phone(clock):  # noqa: F811
    send_code("+86 139-1234-0001", Purpose.LOGIN, ip=None)
    code = sent_codes(PHONE)[-1]
    check_code("１３９１２３４０００１", Purpose.LOGIN, code)


@pytest.mark.parametrize(
    ("code", "message"), [("", "请输入短信验证码"), ("12345", "验证码应为6位数字")]
)
def test_malformed_code_is_refused_without_counting(code, message, clock):  # noqa: F811
    send_code(PHONE, Purpose.LOGIN, ip=None)
    with pytest.raises(DomainError) as refused:
        check_code(PHONE, Purpose.LOGIN, code)
    assert refused.value.message == message
    assert SmsCode.objects.get().failed_attempts == 0
