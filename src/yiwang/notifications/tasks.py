"""Background tasks of the notifications app (django-tasks; ``yiwang worker`` runs them)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from yiwang.notifications import delivery

__all__ = ["deliver_sms", "enqueue_delivery"]


@task
def deliver_sms(message_id: int) -> str:
    """Send the outbox SMS ``message_id``; safe to run twice or concurrently (it sends once)."""
    outcome = delivery.deliver(message_id)
    if outcome.retry_at is not None:
        enqueue_delivery(message_id, at=outcome.retry_at)
    return outcome.status


def enqueue_delivery(message_id: int, *, at: datetime | None = None) -> None:
    """Queue a delivery of ``message_id``, at ``at`` or as soon as possible.

    A backend that cannot defer (the immediate one) leaves a later retry to the sweep
    (``yiwang notifications retry``), which re-enqueues every due message.
    """
    job = deliver_sms
    if at is not None:
        if not job.get_backend().supports_defer:
            return
        job = job.using(run_after=at)
    job.enqueue(message_id)
