"""QR-code login: single use, two minutes, bound to the PC browser, never for staff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.accounts.models import LoginEvent, QrLogin
from yiwang.accounts.services import qr_login
from yiwang.accounts.tests.staff_helpers import person, staff
from yiwang.core.errors import DomainError, NotFound

pytestmark = pytest.mark.django_db

PC = "pc-browser-secret"


def test_scan_confirm_and_collect_once():
    citizen = person(1)
    qr = qr_login.create_qr_login(PC)
    assert qr_login.qr_login_status(qr.token, PC) == "pending"
    qr_login.scan_qr_login(qr.token, citizen)
    assert qr_login.qr_login_status(qr.token, PC) == "scanned"
    qr_login.confirm_qr_login(qr.token, citizen)
    assert qr_login.qr_login_status(qr.token, PC) == "confirmed"
    assert qr_login.collect_qr_login(qr.token, PC) == citizen
    assert qr_login.collect_qr_login(qr.token, PC) is None
    assert qr_login.qr_login_status(qr.token, PC) == "used"
    event = LoginEvent.objects.get()
    assert (event.user, event.method, event.succeeded) == (citizen, "qr", True)


def test_a_stolen_token_cannot_be_collected_in_another_browser():
    citizen = person(1)
    qr = qr_login.create_qr_login(PC)
    qr_login.confirm_qr_login(qr.token, citizen)
    assert qr_login.collect_qr_login(qr.token, "attacker") is None
    with pytest.raises(NotFound):
        qr_login.qr_login_status(qr.token, "attacker")
    assert qr_login.collect_qr_login(qr.token, PC) == citizen


def test_the_code_expires_after_two_minutes():
    citizen = person(1)
    qr = qr_login.create_qr_login(PC)
    QrLogin.objects.filter(pk=qr.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert qr_login.qr_login_status(qr.token, PC) == "expired"
    with pytest.raises(DomainError) as exc:
        qr_login.confirm_qr_login(qr.token, citizen)
    assert exc.value.message == "二维码已过期，请在电脑上刷新二维码"
    assert qr.expires_at - qr.created_at == timedelta(minutes=2)


def test_cancelled_code_cannot_be_confirmed():
    citizen = person(1)
    qr = qr_login.create_qr_login(PC)
    qr_login.cancel_qr_login(qr.token, citizen)
    with pytest.raises(DomainError):
        qr_login.confirm_qr_login(qr.token, citizen)
    assert qr_login.collect_qr_login(qr.token, PC) is None


def test_staff_cannot_sign_in_by_qr_code():
    qr = qr_login.create_qr_login(PC)
    with pytest.raises(DomainError) as exc:
        qr_login.confirm_qr_login(qr.token, staff("clerk"))
    assert exc.value.message == "工作人员账号不能扫码登录，请在管理后台使用动态口令登录"


def test_unknown_token_is_not_found():
    with pytest.raises(NotFound):
        qr_login.scan_qr_login("nope", person(1))
