"""Self-service: password recovery by SMS, password change, bound phone old → new, profile
confirmed by SMS, login history. Every change audited."""

from __future__ import annotations

import pytest

from yiwang.accounts.models import LoginEvent
from yiwang.accounts.services import profile
from yiwang.accounts.services.login import authenticate_password
from yiwang.accounts.services.profile import (
    change_password,
    change_phone,
    confirm_old_phone,
    login_history,
    request_password_reset_code,
    reset_password,
    send_new_phone_code,
    send_old_phone_code,
    send_profile_code,
    update_profile,
)
from yiwang.accounts.tests.persons_helpers import (  # noqa: F401  (fixtures)
    PASSWORD,
    account,
    citizen,
    clock,
    sms_outbox,
)
from yiwang.core.errors import Conflict, DomainError, RateLimited
from yiwang.core.models import AuditEvent
from yiwang.notifications.testing import sms_codes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

IP = "192.0.2.55"
NEW_PASSWORD = "Xin-mima-2027"


@pytest.fixture
def person():
    return citizen(1)


@pytest.fixture
def user(person):
    return account(person)


# --- password recovery ------------------------------------------------------------------------


def test_password_reset_by_sms_code_to_the_bound_phone(person, user, clock):  # noqa: F811
    for _ in range(5):  # the owner locked themselves out
        with pytest.raises(DomainError):
            authenticate_password(person.phone, "Wrong-pass", ip=IP)
    request_password_reset_code(person.id_number, person.phone, ip=IP)
    code = sms_codes(person.phone)[-1]

    reset_password(
        id_number=person.id_number,
        phone=person.phone,
        sms_code=code,
        new_password=NEW_PASSWORD,
        ip=IP,
    )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # the reset lifted the lock
    assert authenticate_password(person.phone, NEW_PASSWORD, ip=IP) == user
    [event] = AuditEvent.objects.filter(action="account.password_reset")
    assert (event.actor, event.object_id, event.after) == (
        f"user:{user.pk}",
        str(user.pk),
        {"method": "sms"},
    )


def test_reset_code_goes_out_only_when_id_number_and_phone_belong_together(person, user):
    sent = request_password_reset_code(person.id_number, "13700000009", ip=IP)

    assert sent.masked_phone == "137****0009"  # the same answer as for the right phone
    assert sms_codes("13700000009") == []
    with pytest.raises(DomainError) as refused:
        reset_password(
            id_number=person.id_number,
            phone="13700000009",
            sms_code="123456",
            new_password=NEW_PASSWORD,
        )
    assert refused.value.message.startswith("验证码错误")


def test_weak_new_password_keeps_the_code_for_the_next_try(person, user):
    request_password_reset_code(person.id_number, person.phone, ip=IP)
    code = sms_codes(person.phone)[-1]
    fields = {"id_number": person.id_number, "phone": person.phone, "sms_code": code}

    with pytest.raises(DomainError) as refused:
        reset_password(**fields, new_password="abc")
    assert refused.value.field == "new_password"

    reset_password(**fields, new_password=NEW_PASSWORD)


# --- password change --------------------------------------------------------------------------


def test_change_password_needs_the_old_one_and_clears_the_forced_change(person):
    user = account(person, must_change_password=True)

    with pytest.raises(DomainError) as wrong:
        change_password(user, old_password="nope", new_password=NEW_PASSWORD)
    assert (wrong.value.field, wrong.value.message) == ("old_password", "原密码不正确")
    with pytest.raises(DomainError) as same:
        change_password(user, old_password=PASSWORD, new_password=PASSWORD)
    assert same.value.message == "新密码不能与原密码相同"

    change_password(user, old_password=PASSWORD, new_password=NEW_PASSWORD, ip=IP)

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.must_change_password is False
    [event] = AuditEvent.objects.filter(action="account.password_change")
    assert event.after == {"forced": True}


def test_wrong_old_passwords_are_limited(person, user):
    for _ in range(5):
        with pytest.raises(DomainError):
            change_password(user, old_password="nope", new_password=NEW_PASSWORD)
    with pytest.raises(RateLimited):
        change_password(user, old_password=PASSWORD, new_password=NEW_PASSWORD)


# --- bound phone --------------------------------------------------------------------------------


def test_change_phone_old_code_then_new_code(person, user):
    send_old_phone_code(user, ip=IP)
    token = confirm_old_phone(user, sms_codes(person.phone)[-1])
    send_new_phone_code(user, "13800000077", token=token, ip=IP)

    change_phone(
        user, token=token, new_phone="13800000077", sms_code=sms_codes("13800000077")[-1], ip=IP
    )

    user.refresh_from_db()
    assert user.phone == "13800000077"
    assert user.masked_phone == "138****0077"
    [event] = AuditEvent.objects.filter(action="account.phone_change")
    assert (event.before, event.after) == ({"phone": "139****0001"}, {"phone": "138****0077"})
    # the token opened one change: it is bound to the phone it was issued for
    with pytest.raises(DomainError) as again:
        send_new_phone_code(user, "13800000078", token=token)
    assert again.value.message == "请先验证原手机号"


def test_new_phone_code_needs_the_old_phone_first(person, user):
    with pytest.raises(DomainError) as refused:
        send_new_phone_code(user, "13800000077", token="forged")
    assert refused.value.message == "请先验证原手机号"


def test_old_phone_confirmation_expires_after_ten_minutes(person, user, clock, monkeypatch):  # noqa: F811
    send_old_phone_code(user)
    token = confirm_old_phone(user, sms_codes(person.phone)[-1])
    monkeypatch.setattr(profile, "PHONE_CHANGE_TOKEN_AGE", -1)

    with pytest.raises(DomainError) as refused:
        send_new_phone_code(user, "13800000077", token=token)

    assert refused.value.message == "原手机号验证已超时，请重新验证原手机号"


def test_new_phone_bound_to_another_account_or_the_same_phone_is_refused(person, user):
    other = account(citizen(2, name="赵敏"), phone="13800000088")
    send_old_phone_code(user)
    token = confirm_old_phone(user, sms_codes(person.phone)[-1])

    with pytest.raises(Conflict) as taken:
        send_new_phone_code(user, other.phone, token=token)
    assert (taken.value.field, taken.value.message) == ("new_phone", "该手机号已绑定其他账号")
    with pytest.raises(DomainError) as same:
        send_new_phone_code(user, person.phone, token=token)
    assert same.value.message == "新手机号与当前绑定的手机号相同"


# --- profile and history ----------------------------------------------------------------------


def test_profile_change_is_confirmed_by_sms_and_audited_without_the_values(person, user):
    send_profile_code(user, ip=IP)
    code = sms_codes(person.phone)[-1]

    update_profile(
        user, email="wxm@example.cn", address="宁波市海曙区解放南路1号", sms_code=code, ip=IP
    )

    user.refresh_from_db()
    assert (user.email, user.address) == ("wxm@example.cn", "宁波市海曙区解放南路1号")
    [event] = AuditEvent.objects.filter(action="account.profile_update")
    assert event.after == {"changed": ["email", "address"]}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "not-an-email", "address": ""}, "email", "电子邮箱格式不正确"),
        ({"email": "", "address": "路" * 201}, "address", "联系地址最多200个字"),
        ({"email": "", "address": ""}, None, "资料没有变化"),
        ({"email": "a@example.cn", "address": ""}, "sms_code", "请先获取短信验证码"),
    ],
)
def test_profile_change_refusals(user, fields, field, message):
    with pytest.raises(DomainError) as refused:
        update_profile(user, sms_code="123456", **fields)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_login_history_is_newest_first(person, user, clock):  # noqa: F811
    with pytest.raises(DomainError):
        authenticate_password(person.phone, "Wrong-pass", ip=IP, user_agent="UA-1")
    clock.advance(minutes=1)
    LoginEvent.objects.update(occurred_at=clock.now.replace(year=2020))
    authenticate_password(person.phone, PASSWORD, ip=IP, user_agent="UA-2")

    history = login_history(user)

    assert [(e.succeeded, e.user_agent) for e in history] == [(True, "UA-2"), (False, "UA-1")]
    assert login_history(user, limit=1) == history[:1]
