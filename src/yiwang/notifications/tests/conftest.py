"""Fixtures of the notifications tests: tasks run on commit, a gateway that records, a user."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from yiwang.notifications import delivery
from yiwang.notifications.backends import DeliveryError

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _tasks_and_sms(settings):
    # Tasks run in the test's process once the transaction commits; nothing leaves the machine.
    settings.TASKS = IMMEDIATE
    settings.SMS_BACKEND = "outbox"
    settings.SMS_MAX_ATTEMPTS = 3
    settings.SMS_RETRY_SECONDS = 30
    settings.SMS_GATEWAY_TIMEOUT = 10


class RecordingGateway:
    """An SMS backend that records what it sends and fails as told (``fail_with``)."""

    name = "recording"

    def __init__(self):
        self.sent: list[tuple[str, str]] = []
        self.fail_with: list[BaseException] = []
        self.before_send = None

    def send(self, phone: str, text: str) -> str:
        if self.before_send is not None:
            self.before_send()
        if self.fail_with:
            raise self.fail_with.pop(0)
        self.sent.append((phone, text))
        return f"gw-{len(self.sent)}"

    def fail(self, times: int, error: type[BaseException] = DeliveryError, text="网关繁忙"):
        self.fail_with.extend(error(text) for _ in range(times))


@pytest.fixture
def gateway(monkeypatch) -> RecordingGateway:
    recorder = RecordingGateway()
    monkeypatch.setattr(delivery, "get_backend", lambda: recorder)
    return recorder


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("zhangsan", "x-Secret-123")


@pytest.fixture
def other_user(db):
    return get_user_model().objects.create_user("lisi", "x-Secret-123")
