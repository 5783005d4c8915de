"""Public API of the notifications app: send an SMS, notify a user in the site, read messages.

Other apps call only this module, :mod:`~yiwang.notifications.selectors` and, in tests,
:mod:`~yiwang.notifications.testing`.

Messages are written in the caller's transaction and delivered after it commits
(DESIGN §3.5): an action that is rolled back sends nothing, and a committed one cannot lose its
message — if the delivery cannot even be queued (the process dies between the commit and the
enqueue, the queue table is unavailable), the message is still pending in the outbox and the sweep
:func:`retry_due` (``yiwang notifications retry``, also run when ``yiwang worker`` starts) queues
it again.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from yiwang.core import audit
from yiwang.core.errors import DomainError, NotFound
from yiwang.notifications.models import Channel, Message, Status
from yiwang.notifications.tasks import enqueue_delivery
from yiwang.notifications.texts import TemplateError, get_template, render

__all__ = [
    "SWEEP_GRACE",
    "TemplateError",
    "mark_all_read",
    "mark_read",
    "notify_user",
    "resend_failed",
    "retry_due",
    "send_sms",
]

logger = logging.getLogger("yiwang.notifications")

_PHONE = re.compile(r"\+?\d{5,20}")

# The sweep leaves a just-due message alone this long: its own queued task is about to run.
SWEEP_GRACE = timedelta(minutes=1)


def send_sms(
    phone: str, template: str, context: Mapping[str, object], *, purpose: str = ""
) -> Message:
    """Write the SMS ``template`` (a key such as ``"sms/verification_code"``) to ``phone`` into
    the outbox, and deliver it once the caller's transaction commits.

    ``context`` must hold exactly the template's variables (:data:`texts.TEMPLATES`); otherwise
    :class:`TemplateError` is raised — a bug in the caller. ``purpose`` (``"login"``,
    ``"register"`` …) is kept with the message for the caller's own queries, e.g. rate limits.
    A malformed number raises :class:`DomainError` (the caller's form should have said so first).
    """
    spec = get_template(template, Channel.SMS)
    text = render(spec, context)
    number = (phone or "").strip()
    if not _PHONE.fullmatch(number):
        raise DomainError("手机号码格式不正确", field="phone")
    now = timezone.now()
    message = Message.objects.create(
        channel=Channel.SMS,
        phone=number,
        template=spec.key,
        purpose=purpose,
        title=spec.title,
        text=text,
        created_at=now,
        next_attempt_at=now,
    )
    _deliver_on_commit(message.pk)
    return message


def notify_user(user, template: str, context: Mapping[str, object]) -> Message:
    """Put the in-site message (站内信) ``template`` (e.g. ``"site/case_accepted"``) into
    ``user``'s messages.

    Nothing leaves the platform, so there is nothing to deliver or retry: the row, committed with
    the caller's transaction, is the message (status ``sent`` at once), read through
    :func:`yiwang.notifications.selectors.messages_for`. Template errors as in :func:`send_sms`.
    """
    spec = get_template(template, Channel.SITE)
    text = render(spec, context)
    if user is None or user.pk is None:
        raise ValueError("notify_user needs a saved user")
    now = timezone.now()
    return Message.objects.create(
        channel=Channel.SITE,
        recipient=user,
        template=spec.key,
        title=spec.title,
        text=text,
        status=Status.SENT,
        created_at=now,
        sent_at=now,
    )


def mark_read(user, message_id: int) -> Message:
    """Mark ``user``'s site message ``message_id`` read (once: the first reading time stays).

    Someone else's message, or an SMS, is "not found" — a user must not learn that it exists.
    """
    message = Message.objects.filter(pk=message_id, channel=Channel.SITE, recipient=user).first()
    if message is None:
        raise NotFound("消息不存在")
    if message.read_at is None:
        now = timezone.now()
        # conditional, so two tabs reading at once keep the first time
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
        message.refresh_from_db(fields=["read_at"])
    return message


def mark_all_read(user) -> int:
    """Mark every unread site message of ``user`` read; return how many were unread."""
    return Message.objects.filter(
        channel=Channel.SITE, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def resend_failed(
    message_ids: Iterable[int], *, actor: str = "system", actor_label: str = "", ip=None
) -> int:
    """Send failed SMS again (the admin's "重新发送"): back to pending with a fresh count of
    attempts, delivered after commit. Messages that are not failed SMS are left alone. Each
    resend is audited (an operator causes a text to a citizen); return how many were resent.
    """
    now = timezone.now()
    count = 0
    for message in (
        Message.objects.select_for_update()
        .filter(pk__in=list(message_ids), channel=Channel.SMS, status=Status.FAILED)
        .order_by("pk")
    ):
        before = {"status": message.status, "attempts": message.attempts}
        message.status = Status.PENDING
        message.attempts = 0
        message.next_attempt_at = now
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit.record(
            "notifications.message.resend",
            actor=actor,
            actor_label=actor_label,
            ip=ip,
            object_type="notifications.message",
            object_id=message.pk,
            before=before,
            after={"status": message.status, "attempts": 0},
        )
        _deliver_on_commit(message.pk)
        count += 1
    return count


def retry_due(*, now: datetime | None = None) -> int:
    """Queue every pending SMS whose next attempt is due (by more than :data:`SWEEP_GRACE`).

    This is the safety net of the outbox: a message whose delivery was never queued, whose
    worker died, or whose retry the task backend could not defer. Queuing one twice is harmless —
    only one delivery can claim it. Returns how many were queued.
    """
    cutoff = (now or timezone.now()) - SWEEP_GRACE
    due = Message.objects.filter(
        channel=Channel.SMS, status=Status.PENDING, next_attempt_at__lte=cutoff
    ).order_by("next_attempt_at", "pk")
    count = 0
    for message_id in due.values_list("pk", flat=True).iterator():
        enqueue_delivery(message_id)
        count += 1
    if count:
        logger.info("重新排队待发送短信 %d 条", count)
    return count


def _deliver_on_commit(message_id: int) -> None:
    # robust: a failure to queue is logged, not raised into a caller whose data is already
    # committed; the message stays pending and retry_due() queues it later.
    # (A plain function, not functools.partial: Django names the callback by its __qualname__
    # when it logs the failure.)
    def enqueue_sms_delivery() -> None:
        enqueue_delivery(message_id)

    transaction.on_commit(enqueue_sms_delivery, robust=True)
