"""Sign-in of persons: ID number or bound phone + password, or phone + SMS code.

Seed 001 ch. 5 §(一)2 ③: "默认采用身份证号码登录，或已绑定手机号码登录、手机APP扫描二维码登录，
登录过程中应采用短信验证、密码等方式提高安全性。" QR sign-in and the staff TOTP step are in
``staff_auth.py``; this module returns the user, and the page asks
``staff_auth.needs_second_factor(user)`` before it signs anybody in (staff continue with TOTP).

**Nothing an answer says reveals whether an account exists or which factor was wrong.** A wrong
password and an unknown ID number or phone both give "账号或密码错误", and both count towards the
same lockout: :data:`FAILURE_LIMIT` wrong passwords within :data:`FAILURE_WINDOW` lock the
identifier for :data:`LOCK_DURATION` — the account's counter when it exists, a counter keyed by
the identifier's blind index when it does not, so a stranger sees the same lock either way.

**A locked identifier says so, with the time left, whatever password is typed — and the password
is not checked while it is locked.** The alternative, saying "locked" only after a correct
password, would turn the lock into an oracle: an attacker could keep guessing during the lock,
and the one answer that differs ("locked" instead of "wrong") would confirm the right password.
Saying it at once also tells the real owner what happened and what to do (wait, sign in by SMS
code, or reset the password by SMS, which lifts the lock). The lock covers password sign-in only:
sign-in by SMS code proves possession of the bound phone and stays open, so somebody who locks a
stranger's account on purpose does not lock them out.

Per IP address, :data:`IP_FAILURE_LIMIT` failures within :data:`FAILURE_WINDOW` refuse further
attempts from that address until the window ends (one address trying many accounts).

A disabled account is told so, with a way to get help, only after the correct password or code:
before that, it is just another account. Every attempt writes a :class:`LoginEvent` (登录记录).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import LoginEvent, User
from yiwang.accounts.services import throttle
from yiwang.accounts.services.sms_codes import (
    Purpose,
    SentCode,
    check_code,
    normalise_phone,
    send_code,
)
from yiwang.core.crypto import blind_index
from yiwang.core.errors import DomainError, Forbidden, RateLimited
from yiwang.core.identifiers import IdentifierError, validate_person_id

__all__ = [
    "FAILURE_LIMIT",
    "FAILURE_WINDOW",
    "GENERIC_MESSAGE",
    "IP_FAILURE_LIMIT",
    "LOCK_DURATION",
    "authenticate_password",
    "authenticate_sms",
    "login_lock_key",
    "request_login_code",
]

GENERIC_MESSAGE = "账号或密码错误"
FAILURE_LIMIT = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)
IP_FAILURE_LIMIT = 50

_MOBILE = re.compile(r"(?:\+?86)?1[3-9]\d{9}")


def _minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))


def _resolve(identifier: str | None) -> tuple[str, User | None]:
    """(lock key, user or None) for what was typed as 账号: a mobile number or an ID number.

    A value that is neither gets the ID number validator's precise message: that is about the
    typing, not about any account.
    """
    text = "".join(unicodedata.normalize("NFKC", identifier or "").split())
    if not text:
        raise DomainError("请输入身份证号或手机号", field="identifier")
    if _MOBILE.fullmatch(text):
        phone = normalise_phone(text, field="identifier")
        user = User.objects.by_phone(phone).first()
        typed = f"phone:{phone}"
    else:
        try:
            id_number = validate_person_id(text)
        except IdentifierError as exc:
            exc.field = "identifier"
            raise
        user = User.objects.by_id_number(id_number).first()
        typed = f"id:{id_number}"
    return login_lock_key(user, typed), user


def login_lock_key(user: User | None, typed: str = "") -> str:
    """The throttle key of password failures: per account, or per typed identifier (as a keyed
    hash) when no account has it."""
    if user is not None:
        return f"login:user:{user.pk}"
    return f"login:unknown:{blind_index(typed, 'login_identifier')}"


def _ip_key(ip: str | None) -> str | None:
    return f"login:ip:{ip}" if ip else None


def _event(user, method, succeeded, reason, ip, user_agent) -> None:
    LoginEvent.objects.create(
        user=user,
        method=method,
        succeeded=succeeded,
        reason=reason,
        ip=ip or None,
        user_agent=(user_agent or "")[:300],
    )


def _refuse_busy_ip(ip, user, method, user_agent) -> None:
    key = _ip_key(ip)
    if key is None:
        return
    state = throttle.peek(key, IP_FAILURE_LIMIT, FAILURE_WINDOW)
    if not state.allowed:
        _event(user, method, False, "IP 尝试过多", ip, user_agent)
        raise RateLimited(
            f"登录尝试过于频繁，请{_minutes(state.retry_after)}分钟后再试",
            retry_after=state.retry_after,
        )


def _refuse_disabled(user: User, method, ip, user_agent) -> None:
    if user.is_active and user.disabled_at is None:
        return
    _event(user, method, False, "账号已停用", ip, user_agent)
    reason = f"（{user.disabled_reason}）" if user.disabled_reason else ""
    raise Forbidden(
        f"该账号已停用{reason}。如有疑问，请拨打政务服务便民热线12345或到政务服务大厅咨询"
    )


def authenticate_password(
    identifier: str, password: str, *, ip: str | None = None, user_agent: str = ""
) -> User:
    """Check 账号 (ID number or bound phone) and password; return the user, not yet signed in.

    Raises :class:`DomainError` "账号或密码错误" for a wrong password or unknown account,
    :class:`RateLimited` while the identifier or the IP address is locked (with the minutes
    left), :class:`Forbidden` for a disabled account after a correct password. The caller signs
    the user in only if ``needs_second_factor(user)`` is false (staff continue with TOTP).
    """
    method = LoginEvent.Method.PASSWORD
    key, user = _resolve(identifier)
    if not password:
        raise DomainError("请输入密码", field="password")
    _refuse_busy_ip(ip, user, method, user_agent)
    until = throttle.locked_until(key)
    if until is not None:
        left = _minutes(int((until - timezone.now()).total_seconds()))
        _event(user, method, False, "账号已锁定", ip, user_agent)
        raise RateLimited(
            f"密码错误次数过多，账号已锁定，请{left}分钟后再试，或使用短信验证码登录、找回密码",
            retry_after=left * 60,
        )

    if user is not None:
        correct = user.check_password(password)
    else:
        # Same work as for an existing account: the answer's timing must not tell either.
        make_password(password)
        correct = False

    if not correct:
        now = timezone.now()
        with transaction.atomic():  # committed before the refusal is raised (throttle.py)
            state = throttle.hit(key, FAILURE_LIMIT, FAILURE_WINDOW, now=now)
            if _ip_key(ip):
                throttle.hit(_ip_key(ip), IP_FAILURE_LIMIT, FAILURE_WINDOW, now=now)
            locked = state.count >= FAILURE_LIMIT
            if locked:
                throttle.lock(key, now + LOCK_DURATION)
            _event(user, method, False, "密码错误" if user else "账号不存在", ip, user_agent)
        if locked:
            minutes = _minutes(int(LOCK_DURATION.total_seconds()))
            raise RateLimited(
                f"密码错误次数过多，账号已锁定，请{minutes}分钟后再试，"
                "或使用短信验证码登录、找回密码",
                retry_after=minutes * 60,
            )
        left = FAILURE_LIMIT - state.count
        hint = f"，还可尝试{left}次" if left <= 3 else ""
        raise DomainError(GENERIC_MESSAGE + hint)

    _refuse_disabled(user, method, ip, user_agent)
    throttle.clear(key)
    _event(user, method, True, "", ip, user_agent)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return user


def request_login_code(phone: str, *, ip: str | None = None) -> SentCode:
    """Send a sign-in code to ``phone`` — only if it is bound to an account, yet with the same
    answer either way (see :func:`~yiwang.accounts.services.sms_codes.send_code`)."""
    phone = normalise_phone(phone)
    bound = User.objects.by_phone(phone).exists()
    return send_code(phone, Purpose.LOGIN, ip=ip, deliver=bound)


def authenticate_sms(phone: str, code: str, *, ip: str | None = None, user_agent: str = "") -> User:
    """Sign-in by bound phone + SMS code; return the user, not yet signed in.

    The code's own messages (expired, used, wrong with tries left) say nothing about the
    account: a phone without an account got a code row too, just no SMS. A disabled account is
    told so after a correct code. Failures count towards the IP limit.
    """
    method = LoginEvent.Method.SMS
    phone = normalise_phone(phone)
    user = User.objects.by_phone(phone).first()
    _refuse_busy_ip(ip, user, method, user_agent)
    try:
        check_code(phone, Purpose.LOGIN, code)
    except DomainError:
        with transaction.atomic():
            if _ip_key(ip):
                throttle.hit(_ip_key(ip), IP_FAILURE_LIMIT, FAILURE_WINDOW)
            _event(user, method, False, "验证码错误", ip, user_agent)
        raise
    if user is None:
        # Unreachable in practice: no SMS went to an unbound phone, so nobody knows its code.
        _event(None, method, False, "账号不存在", ip, user_agent)
        raise DomainError("验证码错误", field="sms_code")
    _refuse_disabled(user, method, ip, user_agent)
    _event(user, method, True, "", ip, user_agent)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return user
