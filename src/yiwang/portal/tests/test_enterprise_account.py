"""法人用户 pages: each form keeps what was typed on a refusal and shows the service's message."""

import re

import pytest

from yiwang.accounts.constants import ACTING_ENTERPRISE_SESSION_KEY, GrantStatus
from yiwang.accounts.models import Enterprise, Grant
from yiwang.accounts.services.enterprises import ENTERPRISE_MISMATCH_MESSAGE
from yiwang.accounts.tests.enterprise_helpers import (
    days,
    delegate,
    enterprise,
    library_record,
    person,
    uscc,
)

pytestmark = pytest.mark.django_db

BASE = "/account/enterprise/"


def text(response) -> str:
    return response.content.decode()


def value_of(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else ""


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


def test_pages_need_a_signed_in_person(client):
    response = client.get(BASE)
    assert (response.status_code, response["Location"]) == (
        302,
        "/account/login/?next=/account/enterprise/",
    )


def test_register_page_keeps_typed_values_and_shows_the_generic_mismatch(client):
    zhao = person("赵六", 7)
    client.force_login(zhao)
    code = uscc(7)
    response = client.post(
        BASE + "register/",
        {"uscc": code, "name": "宁波不存在有限公司", "legal_representative_name": "赵六"},
    )
    html = text(response)
    assert response.status_code == 200
    assert ENTERPRISE_MISMATCH_MESSAGE in html
    assert (value_of(html, "uscc"), value_of(html, "name")) == (code, "宁波不存在有限公司")


def test_register_page_shows_the_uscc_validator_message_beside_the_field(client):
    client.force_login(person("赵六", 7))
    response = client.post(
        BASE + "register/",
        {"uscc": "9133020", "name": "某公司", "legal_representative_name": "赵六"},
    )
    html = text(response)
    assert '<p class="ea-field-error" id="id_uscc_error">长度错误：应为18位，实为7位</p>' in html
    assert value_of(html, "uscc") == "9133020"


def test_register_then_my_enterprises_lists_it(client):
    zhao = person("赵六", 7)
    code = uscc(7)
    library_record(code, "宁波测试科技有限公司", zhao)
    client.force_login(zhao)
    response = client.post(
        BASE + "register/",
        {"uscc": code, "name": "宁波测试科技有限公司", "legal_representative_name": "赵六"},
        follow=True,
    )
    html = text(response)
    assert "“宁波测试科技有限公司”法人用户注册成功，已与您的账号绑定" in html
    assert "法定代表人" in html
    assert Enterprise.objects.get(uscc=code).legal_representative == zhao


def test_grant_form_refusal_keeps_the_typed_values(client, world):
    client.force_login(world["manager"])
    url = f"{BASE}{world['company'].uscc}/grants/"
    other = person("周五", 5)
    response = client.post(
        url,
        {
            "grantee": other.phone,
            "role": "handler",
            "valid_from": days(0).isoformat(),
            "valid_until": days(31).isoformat(),
            "all_items": "1",
        },
    )
    html = text(response)
    assert "授权有效期不能超出上级授权的有效期" in html
    assert value_of(html, "grantee") == other.phone
    assert value_of(html, "valid_until") == days(31).isoformat()


def test_the_tree_shows_the_levels_and_a_grant_is_made(client, world):
    client.force_login(world["rep"])
    url = f"{BASE}{world['company'].uscc}/grants/"
    html = text(client.get(url))
    assert html.count('class="ea-level"') == 3  # level 1 line + two grants
    assert '第2级</span>\n        <strong class="ea-person">钱**' in html
    assert '第3级</span>\n        <strong class="ea-person">孙**' in html

    other = person("周五", 5)
    response = client.post(
        url,
        {
            "grantee": other.id_number,
            "role": "manager",
            "valid_from": days(0).isoformat(),
            "valid_until": days(60).isoformat(),
            "all_items": "1",
        },
        follow=True,
    )
    assert f"已授权周*为管理者（第2级），有效期至{days(60):%Y年%m月%d日}" in text(response)


def test_revoke_confirmation_lists_what_goes_with_it(client, world):
    client.force_login(world["rep"])
    url = f"{BASE}{world['company'].uscc}/grants/{world['level2'].pk}/revoke/"
    html = text(client.get(url))
    assert "以下 1 项由其再授权的下级授权将<strong>一并撤销</strong>" in html
    assert "第3级 孙**（经办人" in html

    response = client.post(url, {"reason": "离职"}, follow=True)
    assert "已撤销 2 项授权" in text(response)
    assert set(Grant.objects.values_list("status", flat=True)) == {GrantStatus.REVOKED}


def test_a_handler_sees_no_grant_form(client, world):
    client.force_login(world["handler"])
    html = text(client.get(f"{BASE}{world['company'].uscc}/grants/"))
    assert "新增授权" not in html
    assert "您是经办人，可以以企业身份办理业务，不能再授权他人。" in html


def test_a_stranger_gets_a_404_for_the_grants_page(client, world):
    client.force_login(person("周五", 5))
    assert client.get(f"{BASE}{world['company'].uscc}/grants/").status_code == 404


def test_switching_shows_the_identity_in_the_header_and_back(client, world):
    client.force_login(world["handler"])
    response = client.post(BASE + "switch/", {"uscc": world["company"].uscc}, follow=True)
    html = text(response)
    assert "当前身份：<strong>宁波海曙示例贸易有限公司</strong>（经办人）" in html
    assert client.session[ACTING_ENTERPRISE_SESSION_KEY] == world["company"].pk
    # any page shows it
    assert "当前身份：" in text(client.get("/"))

    response = client.post(BASE + "switch-back/", follow=True)
    assert "当前身份：" not in text(response)
    assert "已切换回个人身份" in text(response)


def test_a_revoked_grant_disappears_from_the_header_at_once(client, world):
    client.force_login(world["handler"])
    client.post(BASE + "switch/", {"uscc": world["company"].uscc})
    Grant.objects.filter(pk=world["level3"].pk).update(status=GrantStatus.REVOKED)
    assert "当前身份：" not in text(client.get("/"))


def test_request_and_decide(client, world):
    asker = person("周五", 5)
    client.force_login(asker)
    response = client.post(
        BASE + "request/",
        {
            "uscc": world["company"].uscc,
            "role": "handler",
            "valid_from": days(0).isoformat(),
            "valid_until": days(20).isoformat(),
            "all_items": "1",
            "note": "负责报税",
        },
        follow=True,
    )
    assert "已向“宁波海曙示例贸易有限公司”提交授权申请，请等待审批" in text(response)
    asked = Grant.objects.get(grantee=asker)

    client.force_login(world["rep"])
    html = text(client.get(f"{BASE}{world['company'].uscc}/requests/"))
    assert "说明：负责报税" in html
    response = client.post(
        f"{BASE}{world['company'].uscc}/requests/{asked.pk}/decide/",
        {"decision": "approve"},
        follow=True,
    )
    assert "已同意周*的授权申请" in text(response)
    asked.refresh_from_db()
    assert (asked.status, asked.level) == (GrantStatus.ACTIVE, 2)


def test_change_representative_page(client, world):
    successor = person("周新", 23)
    library_record(world["company"].uscc, world["company"].name, successor)
    client.force_login(successor)
    response = client.post(
        BASE + "change-representative/",
        {
            "uscc": world["company"].uscc,
            "new_name": "周新",
            "new_representative_id_number": successor.id_number,
        },
        follow=True,
    )
    assert "原法定代表人所作的 2 项授权已撤销" in text(response)
    world["company"].refresh_from_db()
    assert world["company"].legal_representative == successor
