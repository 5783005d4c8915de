"""/api/v1/me/enterprises, /api/v1/enterprises/…: exact bodies, problem+json refusals."""

import json

import pytest

from yiwang.accounts.constants import ACTING_ENTERPRISE_SESSION_KEY
from yiwang.accounts.models import Enterprise, Grant
from yiwang.accounts.services.enterprises import ENTERPRISE_MISMATCH_MESSAGE

from .enterprise_helpers import days, delegate, enterprise, library_record, person, uscc

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def call(client, method, url, body=None):
    kwargs = {"content_type": "application/json"} if body is not None else {}
    data = json.dumps(body) if body is not None else None
    response = (
        getattr(client, method)(url, data, **kwargs) if data else getattr(client, method)(url)
    )
    content = json.loads(response.content) if response.content else None
    return response.status_code, response["Content-Type"] if content else None, content


@pytest.fixture
def world():
    rep = person("张三", 1)
    manager = person("钱经理", 2)
    handler = person("孙经办", 3)
    company = enterprise(rep)
    level2 = delegate(company, rep, manager, "manager", valid_until=days(30))
    level3 = delegate(company, manager, handler, "handler", valid_until=days(30))
    return {
        "rep": rep,
        "manager": manager,
        "handler": handler,
        "company": company,
        "level2": level2,
        "level3": level3,
    }


def test_signed_out_is_a_401_problem(client):
    status, content_type, body = call(client, "get", "/api/v1/me/enterprises")
    assert (status, content_type, body["detail"]) == (401, PROBLEM, "请先登录")


def test_my_enterprises_names_the_role(client, world):
    client.force_login(world["handler"])
    status, _, body = call(client, "get", "/api/v1/me/enterprises")
    assert status == 200
    assert body == [
        {
            "uscc": world["company"].uscc,
            "name": "宁波海曙示例贸易有限公司",
            "role": "handler",
            "role_display": "经办人",
            "level": 3,
            "can_delegate": False,
            "acting": False,
        }
    ]


def test_register_an_enterprise(client):
    zhao = person("赵六", 7)
    code = uscc(7)
    library_record(code, "宁波测试科技有限公司", zhao)
    client.force_login(zhao)
    payload = {"uscc": code, "name": "宁波测试科技有限公司", "legal_representative_name": "赵六"}

    status, _, body = call(client, "post", "/api/v1/enterprises", payload)

    assert (status, body) == (
        201,
        {
            "uscc": code,
            "name": "宁波测试科技有限公司",
            "entity_type": "有限责任公司（自然人投资或控股）",
            "status": "active",
        },
    )
    status, content_type, body = call(client, "post", "/api/v1/enterprises", payload)
    assert (status, content_type, body["type"]) == (409, PROBLEM, "/api/v1/problems/conflict")


def test_register_mismatch_is_one_generic_400(client):
    zhao = person("赵六", 7)
    client.force_login(zhao)
    payload = {"uscc": uscc(8), "name": "不存在的公司", "legal_representative_name": "赵六"}
    status, content_type, body = call(client, "post", "/api/v1/enterprises", payload)
    assert (status, content_type, body["detail"]) == (400, PROBLEM, ENTERPRISE_MISMATCH_MESSAGE)
    assert "errors" not in body


def test_register_with_a_bad_uscc_names_the_field(client):
    client.force_login(person("赵六", 7))
    payload = {"uscc": "91330203", "name": "某公司", "legal_representative_name": "赵六"}
    status, _, body = call(client, "post", "/api/v1/enterprises", payload)
    assert status == 400
    assert body["errors"] == [{"field": "uscc", "message": "长度错误：应为18位，实为8位"}]


def test_the_representative_sees_the_whole_tree_and_a_manager_their_branch(client, world):
    client.force_login(world["rep"])
    url = f"/api/v1/enterprises/{world['company'].uscc}/grants"
    status, _, body = call(client, "get", url)
    assert status == 200
    assert [(g["id"], g["level"], g["role"], g["in_effect"]) for g in body] == [
        (world["level2"].pk, 2, "manager", True),
        (world["level3"].pk, 3, "handler", True),
    ]
    handler = world["handler"]
    assert body[1]["grantee"] == {
        "name": "孙**",
        "id_number": handler.masked_id_number,
        "phone": "138****0003",
    }
    assert body[1]["grantor"]["name"] == "钱**"
    assert (body[1]["valid_from"], body[1]["valid_until"]) == (
        days(0).isoformat(),
        days(30).isoformat(),
    )

    client.force_login(world["handler"])
    status, _, body = call(client, "get", url)
    assert [g["id"] for g in body] == [world["level3"].pk]


def test_a_stranger_gets_a_404_like_an_unregistered_enterprise(client, world):
    client.force_login(person("周五", 5))
    status, content_type, body = call(
        client, "get", f"/api/v1/enterprises/{world['company'].uscc}/grants"
    )
    assert (status, content_type, body["detail"]) == (
        404,
        PROBLEM,
        "未找到该企业，或您没有该企业的授权",
    )


def test_create_grant_and_the_fourth_level_refusal(client, world):
    other = person("周五", 5)
    client.force_login(world["manager"])
    url = f"/api/v1/enterprises/{world['company'].uscc}/grants"
    payload = {
        "grantee": other.phone,
        "role": "manager",
        "valid_from": days(0).isoformat(),
        "valid_until": days(10).isoformat(),
    }
    status, _, body = call(client, "post", url, payload)
    assert (status, body["level"], body["grantee"]["phone"]) == (201, 3, "138****0005")

    client.force_login(other)
    payload["grantee"] = person("吴六", 6).id_number
    status, content_type, body = call(client, "post", url, payload)
    assert (status, content_type, body["detail"]) == (400, PROBLEM, "授权层级不能超过三级")


def test_a_handler_is_refused_with_a_403(client, world):
    client.force_login(world["handler"])
    url = f"/api/v1/enterprises/{world['company'].uscc}/grants"
    payload = {
        "grantee": person("周五", 5).id_number,
        "role": "handler",
        "valid_from": days(0).isoformat(),
        "valid_until": days(10).isoformat(),
    }
    status, content_type, body = call(client, "post", url, payload)
    assert (status, content_type, body["detail"]) == (
        403,
        PROBLEM,
        "经办人不能再授权他人，不能授权",
    )


def test_revoke_cascades(client, world):
    client.force_login(world["rep"])
    url = f"/api/v1/enterprises/{world['company'].uscc}/grants/{world['level2'].pk}/revoke"
    status, _, body = call(client, "post", url, {"reason": "离职"})
    assert status == 200
    assert [(g["id"], g["status"], g["revoke_reason"]) for g in body] == [
        (world["level2"].pk, "revoked", "离职"),
        (world["level3"].pk, "revoked", "上级授权已撤销：离职"),
    ]
    assert Grant.objects.filter(status="active").count() == 0


def test_switching_the_acting_enterprise(client, world):
    client.force_login(world["handler"])
    uscc_ = world["company"].uscc
    status, _, body = call(client, "put", "/api/v1/me/acting-enterprise", {"uscc": uscc_})
    assert (status, body) == (
        200,
        {
            "acting": True,
            "uscc": uscc_,
            "name": "宁波海曙示例贸易有限公司",
            "role_display": "经办人",
        },
    )
    assert client.session[ACTING_ENTERPRISE_SESSION_KEY] == world["company"].pk
    assert call(client, "get", "/api/v1/me/enterprises")[2][0]["acting"] is True

    Grant.objects.filter(pk=world["level2"].pk).update(valid_until=days(-1), valid_from=days(-9))
    status, _, body = call(client, "get", "/api/v1/me/acting-enterprise")
    assert (status, body) == (
        200,
        {"acting": False, "uscc": None, "name": None, "role_display": None},
    )


def test_switch_back(client, world):
    client.force_login(world["rep"])
    call(client, "put", "/api/v1/me/acting-enterprise", {"uscc": world["company"].uscc})
    status, _, body = call(client, "delete", "/api/v1/me/acting-enterprise")
    assert (status, body) == (204, None)
    assert ACTING_ENTERPRISE_SESSION_KEY not in client.session


def test_switch_to_an_enterprise_of_somebody_else_is_a_404(client, world):
    client.force_login(person("周五", 5))
    status, _, _ = call(
        client, "put", "/api/v1/me/acting-enterprise", {"uscc": world["company"].uscc}
    )
    assert status == 404
    assert Enterprise.objects.count() == 1
