"""/api/v1/staff/…: staff sessions only, object-level checks, no data of another organisation,
and no full ID number anywhere but the audited unmask answer."""

import json
import logging

import pytest

from yiwang.accounts.models import UnbanRequest
from yiwang.accounts.services import account_admin
from yiwang.accounts.tests.staff_helpers import person, sign_in_staff, world_fixture  # noqa: F401
from yiwang.core.models import AuditEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/staff"


def as_staff(client, user):
    return sign_in_staff(client, user)


def post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_anonymous_and_half_signed_in_staff_get_401(world, client):
    citizen = person(1, world.haishu.organization)
    assert client.get(f"{API}/persons", {"id_number": citizen.id_number}).status_code == 401
    client.force_login(world.haishu.clerk)  # password only: no TOTP step in this session
    response = client.get(f"{API}/persons", {"id_number": citizen.id_number})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_citizen_session_gets_401(world, client):
    citizen = person(1, world.haishu.organization)
    client.force_login(citizen)
    assert client.get(f"{API}/accounts").status_code == 401


def test_person_lookup_is_masked(world, client):
    citizen = person(1, world.haishu.organization)
    response = as_staff(client, world.haishu.clerk).get(
        f"{API}/persons", {"id_number": citizen.id_number}
    )
    assert response.status_code == 200
    assert response.json() == {
        "uid": str(citizen.uid),
        "name": "李*",
        "id_number": citizen.masked_id_number,
        "phone": citizen.masked_phone,
        "registration_channel": "online",
        "is_active": True,
    }


def test_person_lookup_across_organisations_is_404(world, client):
    citizen = person(1, world.haishu.organization)
    response = as_staff(client, world.yuyao.clerk).get(
        f"{API}/persons", {"id_number": citizen.id_number}
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到该用户，或该用户不在本机构的服务范围内"
    assert citizen.masked_phone not in response.content.decode()


def test_person_lookup_without_a_window_role_is_403(world, client):
    citizen = person(1, world.haishu.organization)
    response = as_staff(client, world.auditor).get(
        f"{API}/persons", {"id_number": citizen.id_number}
    )
    assert response.status_code == 403


def test_invalid_id_number_is_400_with_the_validator_message(world, client):
    response = as_staff(client, world.haishu.clerk).get(
        f"{API}/persons", {"id_number": "330203199001011230"}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("校验码错误")


def test_unmask_returns_the_value_and_audits(world, client):
    citizen = person(1, world.haishu.organization)
    response = post(
        as_staff(client, world.haishu.clerk),
        f"{API}/persons/{citizen.uid}/unmask",
        {"field": "id_number", "reason": "核对纸质申请表"},
    )
    assert response.status_code == 200
    assert response.json() == {"field": "id_number", "value": citizen.id_number}
    assert AuditEvent.objects.filter(action="person.unmask", object_id=str(citizen.pk)).count() == 1


def test_unmask_across_organisations_is_404_and_without_reason_400(world, client):
    citizen = person(1, world.haishu.organization)
    other = post(
        as_staff(client, world.yuyao.admin),
        f"{API}/persons/{citizen.uid}/unmask",
        {"field": "phone", "reason": "核对联系方式"},
    )
    assert other.status_code == 404
    assert citizen.phone not in other.content.decode()
    no_reason = post(
        as_staff(client, world.haishu.admin),
        f"{API}/persons/{citizen.uid}/unmask",
        {"field": "phone", "reason": ""},
    )
    assert no_reason.status_code == 400
    assert AuditEvent.objects.filter(action="person.unmask").count() == 0


def test_accounts_list_shows_only_my_organisation_masked(world, client):
    mine = person(1, world.haishu.organization)
    theirs = person(2, world.yuyao.organization)
    response = as_staff(client, world.haishu.admin).get(f"{API}/accounts", {"kind": "person"})
    assert response.status_code == 200
    assert [a["uid"] for a in response.json()] == [str(mine.uid)]
    body = response.content.decode()
    assert mine.id_number not in body
    assert theirs.masked_id_number not in body
    staff_uids = {a["uid"] for a in client.get(f"{API}/accounts", {"kind": "staff"}).json()}
    assert staff_uids == {str(world.haishu.clerk.uid), str(world.haishu.admin.uid)}


def test_accounts_list_is_403_for_a_clerk(world, client):
    assert as_staff(client, world.haishu.clerk).get(f"{API}/accounts").status_code == 403


def test_disable_across_organisations_is_404_and_changes_nothing(world, client):
    theirs = person(2, world.yuyao.organization)
    response = post(
        as_staff(client, world.haishu.admin),
        f"{API}/accounts/{theirs.uid}/disable",
        {"reason": "越权停用"},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active is True


def test_disable_request_and_approve_unban_through_the_api(world, client):
    citizen = person(1, world.haishu.organization)
    admin = as_staff(client, world.haishu.admin)
    disabled = post(admin, f"{API}/accounts/{citizen.uid}/disable", {"reason": "冒用他人身份"})
    assert disabled.status_code == 200
    assert disabled.json()["is_active"] is False
    assert disabled.json()["disabled_reason"] == "冒用他人身份"
    requested = post(admin, f"{API}/accounts/{citizen.uid}/unban-requests", {"reason": "本人"})
    assert requested.status_code == 201
    request_id = requested.json()["id"]
    own = post(admin, f"{API}/unban-requests/{request_id}/approve")
    assert own.status_code == 403
    assert own.json()["detail"] == "解封须由另一名管理员审批，申请人不能审批自己的申请"

    from django.test import Client

    other_county = as_staff(Client(), world.yuyao.admin)
    assert post(other_county, f"{API}/unban-requests/{request_id}/approve").status_code == 404
    assert other_county.get(f"{API}/unban-requests").json() == []

    security = as_staff(Client(), world.security_admin)
    assert [r["id"] for r in security.get(f"{API}/unban-requests").json()] == [request_id]
    approved = post(security, f"{API}/unban-requests/{request_id}/approve")
    assert approved.status_code == 200
    assert approved.json()["is_active"] is True
    assert UnbanRequest.objects.get().status == "approved"


def test_reject_unban_across_organisations_is_404(world, client):
    citizen = person(1, world.haishu.organization)
    account_admin.disable_account(world.haishu.admin, citizen, reason="冒用他人身份")
    request = account_admin.request_unban(world.haishu.admin, citizen, reason="本人")
    response = post(
        as_staff(client, world.yuyao.admin),
        f"{API}/unban-requests/{request.pk}/reject",
        {"reason": "未能核实"},
    )
    assert response.status_code == 404


def test_reject_unban_needs_a_reason(world, client):
    citizen = person(1, world.haishu.organization)
    account_admin.disable_account(world.haishu.admin, citizen, reason="冒用他人身份")
    request = account_admin.request_unban(world.haishu.admin, citizen, reason="本人")
    security = as_staff(client, world.security_admin)
    url = f"{API}/unban-requests/{request.pk}/reject"
    blank = post(security, url, {"reason": "  "})
    assert (blank.status_code, blank.json()["errors"]) == (
        400,
        [{"field": "reason", "message": "请填写驳回理由"}],
    )
    assert post(security, url).status_code == 422  # no reason at all
    done = post(security, url, {"reason": "未提供身份证明"})
    assert (done.status_code, done.json()["status"]) == (200, "rejected")
    event = AuditEvent.objects.filter(action="account.unban_reject").get()
    assert event.after == {"unban_request": request.pk, "reason": "未提供身份证明"}


def test_no_full_id_number_in_any_response_or_log_line_except_unmask(world, client, caplog):
    """Scan every API answer and every log record of the staff flows for the full ID number."""
    citizen = person(1, world.haishu.organization)
    caplog.set_level(logging.DEBUG)
    admin = as_staff(client, world.haishu.admin)
    bodies = [
        admin.get(f"{API}/persons", {"id_number": citizen.id_number}),
        admin.get(f"{API}/accounts"),
        admin.get(f"{API}/accounts", {"kind": "person"}),
        post(admin, f"{API}/accounts/{citizen.uid}/disable", {"reason": "冒用他人身份"}),
        post(admin, f"{API}/accounts/{citizen.uid}/unban-requests", {"reason": "本人"}),
        admin.get(f"{API}/unban-requests"),
    ]
    from django.test import Client

    security = as_staff(Client(), world.security_admin)
    bodies.append(security.get(f"{API}/unban-requests"))
    request_id = UnbanRequest.objects.get().pk
    bodies.append(post(security, f"{API}/unban-requests/{request_id}/approve"))
    bodies.append(
        as_staff(Client(), world.yuyao.clerk).get(
            f"{API}/persons", {"id_number": citizen.id_number}
        )
    )
    unmasked = post(
        admin,
        f"{API}/persons/{citizen.uid}/unmask",
        {"field": "id_number", "reason": "核对纸质申请表"},
    )
    assert [r.status_code for r in bodies] == [200, 200, 200, 200, 201, 200, 200, 200, 404]
    for response in bodies:
        assert citizen.id_number not in response.content.decode()
        assert citizen.phone not in response.content.decode()
    assert citizen.id_number in unmasked.content.decode()  # the one audited exception
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert citizen.id_number not in logged
    for event in AuditEvent.objects.all():
        assert citizen.id_number not in json.dumps([event.before, event.after], ensure_ascii=False)
