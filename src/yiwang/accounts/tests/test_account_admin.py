"""Account management: opening, roles with separation of duties, disable, two-person unban."""

import pytest

from yiwang.accounts.constants import Role
from yiwang.accounts.models import RoleAssignment, UnbanRequest, User
from yiwang.accounts.permissions import PermissionDenied, has_role
from yiwang.accounts.services import account_admin
from yiwang.accounts.tests.staff_helpers import person, staff, world_fixture  # noqa: F401
from yiwang.core.errors import Conflict, DomainError
from yiwang.core.models import AuditEvent
from yiwang.notifications.testing import last_sms, sms_to

pytestmark = pytest.mark.django_db


def test_department_admin_opens_an_account_in_its_organisation(world):
    county = world.haishu
    user = account_admin.open_staff_account(
        county.admin,
        username="new.clerk",
        name="新窗口",
        phone="13900001111",
        organization=county.organization,
        roles=[Role.WINDOW_CLERK],
    )
    assert user.kind == "staff"
    assert user.must_change_password is True
    assert has_role(user, Role.WINDOW_CLERK, county.organization) is True
    assert last_sms("13900001111").startswith("【一网】您的账号new.clerk已开通，初始密码为")
    event = AuditEvent.objects.get(action="account.open")
    assert event.actor == f"user:{county.admin.pk}"
    assert event.after == {
        "username": "new.clerk",
        "kind": "staff",
        "organization": county.organization.pk,
        "roles": ["window_clerk"],
    }


def test_department_admin_cannot_open_accounts_elsewhere_or_give_privileged_roles(world):
    with pytest.raises(PermissionDenied):
        account_admin.open_staff_account(
            world.haishu.admin,
            username="intruder",
            name="外县",
            phone="13900002222",
            organization=world.yuyao.organization,
        )
    with pytest.raises(PermissionDenied) as exc:
        account_admin.open_staff_account(
            world.haishu.admin,
            username="boss",
            name="自封",
            phone="13900003333",
            organization=world.haishu.organization,
            roles=[Role.DEPARTMENT_ADMIN],
        )
    assert exc.value.message == "部门管理员角色须由安全管理员授予"
    assert User.objects.filter(username__in=["intruder", "boss"]).count() == 0


def test_duplicate_username_and_phone_are_conflicts(world):
    kwargs = {"name": "甲", "organization": world.haishu.organization}
    account_admin.open_staff_account(
        world.haishu.admin, username="dup", phone="13900004444", **kwargs
    )
    with pytest.raises(Conflict) as name_taken:
        account_admin.open_staff_account(
            world.haishu.admin, username="dup", phone="13900005555", **kwargs
        )
    assert name_taken.value.message == "该账号名已被使用"
    with pytest.raises(Conflict) as phone_taken:
        account_admin.open_staff_account(
            world.haishu.admin, username="dup2", phone="13900004444", **kwargs
        )
    assert phone_taken.value.message == "该手机号已绑定其他账号"


def test_only_the_security_admin_grants_privileged_roles(world):
    target = staff("target", "目标")
    with pytest.raises(PermissionDenied):
        account_admin.grant_staff_role(
            world.platform_admin,
            target,
            Role.DEPARTMENT_ADMIN,
            organization=world.haishu.organization,
        )
    with pytest.raises(PermissionDenied):
        account_admin.grant_staff_role(
            world.auditor, target, Role.WINDOW_CLERK, organization=world.haishu.organization
        )
    assignment = account_admin.grant_staff_role(
        world.security_admin,
        target,
        Role.DEPARTMENT_ADMIN,
        organization=world.haishu.organization,
    )
    assert assignment.granted_by == world.security_admin
    assert (
        AuditEvent.objects.filter(action="account.role_grant", object_id=str(target.pk)).count()
        == 1
    )


def test_department_admin_grants_operational_roles_in_its_organisation_only(world):
    target = staff("target", "目标")
    account_admin.grant_staff_role(
        world.haishu.admin, target, Role.REVIEWER, organization=world.haishu.organization
    )
    with pytest.raises(PermissionDenied):
        account_admin.grant_staff_role(
            world.haishu.admin, target, Role.REVIEWER, organization=world.yuyao.organization
        )


def test_nobody_grants_themselves_a_role(world):
    with pytest.raises(PermissionDenied) as exc:
        account_admin.grant_staff_role(world.security_admin, world.security_admin, Role.AUDITOR)
    assert exc.value.message == "不能给自己授予角色"


def test_three_administrator_roles_are_never_combined(world):
    with pytest.raises(Conflict) as exc:
        account_admin.grant_staff_role(world.security_admin, world.auditor, Role.PLATFORM_ADMIN)
    assert "三员分立" in exc.value.message
    assert not has_role(world.auditor, Role.PLATFORM_ADMIN)


def test_revoking_follows_the_granting_rules(world):
    assignment = RoleAssignment.objects.get(user=world.haishu.clerk)
    with pytest.raises(PermissionDenied):
        account_admin.revoke_staff_role(world.yuyao.admin, assignment)
    account_admin.revoke_staff_role(world.haishu.admin, assignment)
    assert not has_role(world.haishu.clerk, Role.WINDOW_CLERK)


def test_the_auditor_only_reads_the_audit_log(world):
    assert account_admin.audit_events(world.auditor).count() >= 1
    with pytest.raises(PermissionDenied):
        account_admin.audit_events(world.platform_admin)
    with pytest.raises(PermissionDenied):
        account_admin.accounts_for(world.auditor)
    with pytest.raises(PermissionDenied):
        account_admin.disable_account(world.auditor, world.haishu.clerk, reason="测试")


def test_audit_log_filters_by_action_and_actor(world):
    account_admin.disable_account(world.haishu.admin, world.haishu.clerk, reason="违规操作")
    events = account_admin.audit_events(world.auditor, action="account.disable")
    assert [e.object_id for e in events] == [str(world.haishu.clerk.pk)]
    by_name = account_admin.audit_events(world.auditor, actor_filter="haishu-admin")
    assert [e.action for e in by_name] == ["account.disable"]


def test_accounts_of_my_organisation(world):
    citizen = person(1, world.haishu.organization)
    outsider = person(2, world.yuyao.organization)
    mine = set(account_admin.accounts_for(world.haishu.admin))
    assert citizen in mine
    assert world.haishu.clerk in mine
    assert outsider not in mine
    assert world.yuyao.clerk not in mine
    assert set(account_admin.accounts_for(world.platform_admin)) >= {citizen, outsider}


def test_disable_ends_access_tells_the_user_and_is_audited(world, client):
    citizen = person(1, world.haishu.organization)
    client.force_login(citizen)
    account_admin.disable_account(world.haishu.admin, citizen, reason="冒用他人身份")
    citizen.refresh_from_db()
    assert citizen.is_active is False
    assert citizen.disabled_reason == "冒用他人身份"
    assert last_sms(citizen.phone) == (
        "【一网】您的账号已被停用，原因：冒用他人身份。如有疑问请拨打12345政务服务热线。"
    )
    event = AuditEvent.objects.get(action="account.disable")
    assert event.before == {"is_active": True}
    assert event.after == {"is_active": False, "reason": "冒用他人身份"}
    from django.contrib.sessions.models import Session

    assert Session.objects.count() == 0


def test_disable_across_organisations_or_of_oneself_is_refused(world):
    outsider = person(2, world.yuyao.organization)
    with pytest.raises(PermissionDenied):
        account_admin.disable_account(world.haishu.admin, outsider, reason="越权")
    with pytest.raises(PermissionDenied) as own:
        account_admin.disable_account(world.haishu.admin, world.haishu.admin, reason="自己")
    assert own.value.message == "不能管理自己的账号"
    with pytest.raises(DomainError):
        account_admin.disable_account(world.haishu.admin, world.haishu.clerk, reason=" ")


def test_unban_needs_a_second_administrator(world):
    citizen = person(1, world.haishu.organization)
    account_admin.disable_account(world.haishu.admin, citizen, reason="冒用他人身份")
    request = account_admin.request_unban(world.haishu.admin, citizen, reason="核实为本人")
    with pytest.raises(Conflict):
        account_admin.request_unban(world.haishu.admin, citizen, reason="再次申请")
    with pytest.raises(PermissionDenied) as own:
        account_admin.approve_unban(world.haishu.admin, request)
    assert own.value.message == "解封须由另一名管理员审批，申请人不能审批自己的申请"
    with pytest.raises(PermissionDenied):
        account_admin.approve_unban(world.yuyao.admin, request)
    assert account_admin.pending_unban_requests(world.haishu.admin) == []
    assert account_admin.pending_unban_requests(world.security_admin) == [request]
    account_admin.approve_unban(world.security_admin, request)
    citizen.refresh_from_db()
    assert citizen.is_active is True
    assert citizen.disabled_reason == ""
    assert last_sms(citizen.phone) == "【一网】您的账号已恢复正常使用，欢迎登录一网政务服务平台。"
    assert len(sms_to(citizen.phone)) == 2
    request.refresh_from_db()
    assert request.status == UnbanRequest.Status.APPROVED
    assert request.decided_by == world.security_admin
    actions = list(
        AuditEvent.objects.filter(object_id=str(citizen.pk), object_type="user")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["account.disable", "account.unban_request", "account.unban_approve"]
    with pytest.raises(Conflict):
        account_admin.approve_unban(world.platform_admin, request)


def test_unban_of_an_active_account_is_a_conflict(world):
    citizen = person(1, world.haishu.organization)
    with pytest.raises(Conflict) as exc:
        account_admin.request_unban(world.haishu.admin, citizen, reason="无")
    assert exc.value.message == "该账号未被停用"


def test_unban_can_be_rejected(world):
    citizen = person(1, world.haishu.organization)
    account_admin.disable_account(world.haishu.admin, citizen, reason="冒用他人身份")
    request = account_admin.request_unban(world.haishu.admin, citizen, reason="核实为本人")
    account_admin.reject_unban(world.platform_admin, request, reason="未能核实为本人")
    citizen.refresh_from_db()
    assert citizen.is_active is False
    assert UnbanRequest.objects.get().status == UnbanRequest.Status.REJECTED


def test_initial_passwords_have_no_look_alike_characters_and_pass_the_validators(world):
    from django.contrib.auth.password_validation import validate_password

    user = account_admin.open_staff_account(
        world.haishu.admin,
        username="elder.clerk",
        name="老窗口",
        phone="13900006666",
        organization=world.haishu.organization,
    )
    sent = last_sms("13900006666").split("初始密码为", 1)[1].split("，", 1)[0]
    assert user.check_password(sent) is True
    samples = [sent, *(account_admin.random_password() for _ in range(300))]
    for password in samples:
        assert len(password) == 13
        assert set(password) <= set("abcdefghijkmnpqrstuvwxyz23456789")
        assert any(c.isdigit() for c in password)
        assert any(c.isalpha() for c in password)
        validate_password(password, user=user)  # raises ValidationError if refused
    assert not set("".join(samples)) & set("lI1Oo0")
    assert len(set(samples)) == len(samples)


def test_a_rejection_with_a_reason_keeps_it_and_an_empty_one_is_refused(world):
    citizen = person(1, world.haishu.organization)
    account_admin.disable_account(world.haishu.admin, citizen, reason="冒用他人身份")
    request = account_admin.request_unban(world.haishu.admin, citizen, reason="核实为本人")
    with pytest.raises(DomainError) as empty:
        account_admin.reject_unban(world.security_admin, request, reason="  ")
    assert empty.value.message == "请填写驳回理由"
    assert empty.value.field == "reason"
    with pytest.raises(DomainError) as long:
        account_admin.reject_unban(world.security_admin, request, reason="因" * 201)
    assert long.value.message == "驳回理由不超过 200 个字"
    assert UnbanRequest.objects.get().status == UnbanRequest.Status.PENDING
    account_admin.reject_unban(world.security_admin, request, reason=" 未提供身份证明 ")
    event = AuditEvent.objects.get(action="account.unban_reject")
    assert event.after == {"unban_request": request.pk, "reason": "未提供身份证明"}
