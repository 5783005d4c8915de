"""QR-code login (扫码登录): a signed-in phone confirms a sign-in on a PC.

Basis: seed 001 ch. 5 §(一)2 ③ "用户PC端登录：默认采用身份证号码登录，或已绑定手机号码登录、手机APP
扫描二维码登录"; REQUIREMENTS §2 "QR-code login from the mobile app".

1. The PC login page asks for a code (:func:`create_qr_login`): a random token, valid
   :data:`QR_TTL`, bound to that browser by a secret cookie whose hash is stored
   (``QrLogin.browser_key``).
2. A phone already signed in opens the URL in the QR code (:func:`scan_qr_login`), sees
   "确认在电脑上登录？" and confirms (:func:`confirm_qr_login`) or cancels.
3. The PC page polls (:func:`qr_login_status`) and, once confirmed, collects the sign-in
   (:func:`collect_qr_login`) — exactly once, and only with the cookie of the browser that asked:
   somebody who photographs the code and confirms it on their own phone signs the *PC* in, and a
   token copied off the screen cannot be collected anywhere else.

Staff accounts cannot use it: the back office needs the TOTP second factor.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import LoginEvent, QrLogin, User
from yiwang.accounts.services.staff_auth import needs_second_factor
from yiwang.core import audit
from yiwang.core.errors import DomainError, NotFound

__all__ = [
    "QR_TTL",
    "browser_key_hash",
    "cancel_qr_login",
    "collect_qr_login",
    "confirm_qr_login",
    "create_qr_login",
    "new_browser_secret",
    "qr_login_status",
    "scan_qr_login",
]

QR_TTL = timedelta(minutes=2)

INVALID = "二维码无效，请在电脑上刷新二维码"
EXPIRED = "二维码已过期，请在电脑上刷新二维码"


def new_browser_secret() -> str:
    """The value of the PC browser's cookie (kept by the browser, hashed in the table)."""
    return secrets.token_urlsafe(32)


def browser_key_hash(secret: str) -> str:
    return hashlib.sha256(f"yiwang-qr:{secret}".encode()).hexdigest()


def create_qr_login(browser_secret: str) -> QrLogin:
    """A new pending QR login for the browser holding ``browser_secret``."""
    if not browser_secret:
        raise DomainError("无法生成二维码：浏览器未启用 Cookie")
    now = timezone.now()
    return QrLogin.objects.create(
        token=secrets.token_urlsafe(32),
        browser_key=browser_key_hash(browser_secret),
        created_at=now,
        expires_at=now + QR_TTL,
    )


def _get(token: str, *, for_update: bool = False) -> QrLogin:
    rows = QrLogin.objects.select_for_update() if for_update else QrLogin.objects
    qr = rows.filter(token=token or "").first()
    if qr is None:
        raise NotFound(INVALID)
    return qr


def _expired(qr: QrLogin) -> bool:
    return qr.expires_at <= timezone.now()


def _refuse_staff(user: User) -> None:
    if needs_second_factor(user):
        raise DomainError("工作人员账号不能扫码登录，请在管理后台使用动态口令登录")


@transaction.atomic
def scan_qr_login(token: str, user: User) -> QrLogin:
    """The phone opened the code's URL: mark it scanned so the PC says "已扫码，请在手机上确认"."""
    _refuse_staff(user)
    qr = _get(token, for_update=True)
    if _expired(qr):
        raise DomainError(EXPIRED)
    if qr.status not in (QrLogin.Status.PENDING, QrLogin.Status.SCANNED):
        raise DomainError(INVALID)
    if qr.status == QrLogin.Status.PENDING:
        qr.status = QrLogin.Status.SCANNED
        qr.save(update_fields=["status"])
    return qr


@transaction.atomic
def confirm_qr_login(token: str, user: User, *, ip: str | None = None) -> QrLogin:
    """The signed-in ``user`` confirms on the phone: the PC may now collect the sign-in."""
    _refuse_staff(user)
    if not user.is_active:
        raise DomainError("账号已停用")
    qr = _get(token, for_update=True)
    if _expired(qr):
        raise DomainError(EXPIRED)
    if qr.status not in (QrLogin.Status.PENDING, QrLogin.Status.SCANNED):
        raise DomainError(INVALID)
    qr.status = QrLogin.Status.CONFIRMED
    qr.user = user
    qr.confirmed_at = timezone.now()
    qr.save(update_fields=["status", "user", "confirmed_at"])
    audit.record(
        "account.qr_confirm",
        actor=f"user:{user.pk}",
        actor_label=user.username,
        object_type="qr_login",
        object_id=qr.pk,
        ip=ip,
    )
    return qr


@transaction.atomic
def cancel_qr_login(token: str, user: User) -> QrLogin:
    qr = _get(token, for_update=True)
    if qr.status in (QrLogin.Status.PENDING, QrLogin.Status.SCANNED):
        qr.status = QrLogin.Status.CANCELLED
        qr.save(update_fields=["status"])
    return qr


def qr_login_status(token: str, browser_secret: str) -> str:
    """``pending`` / ``scanned`` / ``confirmed`` / ``used`` / ``cancelled`` / ``expired`` for the
    browser that created the code; another browser gets :class:`NotFound`."""
    qr = _get(token)
    if qr.browser_key != browser_key_hash(browser_secret or ""):
        raise NotFound(INVALID)
    if qr.status in (QrLogin.Status.PENDING, QrLogin.Status.SCANNED) and _expired(qr):
        return "expired"
    return qr.status


def collect_qr_login(
    token: str, browser_secret: str, *, ip: str | None = None, user_agent: str = ""
) -> User | None:
    """The user to sign in on the PC, once: a confirmed code moves to ``used`` in one
    conditional update, so two polls racing each other cannot both sign in. None while the code
    is not (or no longer) confirmed, or when the browser is not the one that asked."""
    key = browser_key_hash(browser_secret or "")
    qr = QrLogin.objects.filter(token=token or "", browser_key=key).first()
    if qr is None or qr.status != QrLogin.Status.CONFIRMED or _expired(qr):
        return None
    claimed = QrLogin.objects.filter(
        pk=qr.pk, status=QrLogin.Status.CONFIRMED, browser_key=key
    ).update(status=QrLogin.Status.USED)
    if claimed != 1:
        return None
    user = User.objects.filter(pk=qr.user_id, is_active=True).first()
    LoginEvent.objects.create(
        user=user if user is not None else None,
        method=LoginEvent.Method.QR,
        succeeded=user is not None,
        reason="" if user is not None else "账号已停用",
        ip=ip or None,
        user_agent=(user_agent or "")[:300],
    )
    return user
