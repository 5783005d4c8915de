"""A user's in-site messages: only theirs, newest first, unread counted."""

from yiwang.notifications import selectors, services


def test_messages_for_and_unread_count(user, other_user, monkeypatch):
    monkeypatch.setattr(services, "enqueue_delivery", lambda message_id: None)
    first = services.notify_user(user, "site/account_disabled", {"reason": "多次输错密码"})
    second = services.notify_user(user, "site/account_enabled", {})
    services.notify_user(other_user, "site/account_enabled", {})
    services.send_sms("13812345678", "sms/account_enabled", {})

    assert list(selectors.messages_for(user)) == [second, first]
    assert selectors.unread_count(user) == 2
    services.mark_read(user, first.pk)
    assert selectors.unread_count(user) == 1
    assert list(selectors.messages_for(user, unread_only=True)) == [second]
    assert selectors.unread_count(other_user) == 1
