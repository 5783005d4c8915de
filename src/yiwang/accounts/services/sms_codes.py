"""SMS verification codes (短信验证码): sending, checking, limits.

Rules (REQUIREMENTS §2 accounts; seed 001 ch. 5 §(一)2 "登录过程中应采用短信验证"):

* a code is 6 random digits (``secrets``), valid 5 minutes, used once;
* only the newest code of a phone and purpose counts ("以最后收到的验证码为准");
* after 5 wrong tries the code is dead and a new one must be requested;
* a phone gets at most one code per 60 seconds, and at most :data:`DAILY_LIMIT_PER_PHONE` codes
  a day; an IP address at most :data:`DAILY_LIMIT_PER_IP` (a government hall's kiosks share one
  address, so this cap is higher);
* the table keeps the phone only as its blind index and the code only as a keyed HMAC: neither
  who asked nor what was sent can be read from it.

Messages go out through the notifications app (``sms/verification_code``), written in the
caller's transaction and delivered after commit.
"""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import SmsCode
from yiwang.accounts.models.users import PURPOSE_PHONE
from yiwang.accounts.services import throttle
from yiwang.core.crypto import blind_index
from yiwang.core.errors import DomainError, RateLimited
from yiwang.core.fields import blind_index_for
from yiwang.core.masking import mask_phone
from yiwang.notifications.services import send_sms

__all__ = [
    "CODE_TTL",
    "DAILY_LIMIT_PER_IP",
    "DAILY_LIMIT_PER_PHONE",
    "MAX_FAILED_ATTEMPTS",
    "RESEND_INTERVAL",
    "Purpose",
    "SentCode",
    "check_code",
    "consume_code",
    "normalise_phone",
    "send_code",
]

Purpose = SmsCode.Purpose

CODE_LENGTH = 6
CODE_TTL = timedelta(minutes=5)
RESEND_INTERVAL = timedelta(seconds=60)
MAX_FAILED_ATTEMPTS = 5
DAILY_LIMIT_PER_PHONE = 10
DAILY_LIMIT_PER_IP = 100
DAY = timedelta(days=1)

SMS_TEMPLATE = "sms/verification_code"

# Mainland mobile numbers: 11 digits starting 13–19 (工业和信息化部《电信网编号计划》).
_MOBILE = re.compile(r"1[3-9]\d{9}")
_CODE = re.compile(r"\d{6}")


@dataclass(frozen=True)
class SentCode:
    """What the page says after sending: "验证码已发送至 138****5678，60 秒后可重新获取"."""

    masked_phone: str
    expires_at: datetime
    resend_after: int

    @property
    def message(self) -> str:
        return (
            f"验证码已发送至{self.masked_phone}，5分钟内有效。{self.resend_after}秒后可重新获取。"
        )


def normalise_phone(phone: str | None, *, field: str = "phone") -> str:
    """A mainland mobile number as 11 digits, or :class:`DomainError` on ``field``.

    Full-width digits (what Chinese input methods give), spaces, hyphens and a leading +86 are
    accepted, because people type them; nothing else is changed.
    """
    text = unicodedata.normalize("NFKC", phone or "")
    text = re.sub(r"[\s\-]", "", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    if not text:
        raise DomainError("请输入手机号码", field=field)
    if not _MOBILE.fullmatch(text):
        raise DomainError("手机号码格式不正确：应为1开头的11位数字", field=field)
    return text


def _phone_index(phone: str) -> str:
    return blind_index_for(phone, PURPOSE_PHONE)


def _hash(phone_index: str, purpose: str, code: str) -> str:
    # Keyed (INDEX_KEY): a copy of the table does not let anyone try the 10^6 codes offline.
    return blind_index(f"{phone_index}:{purpose}:{code}", "sms_code")


def _rate_limited(state: throttle.ThrottleState, message: str, field: str) -> RateLimited:
    return RateLimited(message, field=field, retry_after=state.retry_after)


def send_code(
    phone: str,
    purpose: str,
    *,
    ip: str | None,
    deliver: bool = True,
    field: str = "phone",
) -> SentCode:
    """Create a new code for ``phone`` and ``purpose`` and send it by SMS.

    Refused with :class:`RateLimited` (``retry_after`` in seconds) within 60 seconds of the
    previous code to this phone, and over the daily caps of the phone and of ``ip``.

    ``deliver=False`` creates the code without sending it. Sign-in and password recovery use it
    for a phone that is not bound to any account: the caller gets exactly the same answer, so the
    form does not tell a stranger whether a number is registered, yet no SMS goes to a number that
    never asked the platform for anything.
    """
    if purpose not in Purpose.values:
        raise ValueError(f"unknown SMS code purpose {purpose!r}")
    phone = normalise_phone(phone, field=field)
    index = _phone_index(phone)
    now = timezone.now()

    limits = [
        (f"sms:resend:{index}", 1, RESEND_INTERVAL, "验证码已发送，请{s}秒后再重新获取"),
        (
            f"sms:phone:{index}:day",
            DAILY_LIMIT_PER_PHONE,
            DAY,
            "该手机号今日获取验证码次数已达上限，请明天再试",
        ),
    ]
    if ip:
        limits.append(
            (f"sms:ip:{ip}:day", DAILY_LIMIT_PER_IP, DAY, "获取验证码过于频繁，请稍后再试")
        )
    # Look first, count after: a refusal by one limit must not use up another (a refused
    # request within the daily cap would otherwise block the next minute too).
    for key, limit, window, message in limits:
        state = throttle.peek(key, limit, window, now=now)
        if not state.allowed:
            raise _rate_limited(state, message.format(s=state.retry_after), field)
    for key, limit, window, message in limits:
        # counted under a row lock: of two parallel requests, only one passes the 60 s rule
        state = throttle.hit(key, limit, window, now=now)
        if not state.allowed:
            raise _rate_limited(state, message.format(s=state.retry_after), field)

    code = "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))
    expires_at = now + CODE_TTL
    with transaction.atomic():
        SmsCode.objects.create(
            phone_index=index,
            purpose=purpose,
            code_hash=_hash(index, purpose, code),
            created_at=now,
            expires_at=expires_at,
        )
        if deliver:
            send_sms(phone, SMS_TEMPLATE, {"code": code}, purpose=purpose)
    return SentCode(
        masked_phone=mask_phone(phone),
        expires_at=expires_at,
        resend_after=int(RESEND_INTERVAL.total_seconds()),
    )


def check_code(
    phone: str, purpose: str, code: str, *, field: str = "sms_code", consume: bool = True
) -> None:
    """Accept ``code`` for ``phone`` and ``purpose`` (and mark it used), or raise
    :class:`DomainError` on ``field`` saying exactly why not.

    A wrong code counts a failed try, which is kept even though the error is raised (the
    row is written in its own transaction first); the fifth wrong try kills the code.
    ``consume=False`` checks without using the code up — for a form that may still be refused
    for another reason and be sent again; the caller then calls :func:`consume_code` when it
    succeeds.
    """
    phone = normalise_phone(phone)
    text = unicodedata.normalize("NFKC", code or "").strip()
    if not text:
        raise DomainError("请输入短信验证码", field=field)
    if not _CODE.fullmatch(text):
        raise DomainError("验证码应为6位数字", field=field)
    index = _phone_index(phone)
    now = timezone.now()
    with transaction.atomic():
        row = (
            SmsCode.objects.select_for_update()
            .filter(phone_index=index, purpose=purpose)
            .order_by("-created_at", "-id")
            .first()
        )
        error = _refusal(row, now)
        if error is None:
            if hmac.compare_digest(row.code_hash, _hash(index, purpose, text)):
                if consume:
                    row.used_at = now
                    row.save(update_fields=["used_at"])
            else:
                row.failed_attempts += 1
                row.save(update_fields=["failed_attempts"])
                left = MAX_FAILED_ATTEMPTS - row.failed_attempts
                error = (
                    f"验证码错误，还可尝试{left}次"
                    if left > 0
                    else "验证码错误次数过多，请重新获取验证码"
                )
    if error:
        raise DomainError(error, field=field)


def consume_code(phone: str, purpose: str, *, field: str = "sms_code") -> None:
    """Use up the newest code of ``phone`` and ``purpose``, checked before with
    ``check_code(..., consume=False)``. Refused if it was used meanwhile (two submissions of one
    form racing each other): a code opens one door once."""
    index = _phone_index(normalise_phone(phone))
    row = (
        SmsCode.objects.filter(phone_index=index, purpose=purpose)
        .order_by("-created_at", "-id")
        .first()
    )
    used = (
        row is not None
        and SmsCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now())
        == 1
    )
    if not used:
        raise DomainError("验证码已使用，请重新获取验证码", field=field)


def _refusal(row: SmsCode | None, now: datetime) -> str | None:
    if row is None:
        return "请先获取短信验证码"
    if row.used_at is not None:
        return "验证码已使用，请重新获取验证码"
    if row.failed_attempts >= MAX_FAILED_ATTEMPTS:
        return "验证码错误次数过多，请重新获取验证码"
    if row.expires_at <= now:
        return "验证码已过期，请重新获取"
    return None
