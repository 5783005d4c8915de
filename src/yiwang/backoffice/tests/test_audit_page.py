"""The 审计日志 page reads as Chinese: action labels, masked actors, field lists."""

import pytest

from yiwang.accounts.services import account_admin
from yiwang.accounts.tests.staff_helpers import (  # noqa: F401
    person,
    sign_in_staff,
    world_fixture,
)
from yiwang.backoffice.audit_display import action_label, present
from yiwang.core import audit
from yiwang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_page_shows_labels_masked_names_and_field_lists(world, client):
    citizen = person(1, world.haishu.organization, name="李小四")
    account_admin.disable_account(world.haishu.admin, citizen, reason="冒用他人身份")
    request = account_admin.request_unban(world.haishu.admin, citizen, reason="核实为本人")
    account_admin.approve_unban(world.security_admin, request)

    text = sign_in_staff(client, world.auditor).get("/backoffice/audit/").content.decode()
    assert "停用账号" in text
    assert "申请解封账号" in text
    assert "批准解封账号" in text
    assert "周**（haishu-admin）" in text  # the 部门管理员 周管理
    assert "安**（security）" in text
    assert "账号 李**（自然人）" in text
    assert "<li>账号可用：否</li>" in text
    assert "<li>原因：冒用他人身份</li>" in text
    assert "变更前：" in text
    assert "{" not in text.split("<tbody>", 1)[1]  # no dict repr left
    assert "周管理" not in text
    assert "李小四" not in text
    assert f"user:{world.haishu.admin.pk}" not in text


def test_present_shows_unknown_actions_as_they_are_and_system_actors():
    audit.record("regions.import", after={"created": 3, "roles": ["auditor"]})
    audit.record("window.create", actor="user:999999", actor_label="gone", object_type="window")
    audit.record("something.new", actor="anonymous", before="draft", object_type="x", object_id=7)
    rows = present(list(AuditEvent.objects.order_by("id")))
    assert [(r.action, r.actor, r.object) for r in rows] == [
        ("导入行政区划", "系统", ""),
        ("新增窗口", "gone", "窗口"),
        ("something.new", "未登录用户", "x 7"),
    ]
    assert rows[0].after == [("角色", "审计员"), ("created", "3")]  # known fields first
    assert rows[2].before == [("", "draft")]


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("account.unban_approve", "批准解封账号"),
        ("accounts.grant.revoked", "撤销企业经办授权"),
        ("catalog.material.add", "新增申请材料"),
        ("catalog.theme.delete", "删除服务主题"),
        ("organization.change", "修改机构"),
        ("catalog.unknown.add", "catalog.unknown.add"),
    ],
)
def test_action_labels(code, label):
    assert action_label(code) == label
