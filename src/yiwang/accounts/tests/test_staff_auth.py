"""Staff sign-in: password, TOTP enrolment, replay guard, lockout."""

from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone

from yiwang.accounts.models import LoginEvent, User
from yiwang.accounts.services import staff_auth
from yiwang.accounts.tests.staff_helpers import STAFF_PASSWORD, enrol, person, staff
from yiwang.core.errors import Conflict, DomainError, RateLimited
from yiwang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_every_staff_account_needs_a_second_factor_and_persons_do_not():
    assert staff_auth.needs_second_factor(staff("clerk")) is True
    assert staff_auth.needs_second_factor(person(1)) is False


def test_wrong_password_and_unknown_name_get_the_same_answer():
    staff("clerk")
    with pytest.raises(DomainError) as wrong:
        staff_auth.authenticate_staff("clerk", "nope")
    with pytest.raises(DomainError) as unknown:
        staff_auth.authenticate_staff("nobody", "nope")
    assert wrong.value.message == unknown.value.message == "账号或密码错误"
    assert LoginEvent.objects.filter(succeeded=False).count() == 2


def test_five_wrong_passwords_lock_the_sign_in():
    user = staff("clerk")
    for _ in range(5):
        with pytest.raises(DomainError):
            staff_auth.authenticate_staff("clerk", "wrong")
    with pytest.raises(DomainError) as locked:
        staff_auth.authenticate_staff("clerk", "wrong")
    assert locked.value.status == 429
    # even the right password waits for the window to end
    with pytest.raises(RateLimited):
        staff_auth.authenticate_staff("clerk", STAFF_PASSWORD)
    assert user.pk


def test_disabled_staff_is_told_only_after_the_right_password():
    user = staff("clerk")
    user.is_active = False
    user.save()
    with pytest.raises(DomainError) as exc:
        staff_auth.authenticate_staff("clerk", STAFF_PASSWORD)
    assert exc.value.message == "账号已停用，请联系本单位管理员"


def test_enrolment_keeps_the_secret_until_confirmed_then_audits():
    user = staff("clerk")
    uri = staff_auth.begin_totp_enrolment(user)
    assert uri.startswith("otpauth://totp/")
    secret = User.objects.get(pk=user.pk).totp_secret
    assert staff_auth.begin_totp_enrolment(user) == uri  # reload: same secret
    assert staff_auth.totp_enrolled(user) is False
    assert "<svg" in staff_auth.totp_provisioning_qr(user)
    staff_auth.confirm_totp_enrolment(user, pyotp.TOTP(secret).now())
    user.refresh_from_db()
    assert staff_auth.totp_enrolled(user) is True
    event = AuditEvent.objects.get(action="account.totp_enrol")
    assert event.object_id == str(user.pk)
    with pytest.raises(Conflict):
        staff_auth.begin_totp_enrolment(user)


def test_a_totp_code_is_refused_the_second_time():
    user = staff("clerk")
    totp = enrol(user)
    code = totp.now()
    staff_auth.verify_totp(user, code)
    with pytest.raises(DomainError) as replay:
        staff_auth.verify_totp(User.objects.get(pk=user.pk), code)
    assert replay.value.message == "该动态口令已使用过，请等待手机上出现新的口令后再输入"


def test_an_older_code_than_the_last_accepted_is_refused_too():
    user = staff("clerk")
    totp = enrol(user)
    now = timezone.now()
    staff_auth.verify_totp(user, totp.at(now))
    earlier = totp.at(now - timedelta(seconds=30))
    with pytest.raises(DomainError):
        staff_auth.verify_totp(User.objects.get(pk=user.pk), earlier)


def test_wrong_codes_lock_the_second_factor():
    user = staff("clerk")
    totp = enrol(user)
    for _ in range(5):
        with pytest.raises(DomainError) as wrong:
            staff_auth.verify_totp(user, "000000" if totp.now() != "000000" else "111111")
        assert wrong.value.message == "动态口令错误，请核对手机上显示的 6 位数字"
    with pytest.raises(RateLimited):
        staff_auth.verify_totp(user, totp.now())


def test_malformed_code_gets_a_precise_message():
    user = staff("clerk")
    enrol(user)
    with pytest.raises(DomainError) as exc:
        staff_auth.verify_totp(user, "12ab")
    assert exc.value.message == "请输入 6 位数字动态口令"
