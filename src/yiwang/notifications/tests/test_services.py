"""The outbox's front door: messages follow the caller's transaction, and are sent once."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from yiwang.core.errors import DomainError, NotFound
from yiwang.core.models import AuditEvent
from yiwang.notifications import services, tasks
from yiwang.notifications.models import Channel, Message, Status
from yiwang.notifications.texts import TemplateError

PHONE = "13812345678"
CODE_TEXT = "【一网】您的验证码为381204，5分钟内有效，请勿告诉他人。"


def send_code(phone=PHONE, code="381204"):
    return services.send_sms(phone, "sms/verification_code", {"code": code}, purpose="login")


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """Deliveries queued by the services, recorded instead of run."""
    calls: list[int] = []
    monkeypatch.setattr(services, "enqueue_delivery", calls.append)
    return calls


# --- the transaction decides ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_committed_sms_is_sent_once_after_commit(gateway):
    with transaction.atomic():
        message = send_code()
        assert gateway.sent == []  # nothing leaves before the commit
    assert gateway.sent == [(PHONE, CODE_TEXT)]
    message.refresh_from_db()
    assert (
        message.channel,
        message.status,
        message.attempts,
        message.provider_id,
        message.next_attempt_at,
        message.last_error,
        message.template,
        message.purpose,
        message.title,
        message.text,
    ) == (
        Channel.SMS,
        Status.SENT,
        1,
        "gw-1",
        None,
        "",
        "sms/verification_code",
        "login",
        "验证码",
        CODE_TEXT,
    )
    assert message.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_sends_nothing(gateway):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_code()
        raise RuntimeError("受理失败")
    assert gateway.sent == []
    assert Message.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_drops_only_its_own_message(gateway):
    with transaction.atomic():
        send_code(code="111111")
        with pytest.raises(RuntimeError), transaction.atomic():
            send_code(code="222222")
            raise RuntimeError
    assert gateway.sent == [(PHONE, CODE_TEXT.replace("381204", "111111"))]
    assert Message.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_message_whose_enqueue_failed_is_sent_by_the_sweep(gateway, monkeypatch, caplog):
    def broken_queue(message_id):
        raise ConnectionError("queue unavailable")

    monkeypatch.setattr(services, "enqueue_delivery", broken_queue)
    with transaction.atomic():
        message = send_code()  # the caller's commit still succeeds
    assert gateway.sent == []
    assert Message.objects.get().status == Status.PENDING
    assert "queue unavailable" in caplog.text

    monkeypatch.setattr(services, "enqueue_delivery", tasks.enqueue_delivery)
    # Within the grace period the sweep leaves it to its own task …
    assert services.retry_due() == 0
    # … afterwards it queues it, and it is sent.
    later = message.next_attempt_at + services.SWEEP_GRACE
    assert services.retry_due(now=later) == 1
    assert gateway.sent == [(PHONE, CODE_TEXT)]
    assert Message.objects.get().status == Status.SENT
    assert services.retry_due(now=later) == 0


# --- send_sms -------------------------------------------------------------------------------


def test_send_sms_writes_a_pending_message_and_queues_it_on_commit(
    db, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = send_code(phone=" 13812345678 ")
        assert enqueued == []
    assert enqueued == [message.pk]
    message.refresh_from_db()
    assert (message.phone, message.status, message.attempts, message.recipient_id) == (
        PHONE,
        Status.PENDING,
        0,
        None,
    )
    assert message.next_attempt_at == message.created_at


def test_phone_and_text_are_encrypted_at_rest(db, enqueued):
    message = send_code()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, phone_index, text FROM notifications_message WHERE id = %s",
            [message.pk],
        )
        phone, phone_index, text = cursor.fetchone()
    assert PHONE not in phone
    assert "381204" not in text
    assert len(phone_index) == 64
    assert PHONE not in phone_index


@pytest.mark.parametrize("phone", ["", "   ", "138-1234-5678", "abc", "1234"])
def test_malformed_phone_is_refused(db, enqueued, phone):
    with pytest.raises(DomainError) as error:
        send_code(phone=phone)
    assert (error.value.message, error.value.field) == ("手机号码格式不正确", "phone")
    assert Message.objects.count() == 0
    assert enqueued == []


def test_template_errors_surface_at_send_time(db, enqueued):
    with pytest.raises(TemplateError) as error:
        services.send_sms(PHONE, "sms/initial_password", {"username": "zhangsan"})
    assert str(error.value) == "template 'sms/initial_password': missing ['password']"
    with pytest.raises(TemplateError):
        services.send_sms(PHONE, "site/case_accepted", {"item": "x", "case_number": "1"})
    assert Message.objects.count() == 0


# --- site messages --------------------------------------------------------------------------


def test_notify_user_writes_a_delivered_site_message(user, enqueued):
    message = services.notify_user(
        user, "site/case_accepted", {"item": "食品经营许可", "case_number": "3302032025000001"}
    )
    message.refresh_from_db()
    assert (
        message.channel,
        message.recipient_id,
        message.phone,
        message.status,
        message.title,
        message.text,
        message.read_at,
    ) == (
        Channel.SITE,
        user.pk,
        "",
        Status.SENT,
        "办件受理通知",
        "您申请的“食品经营许可”已受理，办件编号3302032025000001。您可以在“我的办件”中查看办理进度。",
        None,
    )
    assert message.sent_at == message.created_at
    assert enqueued == []  # nothing to deliver


def test_notify_user_refuses_an_sms_template(user):
    with pytest.raises(TemplateError) as error:
        services.notify_user(user, "sms/account_enabled", {})
    assert str(error.value) == "template 'sms/account_enabled' is not a site template"


def test_only_the_owner_can_mark_a_message_read(user, other_user):
    message = services.notify_user(user, "site/account_enabled", {})
    with pytest.raises(NotFound) as error:
        services.mark_read(other_user, message.pk)
    assert error.value.message == "消息不存在"
    assert Message.objects.get(pk=message.pk).read_at is None

    first = services.mark_read(user, message.pk)
    assert first.read_at is not None
    again = services.mark_read(user, message.pk)
    assert again.read_at == first.read_at  # the first reading time stays


def test_an_sms_cannot_be_marked_read(user, enqueued):
    sms = send_code()
    with pytest.raises(NotFound):
        services.mark_read(user, sms.pk)


def test_mark_all_read(user, other_user):
    for _ in range(3):
        services.notify_user(user, "site/account_enabled", {})
    theirs = services.notify_user(other_user, "site/account_enabled", {})
    assert services.mark_all_read(user) == 3
    assert services.mark_all_read(user) == 0
    assert Message.objects.get(pk=theirs.pk).read_at is None


# --- resend and sweep -----------------------------------------------------------------------


def test_resend_failed_puts_failed_sms_back_and_audits(
    db, enqueued, django_capture_on_commit_callbacks
):
    failed = send_code()
    sent = send_code(code="000000")
    Message.objects.filter(pk=failed.pk).update(
        status=Status.FAILED, attempts=3, next_attempt_at=None, last_error="HTTP 400"
    )
    Message.objects.filter(pk=sent.pk).update(status=Status.SENT, attempts=1)
    enqueued.clear()

    with django_capture_on_commit_callbacks(execute=True):
        count = services.resend_failed([failed.pk, sent.pk], actor="user:7", actor_label="admin")
    assert count == 1
    assert enqueued == [failed.pk]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (
        Status.PENDING,
        0,
        "HTTP 400",  # kept until the next attempt says otherwise
    )
    assert Message.objects.get(pk=sent.pk).status == Status.SENT
    event = AuditEvent.objects.get(action="notifications.message.resend")
    assert (event.actor, event.object_type, event.object_id, event.before, event.after) == (
        "user:7",
        "notifications.message",
        str(failed.pk),
        {"status": "failed", "attempts": 3},
        {"status": "pending", "attempts": 0},
    )


def test_retry_due_queues_only_due_pending_sms(db, enqueued, user):
    now = timezone.now()
    due = send_code()
    not_yet = send_code(code="222222")
    sent = send_code(code="333333")
    services.notify_user(user, "site/account_enabled", {})
    Message.objects.filter(pk=due.pk).update(next_attempt_at=now - services.SWEEP_GRACE)
    Message.objects.filter(pk=not_yet.pk).update(next_attempt_at=now + services.SWEEP_GRACE)
    Message.objects.filter(pk=sent.pk).update(
        status=Status.SENT, next_attempt_at=now - services.SWEEP_GRACE
    )
    enqueued.clear()
    assert services.retry_due(now=now) == 1
    assert enqueued == [due.pk]
