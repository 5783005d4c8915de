"""Read queries of the notifications app: a user's in-site messages (站内信)."""

from __future__ import annotations

from django.db.models import QuerySet

from yiwang.notifications.models import Channel, Message

__all__ = ["messages_for", "unread_count"]


def messages_for(user, *, unread_only: bool = False) -> QuerySet[Message]:
    """``user``'s site messages, newest first (paginate the result)."""
    messages = Message.objects.filter(channel=Channel.SITE, recipient=user).order_by(
        "-created_at", "-id"
    )
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages


def unread_count(user) -> int:
    """How many of ``user``'s site messages are unread (the badge in the page header)."""
    return Message.objects.filter(
        channel=Channel.SITE, recipient=user, read_at__isnull=True
    ).count()
