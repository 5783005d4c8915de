"""Case notices go through the outbox: written with the action, sent by the worker once, also
after the worker was stopped for a while (issue 5, "Bad input and faults")."""

from __future__ import annotations

import datetime
import signal

import pytest
from django.core.management import call_command
from django.utils import timezone

from yiwang.cases import services
from yiwang.cases.tests.helpers import pdf_bytes
from yiwang.notifications.models import Channel, Message, Status
from yiwang.notifications.tests.conftest import DATABASE, RecordingGateway


@pytest.fixture
def gateway(monkeypatch):
    from yiwang.notifications import delivery

    recorder = RecordingGateway()
    monkeypatch.setattr(delivery, "get_backend", lambda: recorder)
    return recorder


@pytest.fixture
def keep_signal_handlers():
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


def _worker():
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity", "0")


@pytest.mark.django_db(transaction=True)
def test_notices_wait_for_a_stopped_worker_and_are_sent_once(
    world, settings, gateway, keep_signal_handlers
):
    settings.TASKS = DATABASE  # the queue is the database; nothing runs until a worker does
    case = services.start_application(world.citizen, world.check_item)
    services.save_draft(
        case.pk,
        world.citizen,
        form={**case.form, "reason": "开办药店"},
        handling_item_id=case.version.handling_items.get().pk,
    )
    for material in case.version.materials.all():
        services.attach_material(
            case.pk, world.citizen, material_id=material.pk, upload=pdf_bytes(), file_name="a.pdf"
        )
    services.submit(case.pk, world.citizen)
    services.accept(case.pk, world.clerk)

    sms = Message.objects.get(channel=Channel.SMS, template="sms/case_accepted")
    assert sms.status == Status.PENDING and gateway.sent == []
    site = Message.objects.get(channel=Channel.SITE, template="site/case_accepted")
    assert site.recipient == world.citizen  # the in-site message is there at once

    # minutes pass with the worker stopped: the queued task is still there, and the sweep a
    # starting worker runs re-queues the due message as well — it must still go out once
    Message.objects.filter(pk=sms.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    _worker()
    _worker()
    sms.refresh_from_db()
    assert sms.status == Status.SENT
    case.refresh_from_db()
    assert gateway.sent == [
        (
            world.citizen.phone,
            f"【一网】您申请的“{case.version.name}”已受理，办件编号{case.number}，"
            "可登录一网政务服务平台查询办理进度。",
        )
    ]
