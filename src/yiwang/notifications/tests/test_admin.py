"""The outbox admin: read only, numbers masked, secrets hidden, failed SMS resent."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from yiwang.accounts.tests.staff_helpers import sign_in_staff
from yiwang.core.models import AuditEvent
from yiwang.notifications import services
from yiwang.notifications.models import Message, Status

PHONE = "13812345678"


def make_messages(monkeypatch):
    monkeypatch.setattr(services, "enqueue_delivery", lambda message_id: None)
    code = services.send_sms(PHONE, "sms/verification_code", {"code": "381204"})
    notice = services.send_sms(PHONE, "sms/account_disabled", {"reason": "冒用他人身份"})
    Message.objects.filter(pk=notice.pk).update(
        status=Status.FAILED, attempts=3, last_error="HTTP 400"
    )
    monkeypatch.undo()
    return code, notice


def test_changelist_masks_numbers_and_filters_by_status(admin_client, monkeypatch):
    code, notice = make_messages(monkeypatch)
    url = reverse("admin:notifications_message_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('<td class="field-masked_phone">138****5678</td>') == 2
    assert PHONE not in content
    assert [m.pk for m in response.context["cl"].result_list] == [notice.pk, code.pk]

    response = admin_client.get(url, {"status__exact": "failed"})
    assert [m.pk for m in response.context["cl"].result_list] == [notice.pk]


def test_change_page_is_read_only_and_hides_codes(admin_client, monkeypatch):
    code, notice = make_messages(monkeypatch)
    response = admin_client.get(reverse("admin:notifications_message_change", args=[code.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "381204" not in content
    assert "（含验证码或密码，不予显示）" in content
    assert PHONE not in content
    assert 'name="_save"' not in content  # read only: nothing to save

    response = admin_client.get(reverse("admin:notifications_message_change", args=[notice.pk]))
    assert "冒用他人身份" in response.content.decode()
    assert admin_client.get(reverse("admin:notifications_message_add")).status_code == 403


def test_resend_action(admin_client, monkeypatch, gateway, django_capture_on_commit_callbacks):
    code, notice = make_messages(monkeypatch)
    monkeypatch.setattr("yiwang.notifications.delivery.get_backend", lambda: gateway)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:notifications_message_changelist"),
            {"action": "resend", "_selected_action": [code.pk, notice.pk]},
            follow=True,
        )
    assert [str(m) for m in response.context["messages"]] == [
        "已重新发送 1 条短信。另有 1 条不是发送失败的短信，未处理。"
    ]
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (Status.SENT, 1)
    assert gateway.sent == [
        (PHONE, "【一网】您的账号已被停用，原因：冒用他人身份。如有疑问请拨打12345政务服务热线。")
    ]
    assert AuditEvent.objects.filter(action="notifications.message.resend").count() == 1


def test_resend_needs_the_change_permission(db, client, monkeypatch):
    _code, notice = make_messages(monkeypatch)
    viewer = get_user_model().objects.create_user("viewer", "x-Secret-123", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_message"))
    sign_in_staff(client, viewer)  # the admin takes sessions the back office verified
    url = reverse("admin:notifications_message_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["action_form"] is None  # resend is the only action; not offered
    response = client.post(url, {"action": "resend", "_selected_action": [notice.pk]})
    assert Message.objects.get(pk=notice.pk).status == Status.FAILED
