"""``yiwang worker`` runs queued deliveries; ``yiwang notifications retry`` sweeps the outbox."""

import signal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from yiwang.notifications import services
from yiwang.notifications.models import Message, Status

from .conftest import DATABASE

PHONE = "13812345678"
TEXT = "【一网】您的验证码为381204，5分钟内有效，请勿告诉他人。"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE


@pytest.fixture
def keep_signal_handlers():
    # The worker installs SIGINT/SIGTERM handlers for a graceful stop; the test run keeps its own.
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


def run_worker() -> str:
    out = StringIO()
    call_command(
        "worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--worker-id",
        "test-worker",
        "--verbosity",
        "0",
        stdout=out,
    )
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_a_queued_sms(database_tasks, gateway, keep_signal_handlers):
    with transaction.atomic():
        message = services.send_sms(PHONE, "sms/verification_code", {"code": "381204"})
    # queued in the database, not sent
    [job] = DBTaskResult.objects.all()
    assert (job.task_path, job.args_kwargs, job.status) == (
        "yiwang.notifications.tasks.deliver_sms",
        {"args": [message.pk], "kwargs": {}},
        "READY",
    )
    assert gateway.sent == []

    run_worker()

    assert gateway.sent == [(PHONE, TEXT)]
    job.refresh_from_db()
    assert (job.status, job.return_value) == ("SUCCESSFUL", "sent")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_worker_schedules_a_retry_at_the_backoff_time(
    database_tasks, gateway, keep_signal_handlers
):
    gateway.fail(1)
    with transaction.atomic():
        message = services.send_sms(PHONE, "sms/verification_code", {"code": "381204"})
    run_worker()  # one failed attempt; the retry is not due yet, so --batch ends

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert (first.status, first.return_value) == ("SUCCESSFUL", "retry")
    assert (retry.status, retry.run_after, retry.args_kwargs) == (
        "READY",
        message.next_attempt_at,
        {"args": [message.pk], "kwargs": {}},
    )
    assert gateway.sent == []


@pytest.mark.django_db(transaction=True)
def test_worker_requeues_pending_sms_when_it_starts(
    database_tasks, gateway, keep_signal_handlers, monkeypatch
):
    # A message committed, but its delivery never queued (the process died in between).
    monkeypatch.setattr(services, "enqueue_delivery", lambda message_id: None)
    with transaction.atomic():
        message = services.send_sms(PHONE, "sms/verification_code", {"code": "381204"})
    monkeypatch.undo()
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=message.next_attempt_at - services.SWEEP_GRACE
    )
    assert DBTaskResult.objects.count() == 0

    out = StringIO()
    call_command(
        "worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity", "1", stdout=out
    )
    assert out.getvalue().splitlines()[0] == "已重新排队待发送短信 1 条"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Message.objects.get().status == Status.SENT


def test_worker_refuses_a_backend_that_is_not_a_database(db):
    with pytest.raises(CommandError) as error:
        call_command("worker", "--batch", "--no-reload")
    assert "任务后端“default”不是数据库后端，无需 worker（见 TASKS_BACKEND 配置）" in str(
        error.value
    )


def test_worker_help_is_chinese():
    from yiwang.notifications.management.commands.worker import Command

    parser = Command().create_parser("yiwang", "worker")
    text = parser.format_help()
    assert "运行后台任务处理进程" in text
    assert "处理完当前所有任务后退出" in text


def test_notifications_retry_command(db, monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(services, "enqueue_delivery", queued.append)
    message = services.send_sms(PHONE, "sms/account_enabled", {})
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=message.next_attempt_at - services.SWEEP_GRACE
    )
    queued.clear()
    out = StringIO()
    call_command("notifications", "retry", stdout=out)
    assert out.getvalue() == "已重新排队待发送短信 1 条\n"
    assert queued == [message.pk]
