"""Staff sign-in: password first, then a TOTP second factor (动态口令), enrolled on first use.

Every staff account must use a second factor: the back office reaches personal data and account
management, and GB/T 22239-2019 (等级保护 2.0, 8.1.4.1 身份鉴别 d) asks for "两种或两种以上组合的
鉴别技术" for administrative users. Citizens sign in with a password or SMS code (login.py); the
password sign-in asks :func:`needs_second_factor` and sends staff to the back office's TOTP step.

TOTP follows RFC 6238 (30-second steps, 6 digits, SHA-1: what every authenticator app reads from
an ``otpauth://`` QR code). A code is accepted one step early or late for clock drift, and only
once: the step of the last accepted code is kept in ``User.totp_last_step`` and anything at or
before it is refused, so a code seen over a shoulder cannot be replayed within its window.
Wrong codes and wrong passwords count in :mod:`~yiwang.accounts.services.throttle`; too many
lock the account's sign-in for a while.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

import pyotp
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yiwang.accounts.constants import UserKind
from yiwang.accounts.models import LoginEvent, User
from yiwang.accounts.services import throttle
from yiwang.core import audit
from yiwang.core.errors import Conflict, DomainError, RateLimited
from yiwang.core.qr import qr_svg

__all__ = [
    "PASSWORD_FAILURE_LIMIT",
    "STAFF_VERIFIED_SESSION_KEY",
    "TOTP_FAILURE_LIMIT",
    "authenticate_staff",
    "begin_totp_enrolment",
    "confirm_totp_enrolment",
    "needs_second_factor",
    "record_staff_sign_in",
    "staff_session_verified",
    "totp_enrolled",
    "totp_provisioning_qr",
    "totp_provisioning_uri",
    "verify_totp",
]

# Five wrong tries in 15 minutes lock the sign-in for the rest of the window: enough for typing
# mistakes, far too few to guess a 6-digit code (10⁶ values) or a password.
PASSWORD_FAILURE_LIMIT = 5
TOTP_FAILURE_LIMIT = 5
FAILURE_WINDOW = timedelta(minutes=15)

GENERIC_PASSWORD_ERROR = "账号或密码错误"  # noqa: S105 (a message, not a password)

# Set in the session once both factors passed; the back office and the staff API require it, so
# a staff member signed in some other way (a portal password form) reaches no staff function.
STAFF_VERIFIED_SESSION_KEY = "yiwang.staff_verified"


def staff_session_verified(request) -> bool:
    """Whether ``request`` comes from a staff session that passed the TOTP step."""
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and needs_second_factor(user)
        and request.session.get(STAFF_VERIFIED_SESSION_KEY) == user.pk
    )


def needs_second_factor(user: User) -> bool:
    """Whether ``user`` must pass a TOTP step after the password: every staff account does."""
    return user.kind == UserKind.STAFF or user.is_staff or user.is_superuser


def totp_enrolled(user: User) -> bool:
    return bool(user.totp_secret) and user.totp_confirmed_at is not None


def _password_key(username: str) -> str:
    # Counted by the name typed, not by a row id, so unknown names are throttled alike and the
    # answer does not reveal which names exist.
    return f"staff-login:{username.strip().lower()[:100]}"


def _totp_key(user: User) -> str:
    return f"staff-totp:{user.pk}"


def _refuse_if_locked(key: str, limit: int) -> None:
    state = throttle.peek(key, limit, FAILURE_WINDOW)
    if not state.allowed:
        raise RateLimited(
            f"错误次数过多，请 {max(1, state.retry_after // 60)} 分钟后再试",
            retry_after=state.retry_after,
        )


def _login_event(user: User | None, method: str, succeeded: bool, reason: str, ip, ua) -> None:
    LoginEvent.objects.create(
        user=user,
        method=method,
        succeeded=succeeded,
        reason=reason,
        ip=ip or None,
        user_agent=(ua or "")[:300],
    )


def authenticate_staff(
    username: str, password: str, *, ip: str | None = None, user_agent: str = ""
) -> User:
    """The first step of staff sign-in: check the password of a staff account.

    Returns the user, not yet signed in: the caller continues with the TOTP step (enrolment on
    first sign-in). A wrong name and a wrong password give the same answer; a disabled account
    is told so only after a correct password.
    """
    key = _password_key(username)
    _refuse_if_locked(key, PASSWORD_FAILURE_LIMIT)
    user = User.objects.filter(username=username.strip(), kind=UserKind.STAFF).first()
    if user is None or not user.check_password(password):
        # Count the failure in its own committed transaction, then refuse (see throttle.py).
        with transaction.atomic():
            throttle.hit(key, PASSWORD_FAILURE_LIMIT, FAILURE_WINDOW)
            _login_event(user, LoginEvent.Method.PASSWORD, False, "密码错误", ip, user_agent)
        raise DomainError(GENERIC_PASSWORD_ERROR, field="password")
    if not user.is_active:
        _login_event(user, LoginEvent.Method.PASSWORD, False, "账号已停用", ip, user_agent)
        raise DomainError("账号已停用，请联系本单位管理员", field="username")
    throttle.clear(key)
    return user


def totp_provisioning_uri(user: User) -> str:
    """The ``otpauth://`` URI an authenticator app reads (from the QR code)."""
    if not user.totp_secret:
        raise DomainError("尚未生成动态口令密钥")
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.username, issuer_name=settings.SITE_NAME
    )


def totp_provisioning_qr(user: User) -> str:
    """The provisioning URI as an inline SVG QR code for the enrolment page."""
    return qr_svg(totp_provisioning_uri(user), scale=5, title="动态口令绑定二维码")


@transaction.atomic
def begin_totp_enrolment(user: User) -> str:
    """Give ``user`` a TOTP secret to put into an authenticator app; return the provisioning URI.

    The secret is stored encrypted (``User.totp_secret``) but not yet in force: it counts only
    after :func:`confirm_totp_enrolment` saw a first correct code. Calling this again before that
    keeps the same secret, so reloading the page does not invalidate a code already scanned.
    """
    if totp_enrolled(user):
        raise Conflict("动态口令已启用；如需更换，请联系安全管理员重置")
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        user.totp_last_step = None
        user.save(update_fields=["totp_secret", "totp_last_step"])
    return totp_provisioning_uri(user)


def _matching_step(secret: str, code: str) -> int | None:
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(timezone.now())
    # RFC 6238 §5.2: accept one step of clock drift either way.
    for step in (now_step - 1, now_step, now_step + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_totp(user: User, code: str, *, ip: str | None = None, user_agent: str = "") -> None:
    """Check ``code`` against ``user``'s TOTP secret; raise :class:`DomainError` if wrong or
    already used, :class:`RateLimited` after too many failures. Returns nothing when right."""
    key = _totp_key(user)
    _refuse_if_locked(key, TOTP_FAILURE_LIMIT)
    code = "".join((code or "").split())
    if not (len(code) == 6 and code.isdigit()):
        raise DomainError("请输入 6 位数字动态口令", field="code")
    if not user.totp_secret:
        raise DomainError("尚未绑定动态口令", field="code")
    step = _matching_step(user.totp_secret, code)
    accepted = False
    if step is not None:
        # Conditional update: of two requests with the same code only one can move the step on.
        accepted = (
            User.objects.filter(pk=user.pk)
            .filter(Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step))
            .update(totp_last_step=step)
            == 1
        )
    if not accepted:
        reason = "动态口令错误" if step is None else "动态口令重复使用"
        with transaction.atomic():
            throttle.hit(key, TOTP_FAILURE_LIMIT, FAILURE_WINDOW)
            _login_event(user, LoginEvent.Method.TOTP, False, reason, ip, user_agent)
        if step is None:
            raise DomainError("动态口令错误，请核对手机上显示的 6 位数字", field="code")
        raise DomainError("该动态口令已使用过，请等待手机上出现新的口令后再输入", field="code")
    user.totp_last_step = step
    throttle.clear(key)


def confirm_totp_enrolment(
    user: User, code: str, *, ip: str | None = None, user_agent: str = ""
) -> None:
    """Put the enrolled secret in force once the user typed a first correct code (proof that the
    authenticator app holds it). Audited."""
    if totp_enrolled(user):
        raise Conflict("动态口令已启用")
    verify_totp(user, code, ip=ip, user_agent=user_agent)
    with transaction.atomic():
        user.totp_confirmed_at = timezone.now()
        user.save(update_fields=["totp_confirmed_at"])
        audit.record(
            "account.totp_enrol",
            actor=f"user:{user.pk}",
            actor_label=user.username,
            object_type="user",
            object_id=user.pk,
            after={"totp": "enabled"},
            ip=ip,
        )


def record_staff_sign_in(user: User, *, ip: str | None = None, user_agent: str = "") -> None:
    """Write the successful sign-in (both factors passed) to the user's 登录记录."""
    _login_event(user, LoginEvent.Method.TOTP, True, "", ip, user_agent)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
