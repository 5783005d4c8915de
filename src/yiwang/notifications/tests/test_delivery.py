"""Delivering one SMS: idempotent, claimed by one worker only, retried with backoff."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from yiwang.notifications import delivery, services
from yiwang.notifications.backends import DeliveryRejected
from yiwang.notifications.models import Message, Status

PHONE = "13812345678"


@pytest.fixture
def message(db, monkeypatch):
    """A pending SMS whose delivery was not queued (so each test drives it by hand)."""
    monkeypatch.setattr(services, "enqueue_delivery", lambda message_id: None)
    return services.send_sms(PHONE, "sms/account_enabled", {})


def state(message):
    message.refresh_from_db()
    return (message.status, message.attempts, message.next_attempt_at, message.last_error)


def test_retry_delay_doubles_up_to_an_hour(settings):
    settings.SMS_RETRY_SECONDS = 30
    assert [delivery.retry_delay(n).total_seconds() for n in range(1, 10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


def test_lease_outlasts_the_gateway_timeout(settings):
    settings.SMS_GATEWAY_TIMEOUT = 10
    assert delivery.lease() == timedelta(seconds=80)


def test_retries_with_exponential_backoff_then_fails(message, gateway):
    gateway.fail(3)
    t1 = message.next_attempt_at
    assert delivery.deliver(message.pk, now=t1) == delivery.Outcome(
        "retry", t1 + timedelta(seconds=30)
    )
    assert state(message) == (Status.PENDING, 1, t1 + timedelta(seconds=30), "网关繁忙")

    # not due yet: nothing happens
    assert delivery.deliver(message.pk, now=t1 + timedelta(seconds=29)) == delivery.Outcome(
        "skipped"
    )
    assert message.attempts == 1

    t2 = t1 + timedelta(seconds=30)
    assert delivery.deliver(message.pk, now=t2) == delivery.Outcome(
        "retry", t2 + timedelta(seconds=60)
    )
    assert state(message) == (Status.PENDING, 2, t2 + timedelta(seconds=60), "网关繁忙")

    t3 = t2 + timedelta(seconds=60)
    assert delivery.deliver(message.pk, now=t3) == delivery.Outcome("failed")  # 3rd of 3
    assert state(message) == (Status.FAILED, 3, None, "网关繁忙")
    assert gateway.sent == []
    assert delivery.deliver(message.pk, now=t3 + timedelta(days=1)) == delivery.Outcome("skipped")


def test_a_retry_that_succeeds_clears_the_error(message, gateway):
    gateway.fail(1)
    t1 = message.next_attempt_at
    delivery.deliver(message.pk, now=t1)
    assert delivery.deliver(message.pk, now=t1 + timedelta(seconds=30)) == delivery.Outcome("sent")
    assert state(message) == (Status.SENT, 2, None, "")
    assert message.provider_id == "gw-1"
    assert gateway.sent == [(PHONE, "【一网】您的账号已恢复正常使用，欢迎登录一网政务服务平台。")]


def test_a_rejection_fails_at_once(message, gateway):
    gateway.fail(1, DeliveryRejected, "短信网关拒绝：HTTP 400 号码无效")
    assert delivery.deliver(message.pk, now=message.next_attempt_at) == delivery.Outcome("failed")
    assert state(message) == (Status.FAILED, 1, None, "短信网关拒绝：HTTP 400 号码无效")


def test_an_unexpected_backend_error_is_retried(message, gateway):
    gateway.fail(1, KeyError, "boom")
    t1 = message.next_attempt_at
    assert delivery.deliver(message.pk, now=t1) == delivery.Outcome(
        "retry", t1 + timedelta(seconds=30)
    )
    assert state(message) == (Status.PENDING, 1, t1 + timedelta(seconds=30), "KeyError: 'boom'")


def test_a_sent_message_is_not_sent_again(message, gateway):
    t1 = message.next_attempt_at
    assert delivery.deliver(message.pk, now=t1) == delivery.Outcome("sent")
    assert delivery.deliver(message.pk, now=t1 + timedelta(days=1)) == delivery.Outcome("skipped")
    assert len(gateway.sent) == 1


def test_a_claimed_message_whose_worker_died_is_sent_after_the_lease(message, gateway):
    t1 = message.next_attempt_at
    assert delivery._claim(message.pk, t1) is True  # … and the worker dies here
    assert state(message) == (Status.PENDING, 1, t1 + delivery.lease(), "")
    assert delivery.deliver(message.pk, now=t1 + timedelta(seconds=1)) == delivery.Outcome(
        "skipped"
    )
    assert delivery.deliver(message.pk, now=t1 + delivery.lease()) == delivery.Outcome("sent")
    assert state(message) == (Status.SENT, 2, None, "")


def test_a_message_claimed_after_its_last_attempt_died_fails_unsent(message, gateway, settings):
    t1 = message.next_attempt_at
    Message.objects.filter(pk=message.pk).update(attempts=settings.SMS_MAX_ATTEMPTS)
    assert delivery.deliver(message.pk, now=t1) == delivery.Outcome("failed")
    assert state(message) == (Status.FAILED, 4, None, "超过最大尝试次数")
    assert gateway.sent == []


def test_a_site_message_is_never_delivered(user, gateway):
    site = services.notify_user(user, "site/account_enabled", {})
    assert delivery.deliver(site.pk) == delivery.Outcome("skipped")
    assert gateway.sent == []


def test_an_unknown_message_is_skipped(db, gateway):
    assert delivery.deliver(999_999) == delivery.Outcome("skipped")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_deliveries_send_once(gateway, monkeypatch):
    monkeypatch.setattr(services, "enqueue_delivery", lambda message_id: None)
    message = services.send_sms(PHONE, "sms/account_enabled", {})
    start = threading.Barrier(2)
    sending = threading.Event()
    # The first sender waits inside the gateway until the other worker has tried its claim.
    gateway.before_send = lambda: sending.set() or release.wait(10)
    release = threading.Event()
    outcomes: list[str] = []

    def worker():
        try:
            start.wait(10)
            outcomes.append(delivery.deliver(message.pk).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    assert sending.wait(10)
    # the loser finishes while the winner is still "sending"
    for _ in range(100):
        if outcomes:
            break
        threading.Event().wait(0.05)
    assert outcomes == ["skipped"]
    release.set()
    for thread in threads:
        thread.join(10)
    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(gateway.sent) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
