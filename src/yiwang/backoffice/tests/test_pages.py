"""Back-office pages: sign-in with TOTP, default deny, and no page shows another organisation's
persons or accounts."""

import pyotp
import pytest
from django.test import Client

from yiwang.accounts.models import User
from yiwang.accounts.services import account_admin
from yiwang.accounts.services.staff_auth import STAFF_VERIFIED_SESSION_KEY
from yiwang.accounts.tests.staff_helpers import (  # noqa: F401
    STAFF_PASSWORD,
    enrol,
    person,
    sign_in_staff,
    staff,
    world_fixture,
)
from yiwang.core.models import AuditEvent
from yiwang.notifications.testing import sms_codes

pytestmark = pytest.mark.django_db


def test_sign_in_enrols_totp_on_first_use_then_asks_for_the_code(world, client):
    clerk = world.haishu.clerk
    response = client.post(
        "/backoffice/login/", {"username": clerk.username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/login/enrol/")
    page = client.get("/backoffice/login/enrol/")
    assert page.status_code == 200
    assert "首次登录：绑定动态口令" in page.content.decode()
    assert client.get("/backoffice/").status_code == 302  # not signed in yet
    secret = User.objects.get(pk=clerk.pk).totp_secret
    done = client.post("/backoffice/login/enrol/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    assert client.session[STAFF_VERIFIED_SESSION_KEY] == clerk.pk
    home = client.get("/backoffice/")
    assert home.status_code == 200
    text = home.content.decode()
    assert "陈窗口" in text
    assert "窗口受理员" in text
    assert world.haishu.organization.name in text
    assert "窗口注册" in text
    assert "账号管理" not in text  # the menu shows what the roles allow


def test_sign_in_with_an_enrolled_totp(world, client):
    totp = enrol(world.haishu.admin)
    client.post("/backoffice/login/", {"username": "haishu-admin", "password": STAFF_PASSWORD})
    wrong = client.post("/backoffice/login/totp/", {"code": "12345"})
    assert wrong.status_code == 400
    assert "请输入 6 位数字动态口令" in wrong.content.decode()
    assert client.post("/backoffice/login/totp/", {"code": totp.now()}).status_code == 302
    assert client.get("/backoffice/accounts/").status_code == 200


def test_wrong_password_keeps_the_username(world, client):
    response = client.post("/backoffice/login/", {"username": "haishu-clerk", "password": "x"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "账号或密码错误" in text
    assert 'value="haishu-clerk"' in text


def test_a_citizen_session_is_sent_to_the_staff_sign_in(world, client):
    client.force_login(person(1))
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/login/")


def test_staff_without_any_role_gets_the_chinese_403(db, client):
    nobody = staff("nobody", "无角色")
    response = sign_in_staff(client, nobody).get("/backoffice/")
    assert response.status_code == 403
    assert "您的账号尚未分配任何角色" in response.content.decode()


ROLE_PAGES = [
    ("/backoffice/window/register/", "clerk", 200),
    ("/backoffice/window/register/", "auditor", 403),
    ("/backoffice/persons/", "clerk", 200),
    ("/backoffice/persons/", "auditor", 403),
    ("/backoffice/accounts/", "admin", 200),
    ("/backoffice/accounts/", "clerk", 403),
    ("/backoffice/accounts/new/", "admin", 200),
    ("/backoffice/accounts/new/", "security", 403),
    ("/backoffice/unban-requests/", "security", 200),
    ("/backoffice/unban-requests/", "clerk", 403),
    ("/backoffice/audit/", "auditor", 200),
    ("/backoffice/audit/", "platform", 403),
]


@pytest.mark.parametrize(("url", "who", "status"), ROLE_PAGES)
def test_pages_are_default_deny(world, client, url, who, status):
    users = {
        "clerk": world.haishu.clerk,
        "admin": world.haishu.admin,
        "auditor": world.auditor,
        "security": world.security_admin,
        "platform": world.platform_admin,
    }
    response = sign_in_staff(client, users[who]).get(url)
    assert response.status_code == status
    if status == 403:
        assert "无权访问" in response.content.decode()


def test_person_lookup_page_across_organisations_shows_nothing(world, client):
    citizen = person(1, world.haishu.organization)
    response = sign_in_staff(client, world.yuyao.clerk).get(
        "/backoffice/persons/", {"id_number": citizen.id_number}
    )
    assert response.status_code == 404
    text = response.content.decode()
    assert "未找到该用户，或该用户不在本机构的服务范围内" in text
    assert citizen.masked_phone not in text


def test_person_lookup_and_unmask_page(world, client):
    citizen = person(1, world.haishu.organization)
    clerk = sign_in_staff(client, world.haishu.clerk)
    found = clerk.get("/backoffice/persons/", {"id_number": citizen.id_number})
    text = found.content.decode()
    assert citizen.masked_id_number in text
    assert citizen.masked_phone in text
    assert citizen.phone not in text
    shown = clerk.post(
        "/backoffice/persons/",
        {"id_number": citizen.id_number, "field": "phone", "reason": "电话回访办理结果"},
    )
    assert shown.status_code == 200
    assert citizen.phone in shown.content.decode()
    assert AuditEvent.objects.filter(action="person.unmask").count() == 1


def test_account_pages_across_organisations_are_404(world, client):
    theirs = person(2, world.yuyao.organization)
    admin = sign_in_staff(client, world.haishu.admin)
    listing = admin.get("/backoffice/accounts/").content.decode()
    assert theirs.masked_id_number not in listing
    assert "余窗口" not in listing
    assert admin.get(f"/backoffice/accounts/{theirs.uid}/").status_code == 404
    assert admin.get(f"/backoffice/accounts/{world.yuyao.clerk.uid}/").status_code == 404
    response = admin.post(f"/backoffice/accounts/{theirs.uid}/disable/", {"reason": "越权停用"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active is True
    assert (
        admin.post(f"/backoffice/accounts/{theirs.uid}/unban/", {"reason": "越权"}).status_code
        == 404
    )


def test_disable_and_two_person_unban_through_the_pages(world, client):
    citizen = person(1, world.haishu.organization)
    admin = sign_in_staff(client, world.haishu.admin)
    admin.post(f"/backoffice/accounts/{citizen.uid}/disable/", {"reason": "冒用他人身份"})
    admin.post(f"/backoffice/accounts/{citizen.uid}/unban/", {"reason": "核实为本人"})
    assert "没有待审批的解封申请" in admin.get("/backoffice/unban-requests/").content.decode()
    security = sign_in_staff(Client(), world.security_admin)
    page = security.get("/backoffice/unban-requests/").content.decode()
    assert "核实为本人" in page
    request_id = account_admin.pending_unban_requests(world.security_admin)[0].pk
    response = security.post(
        "/backoffice/unban-requests/", {"request": request_id, "decision": "approve"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.is_active is True


def test_window_registration_page_keeps_typed_data_and_registers(world, client):
    clerk = sign_in_staff(client, world.haishu.clerk)
    post = f"{world.haishu.organization.pk}:{world.haishu.window.pk}"
    data = {"post": post, "name": "赵六", "id_number": "330203199001011230", "phone": "13655550002"}
    refused = clerk.post("/backoffice/window/register/", {**data, "id_card_checked": "1"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "校验码错误" in text
    assert 'value="赵六"' in text
    assert 'value="13655550002"' in text
    from yiwang.core.identifiers import generate_person_id

    data["id_number"] = generate_person_id(region="330203")
    unchecked = clerk.post("/backoffice/window/register/", data)
    assert "请先核验申请人的身份证原件" in unchecked.content.decode()
    sent = clerk.post("/backoffice/window/register/", {**data, "id_card_checked": "1"})
    assert "验证码已发送至136****0002" in sent.content.decode()
    code = sms_codes("13655550002")[-1]
    done = clerk.post(
        "/backoffice/window/register/",
        {**data, "id_card_checked": "1", "sms_code": code, "action": "complete"},
    )
    assert done.status_code == 302
    assert User.objects.by_id_number(data["id_number"]).get().registration_channel == "window"
    again = clerk.post("/backoffice/window/register/", {**data, "id_card_checked": "1"})
    assert "该身份证号已注册" in again.content.decode()


def test_audit_page_filters(world, client):
    account_admin.disable_account(world.haishu.admin, world.haishu.clerk, reason="违规操作")
    page = sign_in_staff(client, world.auditor).get(
        "/backoffice/audit/", {"action": "account.disable"}
    )
    text = page.content.decode()
    assert "account.disable" in text
    assert "account.role_grant" not in text


def test_new_staff_must_change_the_initial_password(world, client):
    user = staff("fresh", "新人", ("window_clerk", world.haishu.organization))
    user.must_change_password = True
    user.save()
    fresh = sign_in_staff(client, user)
    assert fresh.get("/backoffice/")["Location"] == "/backoffice/password/"
    response = fresh.post(
        "/backoffice/password/",
        {
            "old_password": STAFF_PASSWORD,
            "new_password1": "Another-Pass-2026",
            "new_password2": "Another-Pass-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False
    assert fresh.get("/backoffice/").status_code == 200


def test_wrong_old_password_is_refused_by_the_service_and_audited_nothing(world, client):
    from yiwang.core.models import AuditEvent

    user = staff("fresh2", "新人", ("window_clerk", world.haishu.organization))
    fresh = sign_in_staff(client, user)
    before = AuditEvent.objects.filter(action="account.password_change").count()
    response = fresh.post(
        "/backoffice/password/",
        {
            "old_password": "not-it",
            "new_password1": "Another-Pass-2026",
            "new_password2": "Another-Pass-2026",
        },
    )
    assert response.status_code == 400
    assert "原密码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(action="account.password_change").count() == before
    mismatch = fresh.post(
        "/backoffice/password/",
        {
            "old_password": STAFF_PASSWORD,
            "new_password1": "Another-Pass-2026",
            "new_password2": "Another-Pass-2027",
        },
    )
    assert mismatch.status_code == 400
    assert "两次输入的新密码不一致" in mismatch.content.decode()
