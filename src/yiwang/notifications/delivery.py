"""Delivering one SMS from the outbox: claim it, send it, record the outcome.

Two workers (or a worker and the sweep) may be handed the same message. Only one of them gets it:
the claim is a single conditional ``UPDATE`` — "pending, due, and still due when I write" — that
moves the message's next attempt into the future by a lease and counts the attempt. The database
applies it to one caller only (PostgreSQL re-checks the condition after the row lock; SQLite
serialises writers), so the loser sees 0 rows and does nothing. The gateway is called outside any
transaction: SQLite must not hold its write lock for a network round trip.

If a worker dies after the claim, the message stays pending and becomes due again when the lease
ends; the sweep (:func:`yiwang.notifications.services.retry_due`) then hands it out again. That
send may be a duplicate of one that reached the gateway before the crash — delivery is at least
once, as with any SMS gateway that has no idempotency key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from yiwang.core.masking import mask_phone
from yiwang.notifications.backends import DeliveryError, DeliveryRejected, get_backend
from yiwang.notifications.models import Channel, Message, Status

__all__ = ["MAX_RETRY_DELAY", "Outcome", "deliver", "lease", "retry_delay"]

logger = logging.getLogger("yiwang.notifications")

MAX_RETRY_DELAY = timedelta(hours=1)
_ERROR_LIMIT = 1000


@dataclass(frozen=True)
class Outcome:
    """What one delivery did: ``sent``, ``retry`` (again at ``retry_at``), ``failed`` or
    ``skipped`` (not pending, not due, or taken by another worker)."""

    status: str
    retry_at: datetime | None = None


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: SMS_RETRY_SECONDS, doubled each time.

    No jitter: retries of different messages are already spread by when they were created.
    """
    seconds = settings.SMS_RETRY_SECONDS * 2 ** (attempts - 1)
    return min(timedelta(seconds=seconds), MAX_RETRY_DELAY)


def lease() -> timedelta:
    """How long a claimed message is left alone: well beyond one gateway call's timeout."""
    return timedelta(seconds=2 * settings.SMS_GATEWAY_TIMEOUT + 60)


def _claim(message_id: int, now: datetime) -> bool:
    return bool(
        Message.objects.filter(
            pk=message_id,
            channel=Channel.SMS,
            status=Status.PENDING,
            next_attempt_at__lte=now,
        ).update(attempts=F("attempts") + 1, next_attempt_at=now + lease())
    )


def deliver(message_id: int, *, now: datetime | None = None) -> Outcome:
    """Try to send SMS ``message_id`` once, unless it is sent, failed, not due or taken."""
    now = now or timezone.now()
    if not _claim(message_id, now):
        return Outcome("skipped")
    message = Message.objects.get(pk=message_id)
    who = mask_phone(message.phone)
    if message.attempts > settings.SMS_MAX_ATTEMPTS:
        # Claimed again after the last allowed attempt died half-way (a crashed worker).
        return _fail(message, "超过最大尝试次数", now)
    try:
        provider_id = get_backend().send(message.phone, message.text)
    except DeliveryRejected as error:
        logger.warning("短信 %s → %s 被网关拒绝：%s", message.pk, who, error)
        return _fail(message, str(error), now)
    except DeliveryError as error:
        return _retry_or_fail(message, str(error), now)
    except Exception as error:
        # A bug in a backend, or the configuration: keep the message, let an operator see why.
        logger.exception("短信 %s → %s 发送出错", message.pk, who)
        return _retry_or_fail(message, f"{type(error).__name__}: {error}", now)
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        provider_id=provider_id[:128],
        next_attempt_at=None,
        last_error="",
    )
    logger.info("短信 %s → %s 已发送（第 %d 次尝试）", message.pk, who, message.attempts)
    return Outcome("sent")


def _retry_or_fail(message: Message, error: str, now: datetime) -> Outcome:
    if message.attempts >= settings.SMS_MAX_ATTEMPTS:
        logger.warning(
            "短信 %s 第 %d 次发送失败，不再重试：%s", message.pk, message.attempts, error
        )
        return _fail(message, error, now)
    retry_at = now + retry_delay(message.attempts)
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=retry_at, last_error=error[:_ERROR_LIMIT]
    )
    logger.info(
        "短信 %s 第 %d 次发送失败，%s 重试：%s", message.pk, message.attempts, retry_at, error
    )
    return Outcome("retry", retry_at)


def _fail(message: Message, error: str, now: datetime) -> Outcome:
    Message.objects.filter(pk=message.pk).update(
        status=Status.FAILED, next_attempt_at=None, last_error=error[:_ERROR_LIMIT]
    )
    return Outcome("failed")
