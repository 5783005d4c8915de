"""Helpers for tests (browser tests too) that need the SMS a user was sent.

With ``SMS_BACKEND=outbox`` nothing leaves the platform; the messages are in the outbox table
whatever the backend, so these helpers read them from there. Not for production code.
"""

from __future__ import annotations

import re

from yiwang.core.fields import blind_index_for
from yiwang.notifications.models import PURPOSE_PHONE, Channel, Message

__all__ = ["last_sms", "sms_codes", "sms_to"]

_CODE = re.compile(r"验证码为(\d+)")


def _to(phone: str):
    # the number is encrypted (randomised): found through its blind index
    return Message.objects.filter(
        channel=Channel.SMS, phone_index=blind_index_for(phone.strip(), PURPOSE_PHONE)
    )


def sms_to(phone: str) -> list[Message]:
    """Every SMS written to ``phone``, oldest first (pending, sent and failed)."""
    return list(_to(phone).order_by("created_at", "id"))


def last_sms(phone: str) -> str:
    """The text of the newest SMS to ``phone``; AssertionError if there is none."""
    message = _to(phone).order_by("-created_at", "-id").first()
    assert message is not None, f"no SMS to {phone}"
    return message.text


def sms_codes(phone: str) -> list[str]:
    """The verification codes sent to ``phone``, oldest first (``sms_codes(p)[-1]`` is the
    latest)."""
    return [
        match.group(1)
        for message in sms_to(phone)
        if message.template == "sms/verification_code"
        for match in [_CODE.search(message.text)]
        if match
    ]
