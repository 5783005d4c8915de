"""Account pages: disabling and unbanning keep a refused reason; unban decisions are explicit."""

import pytest
from django.test import Client

from yiwang.accounts.models import UnbanRequest
from yiwang.accounts.services import account_admin
from yiwang.accounts.tests.staff_helpers import (  # noqa: F401
    person,
    sign_in_staff,
    world_fixture,
)
from yiwang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(world):
    """A disabled citizen of 海曙 with an unban request by its 部门管理员, and the 安全管理员's
    signed-in client that decides it."""
    citizen = person(1, world.haishu.organization)
    account_admin.disable_account(world.haishu.admin, citizen, reason="冒用他人身份")
    request = account_admin.request_unban(world.haishu.admin, citizen, reason="核实为本人")
    return request, sign_in_staff(Client(), world.security_admin)


def test_an_unban_post_without_a_decision_decides_nothing(pending):
    request, security = pending
    for data in ({"request": request.pk}, {"request": request.pk, "decision": "maybe"}):
        response = security.post("/backoffice/unban-requests/", data)
        assert response.status_code == 400
        assert "请选择“批准”或“驳回”" in response.content.decode()
    request.refresh_from_db()
    assert request.status == UnbanRequest.Status.PENDING
    assert AuditEvent.objects.filter(action__startswith="account.unban_").count() == 1


def test_a_rejection_needs_a_reason_and_records_it(pending):
    request, security = pending
    empty = security.post(
        "/backoffice/unban-requests/", {"request": request.pk, "decision": "reject", "reason": " "}
    )
    assert empty.status_code == 400
    assert "请填写驳回理由" in empty.content.decode()
    request.refresh_from_db()
    assert request.status == UnbanRequest.Status.PENDING

    done = security.post(
        "/backoffice/unban-requests/",
        {"request": request.pk, "decision": "reject", "reason": "未提供本人身份证明"},
    )
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == UnbanRequest.Status.REJECTED
    event = AuditEvent.objects.get(action="account.unban_reject")
    assert event.after == {"unban_request": request.pk, "reason": "未提供本人身份证明"}
    request.user.refresh_from_db()
    assert request.user.is_active is False


def test_the_unban_page_has_a_reject_reason_field_in_its_own_form(pending):
    request, security = pending
    text = security.get("/backoffice/unban-requests/").content.decode()
    assert f'<label for="reject-reason-{request.pk}">驳回理由</label>' in text
    # approve and reject are two forms: Enter in the reason field can never approve
    assert text.count(f'name="request" value="{request.pk}"') == 2


def test_a_refused_disable_reason_is_shown_with_the_typed_text(world, client):
    citizen = person(1, world.haishu.organization)
    admin = sign_in_staff(client, world.haishu.admin)
    too_long = "因" * 61
    response = admin.post(f"/backoffice/accounts/{citizen.uid}/disable/", {"reason": too_long})
    assert response.status_code == 400
    text = response.content.decode()
    assert "停用原因不超过 60 个字（将以短信告知用户）" in text
    assert f'value="{too_long}"' in text
    assert 'aria-describedby="disable-error"' in text
    citizen.refresh_from_db()
    assert citizen.is_active is True
    empty = admin.post(f"/backoffice/accounts/{citizen.uid}/disable/", {"reason": ""})
    assert empty.status_code == 400
    assert "请填写停用原因" in empty.content.decode()


def test_a_refused_unban_reason_is_shown_on_the_page(world, client):
    citizen = person(1, world.haishu.organization)
    account_admin.disable_account(world.haishu.admin, citizen, reason="冒用他人身份")
    admin = sign_in_staff(client, world.haishu.admin)
    response = admin.post(f"/backoffice/accounts/{citizen.uid}/unban/", {"reason": "  "})
    assert response.status_code == 400
    text = response.content.decode()
    assert "请填写解封理由" in text
    assert 'aria-describedby="unban-error"' in text
    assert UnbanRequest.objects.count() == 0


def test_an_unban_of_an_active_account_redirects_with_the_message(world, client):
    citizen = person(1, world.haishu.organization)
    admin = sign_in_staff(client, world.haishu.admin)
    response = admin.post(
        f"/backoffice/accounts/{citizen.uid}/unban/", {"reason": "核实为本人"}, follow=True
    )
    assert response.redirect_chain == [(f"/backoffice/accounts/{citizen.uid}/", 302)]
    assert "该账号未被停用" in response.content.decode()
