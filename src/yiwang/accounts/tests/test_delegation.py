"""Delegation: three levels at most, scope and validity bounded by the parent, cascade revoke."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.accounts import selectors, services
from yiwang.accounts.constants import GrantStatus
from yiwang.accounts.models import Grant, GrantScope
from yiwang.catalog.models import ServiceItem
from yiwang.catalog.tests.factories import ServiceItemFactory
from yiwang.core.errors import Conflict, DomainError, Forbidden, NotFound
from yiwang.core.models import AuditEvent

from .enterprise_helpers import days, delegate, enterprise, person, uscc

pytestmark = pytest.mark.django_db

# 实施编码-like codes (31 characters); accounts compares them as codes only
ITEM_A = "113302030025000000400011100000A"
ITEM_B = "113302030025000000400011100000B"


@pytest.fixture(autouse=True)
def catalogue_items(db):
    """Scopes name items of the catalogue: two service items carrying these codes."""
    for code in (ITEM_A, ITEM_B):
        item = ServiceItemFactory()
        ServiceItem.objects.filter(pk=item.pk).update(code=code)


@pytest.fixture
def people():
    return {
        "rep": person("张三", 1),
        "manager": person("钱经理", 2),
        "handler": person("孙经办", 3),
        "fourth": person("李四", 4),
        "other": person("周五", 5),
    }


@pytest.fixture
def company(people):
    return enterprise(people["rep"])


def scopes(grant):
    return sorted(grant.scopes.values_list("kind", "code"))


# --- levels --------------------------------------------------------------------------------------


def test_levels_two_and_three_are_allowed_and_the_fourth_is_refused(people, company):
    level2 = delegate(company, people["rep"], people["manager"], "manager")
    level3 = delegate(company, people["manager"], people["handler"], "manager")

    assert (level2.level, level2.parent, level2.grantor, level2.status) == (
        2,
        None,
        people["rep"],
        GrantStatus.ACTIVE,
    )
    assert (level3.level, level3.parent, level3.grantor) == (3, level2, people["manager"])
    with pytest.raises(DomainError) as caught:
        delegate(company, people["handler"], people["fourth"], "handler")
    assert caught.value.message == "授权层级不能超过三级"
    assert Grant.objects.count() == 2


def test_a_handler_cannot_re_delegate(people, company):
    delegate(company, people["rep"], people["handler"], "handler")
    with pytest.raises(Forbidden) as caught:
        delegate(company, people["handler"], people["fourth"], "handler")
    assert caught.value.message == "经办人不能再授权他人，不能授权"


def test_somebody_without_a_grant_cannot_grant(people, company):
    with pytest.raises(Forbidden) as caught:
        delegate(company, people["other"], people["fourth"])
    assert caught.value.message == "您不是该企业的法定代表人，也没有有效的授权，不能授权"


def test_grant_is_audited_with_the_enterprise_as_acting_for(people, company):
    made = delegate(company, people["rep"], people["manager"], valid_until=days(30))
    event = AuditEvent.objects.get(action="accounts.grant.created")
    assert (event.actor, event.acting_for, event.object_type, event.object_id) == (
        f"user:{people['rep'].pk}",
        f"enterprise:{company.uscc}",
        "accounts.grant",
        str(made.pk),
    )
    assert event.after == {
        "enterprise": company.uscc,
        "grantor": f"user:{people['rep'].pk}",
        "grantee": f"user:{people['manager'].pk}",
        "parent": None,
        "level": 2,
        "role": "manager",
        "all_items": True,
        "item_codes": [],
        "theme_codes": [],
        "valid_from": days(0).isoformat(),
        "valid_until": days(30).isoformat(),
        "status": "active",
    }


# --- grantee ----------------------------------------------------------------------------------


def test_the_grantee_is_found_by_phone_too(people, company):
    made = services.grant(
        company,
        people["rep"],
        people["manager"].phone,
        role="handler",
        valid_from=days(0),
        valid_until=days(10),
    )
    assert made.grantee == people["manager"]


@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        ("13900009999", "未找到该实名用户：被授权人须先完成个人实名注册（请核对身份证号或手机号）"),
        ("", "未找到该实名用户：被授权人须先完成个人实名注册（请核对身份证号或手机号）"),
    ],
)
def test_an_unknown_grantee_is_refused(people, company, identifier, message):
    with pytest.raises(DomainError) as caught:
        services.grant(
            company,
            people["rep"],
            identifier,
            role="handler",
            valid_from=days(0),
            valid_until=days(1),
        )
    assert (caught.value.field, caught.value.message) == ("grantee", message)


def test_a_person_without_real_name_verification_cannot_be_granted(people, company):
    people["other"].real_name_verified_at = None
    people["other"].save()
    with pytest.raises(DomainError) as caught:
        delegate(company, people["rep"], people["other"])
    assert caught.value.field == "grantee"


def test_no_self_grant_and_no_grant_to_the_legal_representative(people, company):
    level2 = delegate(company, people["rep"], people["manager"])
    with pytest.raises(DomainError) as caught:
        delegate(company, people["rep"], people["rep"])
    assert caught.value.message == "不能授权给自己"
    with pytest.raises(DomainError) as caught:
        delegate(company, people["manager"], people["manager"])
    assert caught.value.message == "不能授权给自己"
    with pytest.raises(DomainError) as caught:
        delegate(company, people["manager"], people["rep"])
    assert caught.value.message == "法定代表人无需授权"
    assert list(Grant.objects.all()) == [level2]


def test_one_grant_per_person_and_enterprise(people, company):
    delegate(company, people["rep"], people["manager"])
    with pytest.raises(Conflict) as caught:
        delegate(company, people["rep"], people["manager"], "handler")
    assert caught.value.message == "该人员已获得本企业的授权；如需调整或延长有效期，请变更原授权"


# --- validity and scope --------------------------------------------------------------------------


def test_re_delegation_stays_within_the_grantors_validity(people, company):
    delegate(company, people["rep"], people["manager"], valid_until=days(30))
    with pytest.raises(DomainError) as caught:
        delegate(company, people["manager"], people["handler"], valid_until=days(31))
    assert caught.value.field == "valid_until"
    assert caught.value.message == (
        f"授权有效期不能超出上级授权的有效期（{days(0):%Y-%m-%d} 至 {days(30):%Y-%m-%d}）"
    )
    assert delegate(company, people["manager"], people["handler"], valid_until=days(30)).level == 3


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "field", "message"),
    [
        (5, 4, "valid_until", "截止日期不能早于生效日期"),
        (-10, -1, "valid_until", "截止日期不能早于今天"),
    ],
)
def test_validity_must_be_well_formed(people, company, valid_from, valid_until, field, message):
    with pytest.raises(DomainError) as caught:
        delegate(
            company,
            people["rep"],
            people["manager"],
            valid_from=days(valid_from),
            valid_until=days(valid_until),
        )
    assert (caught.value.field, caught.value.message) == (field, message)


def test_re_delegation_stays_within_the_grantors_scope(people, company):
    delegate(
        company,
        people["rep"],
        people["manager"],
        all_items=False,
        item_codes=[ITEM_A],
        theme_codes=["E01"],
    )
    with pytest.raises(DomainError) as caught:
        delegate(company, people["manager"], people["handler"], all_items=True)
    assert (caught.value.field, caught.value.message) == (
        "all_items",
        "授权范围不能超出上级授权的范围：上级授权不是全部事项",
    )
    with pytest.raises(DomainError) as caught:
        delegate(
            company, people["manager"], people["handler"], all_items=False, item_codes=[ITEM_B]
        )
    assert (caught.value.field, caught.value.message) == (
        "item_codes",
        f"以下事项不在上级授权的范围内：{ITEM_B}",
    )
    with pytest.raises(DomainError) as caught:
        delegate(
            company, people["manager"], people["handler"], all_items=False, theme_codes=["E02"]
        )
    assert caught.value.message == "以下主题不在上级授权的范围内：E02"

    level3 = delegate(
        company,
        people["manager"],
        people["handler"],
        "handler",
        all_items=False,
        item_codes=[ITEM_A.lower(), ITEM_A],  # normalised and de-duplicated
    )
    assert scopes(level3) == [("item", ITEM_A)]


def test_a_limited_scope_needs_at_least_one_code(people, company):
    with pytest.raises(DomainError) as caught:
        delegate(company, people["rep"], people["manager"], all_items=False)
    assert (caught.value.field, caught.value.message) == (
        "item_codes",
        "请选择授权范围：全部事项，或至少一个事项或主题",
    )


# --- acting: scope checks and immediate expiry ---------------------------------------------------


def test_can_act_for_checks_the_scope(people, company):
    delegate(
        company, people["rep"], people["handler"], "handler", all_items=False, item_codes=[ITEM_A]
    )
    assert services.can_act_for(people["rep"], company, item_code=ITEM_B)
    assert services.can_act_for(people["handler"], company)
    assert services.can_act_for(people["handler"], company, item_code=ITEM_A)
    assert not services.can_act_for(people["handler"], company, item_code=ITEM_B)
    assert not services.can_act_for(people["handler"], company, theme_code="E01")
    assert not services.can_act_for(people["other"], company)


def test_expiry_takes_effect_immediately(people, company):
    level2 = delegate(company, people["rep"], people["manager"], valid_until=days(0))
    level3 = delegate(company, people["manager"], people["handler"], valid_until=days(0))
    assert services.can_act_for(people["handler"], company)

    # the day after the end date, without any job having run
    Grant.objects.filter(pk__in=[level2.pk, level3.pk]).update(
        valid_from=days(-2), valid_until=days(-1)
    )

    assert not services.can_act_for(people["manager"], company)
    assert not services.can_act_for(people["handler"], company)
    assert selectors.enterprises_for(people["handler"]) == []
    level2.refresh_from_db()
    assert level2.status == GrantStatus.ACTIVE  # still a grant, just not in effect


def test_a_grant_not_yet_valid_does_not_work(people, company):
    delegate(company, people["rep"], people["manager"], valid_from=days(1), valid_until=days(9))
    assert not services.can_act_for(people["manager"], company)


def test_an_expired_parent_stops_the_child_too(people, company):
    level2 = delegate(company, people["rep"], people["manager"])
    delegate(company, people["manager"], people["handler"])
    Grant.objects.filter(pk=level2.pk).update(status=GrantStatus.REVOKED)
    assert not services.can_act_for(people["handler"], company)


# --- revoke ----------------------------------------------------------------------------------


def test_revoking_level_two_revokes_level_three_in_one_go(people, company):
    level2 = delegate(company, people["rep"], people["manager"])
    level3a = delegate(company, people["manager"], people["handler"], "handler")
    level3b = delegate(company, people["manager"], people["other"], "manager")
    unrelated = delegate(company, people["rep"], people["fourth"], "handler")

    revoked = services.revoke(level2, people["rep"], "离职")

    assert [g.pk for g in revoked] == [level2.pk, level3a.pk, level3b.pk]
    assert list(
        Grant.objects.order_by("pk").values_list("pk", "status", "revoked_by", "revoke_reason")
    ) == [
        (level2.pk, "revoked", people["rep"].pk, "离职"),
        (level3a.pk, "revoked", people["rep"].pk, "上级授权已撤销：离职"),
        (level3b.pk, "revoked", people["rep"].pk, "上级授权已撤销：离职"),
        (unrelated.pk, "active", None, ""),
    ]
    events = AuditEvent.objects.filter(action="accounts.grant.revoked").order_by("id")
    assert [(e.object_id, e.acting_for, e.before["status"], e.after["status"]) for e in events] == [
        (str(level2.pk), f"enterprise:{company.uscc}", "active", "revoked"),
        (str(level3a.pk), f"enterprise:{company.uscc}", "active", "revoked"),
        (str(level3b.pk), f"enterprise:{company.uscc}", "active", "revoked"),
    ]
    assert not services.can_act_for(people["handler"], company)
    assert services.can_act_for(people["fourth"], company)


def test_a_manager_revokes_what_they_granted_but_not_their_own_grant_or_a_siblings(people, company):
    level2 = delegate(company, people["rep"], people["manager"])
    level3 = delegate(company, people["manager"], people["handler"], "handler")
    sibling = delegate(company, people["rep"], people["other"], "manager")

    with pytest.raises(Forbidden):
        services.revoke(sibling, people["manager"], "越权")
    assert [g.pk for g in services.revoke(level3, people["manager"], "调岗")] == [level3.pk]
    assert services.can_act_for(people["manager"], company)
    # a grantee may give up their own grant (辞去委托)
    assert [g.pk for g in services.revoke(level2, people["manager"], "辞去委托")] == [level2.pk]


def test_revoke_needs_a_reason_and_an_active_grant(people, company):
    level2 = delegate(company, people["rep"], people["manager"])
    with pytest.raises(DomainError) as caught:
        services.revoke(level2, people["rep"], "  ")
    assert (caught.value.field, caught.value.message) == ("reason", "请填写撤销原因")
    services.revoke(level2, people["rep"], "离职")
    with pytest.raises(Conflict):
        services.revoke(level2, people["rep"], "离职")


# --- change --------------------------------------------------------------------------------------


def test_change_stays_within_the_parent_and_is_audited(people, company):
    level2 = delegate(company, people["rep"], people["manager"], valid_until=days(30))
    level3 = delegate(
        company, people["manager"], people["handler"], "handler", valid_until=days(20)
    )

    with pytest.raises(DomainError) as caught:
        services.change_grant(level3, people["manager"], valid_until=days(31))
    assert caught.value.field == "valid_until"
    changed = services.change_grant(
        level3, people["manager"], valid_until=days(25), all_items=False, theme_codes=["E01"]
    )

    assert (changed.valid_until, changed.all_items, scopes(changed)) == (
        days(25),
        False,
        [("theme", "E01")],
    )
    event = AuditEvent.objects.get(action="accounts.grant.changed")
    assert (event.before["valid_until"], event.after["valid_until"]) == (
        days(20).isoformat(),
        days(25).isoformat(),
    )
    assert event.after["theme_codes"] == ["E01"]
    assert level2.grantee == people["manager"]


def test_change_cannot_leave_a_re_delegation_outside(people, company):
    level2 = delegate(company, people["rep"], people["manager"], valid_until=days(30))
    delegate(company, people["manager"], people["handler"], "handler", valid_until=days(30))

    with pytest.raises(DomainError) as caught:
        services.change_grant(level2, people["rep"], role="handler")
    assert caught.value.message == "该人员已再授权给孙**：请先撤销这些下级授权，再改为经办人"
    with pytest.raises(DomainError) as caught:
        services.change_grant(level2, people["rep"], valid_until=days(10))
    assert caught.value.message == (
        "变更后将小于下级授权（孙**）的有效期：请先变更或撤销该下级授权"
    )
    with pytest.raises(DomainError) as caught:
        services.change_grant(level2, people["rep"], all_items=False, item_codes=[ITEM_A])
    assert caught.value.message == "变更后将小于下级授权（孙**）的范围：请先变更或撤销该下级授权"
    assert services.change_grant(level2, people["rep"], valid_until=days(60)).valid_until == days(
        60
    )


def test_only_the_grantors_line_may_change_a_grant(people, company):
    level2 = delegate(company, people["rep"], people["manager"])
    with pytest.raises(Forbidden):
        services.change_grant(level2, people["manager"], valid_until=days(400))
    with pytest.raises(Forbidden):
        services.change_grant(level2, people["other"], valid_until=days(10))


# --- request and decide --------------------------------------------------------------------------


def request(company, who, **kw):
    kw.setdefault("role", "handler")
    kw.setdefault("valid_from", days(0))
    kw.setdefault("valid_until", days(90))
    return services.request_grant(company.uscc, who, **kw)


def test_a_request_approved_by_the_representative_becomes_level_two(people, company):
    asked = request(company, people["other"], note="负责报税")
    assert (asked.status, asked.grantor, asked.note) == (GrantStatus.REQUESTED, None, "负责报税")
    assert list(selectors.pending_requests(company)) == [asked]
    assert not services.can_act_for(people["other"], company)

    decided = services.decide_request(asked, people["rep"], approve=True)

    assert (decided.status, decided.level, decided.grantor, decided.parent) == (
        GrantStatus.ACTIVE,
        2,
        people["rep"],
        None,
    )
    assert services.can_act_for(people["other"], company)
    assert AuditEvent.objects.filter(action="accounts.grant.approved").count() == 1


def test_a_request_approved_by_a_manager_becomes_level_three_within_the_managers_grant(
    people, company
):
    level2 = delegate(company, people["rep"], people["manager"], valid_until=days(30))
    too_long = request(company, people["other"], valid_until=days(90))
    with pytest.raises(DomainError) as caught:
        services.decide_request(too_long, people["manager"], approve=True)
    assert caught.value.message.startswith("授权有效期不能超出上级授权的有效期")

    fitting = request(company, people["handler"], valid_until=days(30))
    decided = services.decide_request(fitting, people["manager"], approve=True)
    assert (decided.level, decided.parent, decided.grantor) == (3, level2, people["manager"])


def test_a_rejected_request_keeps_the_reason_and_a_handler_cannot_decide(people, company):
    delegate(company, people["rep"], people["handler"], "handler")
    asked = request(company, people["other"])
    with pytest.raises(Forbidden):
        services.decide_request(asked, people["handler"], approve=True)

    decided = services.decide_request(asked, people["rep"], approve=False, reason="非本公司员工")

    assert (decided.status, decided.revoke_reason) == (GrantStatus.REJECTED, "非本公司员工")
    assert list(selectors.grant_requests_of(people["other"])) == [decided]
    with pytest.raises(Conflict):
        services.decide_request(asked, people["rep"], approve=True)


def test_request_rules(people, company):
    with pytest.raises(Conflict) as caught:
        request(company, people["rep"])
    assert caught.value.message == "您是该企业的法定代表人，无需申请授权"
    request(company, people["other"])
    with pytest.raises(Conflict) as caught:
        request(company, people["other"])
    assert caught.value.message == "您已申请过该企业的授权，请等待审批"
    with pytest.raises(NotFound) as caught:
        services.request_grant(
            uscc(99), people["fourth"], role="handler", valid_from=days(0), valid_until=days(1)
        )
    assert (caught.value.field, caught.value.message) == (
        "uscc",
        "该企业尚未注册法人用户，请联系企业法定代表人先行注册",
    )


def test_the_tree_shows_levels_and_the_in_effect_state(people, company):
    level2 = delegate(company, people["rep"], people["manager"])
    level3 = delegate(company, people["manager"], people["handler"], "handler")
    later = delegate(company, people["rep"], people["other"], valid_from=days(3))

    tree = selectors.grant_tree(company)

    assert [(n.grant, n.in_effect, [c.grant for c in n.children]) for n in tree] == [
        (level2, True, [level3]),
        (later, False, []),
    ]
    assert [n.grant for n in selectors.grant_tree(company, under=level2)] == [level3]
    assert selectors.descendants(level2) == [level3]
    assert [a.role_label for a in selectors.enterprises_for(people["handler"])] == ["经办人"]
    assert [a.role_label for a in selectors.enterprises_for(people["rep"])] == ["法定代表人"]
    assert timezone.localdate() + timedelta(days=3) == days(3)
    assert GrantScope.objects.count() == 0


def test_a_scope_names_only_codes_of_the_catalogue(people, company):
    with pytest.raises(DomainError) as caught:
        services.grant(
            company,
            people["rep"],
            people["manager"].id_number,
            role="manager",
            valid_from=days(0),
            valid_until=days(30),
            all_items=False,
            item_codes=[ITEM_A, "xyz"],
        )
    assert (caught.value.field, caught.value.message) == (
        "item_codes",
        "以下事项实施编码在事项目录中不存在：XYZ",
    )
    with pytest.raises(DomainError) as caught:
        services.grant(
            company,
            people["rep"],
            people["manager"].id_number,
            role="manager",
            valid_from=days(0),
            valid_until=days(30),
            all_items=False,
            theme_codes=["T01"],
        )
    assert (caught.value.field, caught.value.message) == (
        "theme_codes",
        "以下主题代码在事项目录中不存在：T01",
    )
    assert not Grant.objects.filter(grantee=people["manager"]).exists()
