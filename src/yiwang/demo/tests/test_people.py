"""Demo people: synthetic base libraries, demo citizens and staff — valid, stable, documented."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyotp
import pytest

from yiwang.accounts.constants import Role, UserKind
from yiwang.accounts.models import Enterprise, RoleAssignment, User
from yiwang.accounts.permissions import has_role
from yiwang.accounts.verification import get_verifier
from yiwang.cases.models import Case
from yiwang.core.identifiers import validate_person_id, validate_uscc
from yiwang.core.models import AuditEvent
from yiwang.demo import people
from yiwang.integrations.models import LegalEntityRecord, PopulationRecord
from yiwang.regions.models import Organization

from .conftest import run_demo

README = Path(__file__).resolve().parents[4] / "README.md"


def snapshot() -> dict:
    return {
        "persons": PopulationRecord.objects.count(),
        "enterprises": LegalEntityRecord.objects.count(),
        "person_rows": sorted(PopulationRecord.objects.values_list("pk", "updated_at")),
        "enterprise_rows": sorted(LegalEntityRecord.objects.values_list("pk", "updated_at")),
        "users": sorted(User.objects.values_list("pk", "username", "password", "name")),
        "roles": RoleAssignment.objects.count(),
        "registered_enterprises": Enterprise.objects.count(),
        "audit": AuditEvent.objects.count(),
        "cases": sorted(Case.objects.values_list("pk", "number", "status")),
    }


def test_second_run_changes_nothing(demo):
    mine = [line for line in demo if line.startswith(("人口库", "法人库", "演示"))]
    assert mine == [
        "人口库（合成） 10000 人（新增 10000，更新 0）",
        "法人库（合成） 1000 家（新增 1000，更新 0）",
        "演示市民账号 3 个（新增 3，更新 0）",
        "演示法人用户 1 家（新增 1，更新 0）",
        "演示工作人员账号 14 个（新增 14，更新 0）",
        "演示办件 6 件（新增 6，更新 0）",
    ]
    before = snapshot()
    again = [line for line in run_demo() if line.startswith(("人口库", "法人库", "演示"))]
    assert again == [
        "人口库（合成） 10000 人（新增 0，更新 0）",
        "法人库（合成） 1000 家（新增 0，更新 0）",
        "演示市民账号 3 个（新增 0，更新 0）",
        "演示法人用户 1 家（新增 0，更新 0）",
        "演示工作人员账号 14 个（新增 0，更新 0）",
        "演示办件 6 件（新增 0，更新 0）",
    ]
    assert snapshot() == before


def test_demo_cases_wait_at_each_stage_for_the_demo_staff(demo):
    from yiwang.cases import selectors

    chen = User.objects.by_id_number(people.CITIZENS[0].id_number).get()
    assert sorted(Case.objects.filter(applicant=chen).values_list("status", flat=True)) == [
        "completed",
        "deciding",
        "pending",
        "reviewing",
        "supplement",
    ]
    clerk = User.objects.get(username="hs_window")
    assert selectors.queue(clerk, "pending").count() == 2
    assert selectors.queue(User.objects.get(username="hs_market_decider"), "deciding").count() == 1


def test_generation_is_deterministic():
    first = people.demo_persons()
    assert people.demo_persons() == first
    assert people.demo_enterprises(first) == people.demo_enterprises(first)


def test_every_identifier_is_valid_and_unique(demo):
    persons = list(PopulationRecord.objects.values_list("id_number", "phone", "name"))
    assert len(persons) == people.PERSON_COUNT == 10_000
    assert len({p[0] for p in persons}) == 10_000
    assert len({p[1] for p in persons}) == 10_000
    for id_number, phone, name in persons:
        assert validate_person_id(id_number) == id_number
        assert len(phone) == 11 and phone[0] == "1"
        assert 2 <= len(name) <= 4
    regions = Counter(p[0][:4] for p in persons)
    assert regions.most_common(1)[0][0] == "3302"  # mostly Ningbo
    by_id = {id_number: name for id_number, _, name in persons}
    enterprises = list(LegalEntityRecord.objects.all())
    assert len(enterprises) == people.ENTERPRISE_COUNT == 1_000
    assert len({e.uscc for e in enterprises}) == 1_000
    for enterprise in enterprises:
        assert validate_uscc(enterprise.uscc) == enterprise.uscc
        # every legal representative is a person of the population library, with that name
        assert by_id[enterprise.legal_representative_id_number] == (
            enterprise.legal_representative_name
        )
    statuses = Counter(e.status for e in enterprises)
    assert set(statuses) == {"active", "revoked", "cancelled"}


def test_demo_citizens_pass_the_real_name_check(demo):
    verifier = get_verifier()
    for citizen in people.CITIZENS:
        factors = citizen.factors()
        check = verifier.verify_person(
            name=factors.pop("name"), id_number=factors.pop("id_number"), factors=factors
        )
        assert check.matched is True
    accounts = [c for c in people.CITIZENS if c.account]
    for citizen in accounts:
        user = User.objects.by_id_number(citizen.id_number).get()
        assert (user.kind, user.name, user.phone) == (UserKind.PERSON, citizen.name, citizen.phone)
        assert user.real_name_verified_at is not None
        assert user.check_password(people.DEMO_PASSWORD)
    assert not User.objects.by_id_number(people.CITIZENS[3].id_number).exists()


def test_first_citizen_represents_a_registered_enterprise(demo):
    record = people.citizen_enterprise()
    enterprise = Enterprise.objects.get(uscc=record["uscc"])
    assert enterprise.name == "宁波甬江智能科技有限公司"
    assert enterprise.legal_representative.id_number == people.CITIZENS[0].id_number
    assert (
        get_verifier()
        .verify_enterprise(
            uscc=record["uscc"],
            name=record["name"],
            legal_representative_name="陈明",
            legal_representative_id_number=people.CITIZENS[0].id_number,
        )
        .is_active
    )


def test_demo_staff_have_their_roles_and_the_documented_totp(demo):
    staff = {u.username: u for u in User.objects.filter(kind=UserKind.STAFF)}
    assert set(staff) == {s.username for s in people.STAFF}
    totp = pyotp.TOTP(people.DEMO_TOTP_SECRET)
    for user in staff.values():
        assert user.totp_secret == people.DEMO_TOTP_SECRET
        assert user.totp_confirmed_at is not None
        assert pyotp.TOTP(user.totp_secret).now() == totp.now()
        assert user.check_password(people.DEMO_PASSWORD)
    assert staff["admin"].is_superuser is True
    assert staff["shenji"].is_superuser is False
    haishu_market = Organization.objects.get(name="宁波市海曙区市场监督管理局")
    yuyao_market = Organization.objects.get(name="余姚市市场监督管理局")
    assert has_role(staff["hs_market_editor"], Role.CATALOG_EDITOR, haishu_market)
    assert not has_role(staff["hs_market_editor"], Role.CATALOG_EDITOR, yuyao_market)
    assert has_role(staff["yy_market_editor"], Role.CATALOG_EDITOR, yuyao_market)
    assert has_role(staff["hs_market_checker"], Role.CATALOG_REVIEWER, haishu_market)
    assert has_role(staff["hs_market_reviewer"], Role.REVIEWER, haishu_market)
    assert has_role(staff["hs_market_decider"], Role.DECIDER, haishu_market)
    assert has_role(staff["hs_market_admin"], Role.DEPARTMENT_ADMIN, haishu_market)
    assert has_role(staff["admin"], Role.PLATFORM_ADMIN)
    assert has_role(staff["anquan"], Role.SECURITY_ADMIN)
    assert has_role(staff["shenji"], Role.AUDITOR)
    hall_office = Organization.objects.get(name="宁波市海曙区政务服务管理办公室")
    assert has_role(staff["hs_window"], Role.WINDOW_CLERK, hall_office)
    assert not has_role(staff["yy_window"], Role.WINDOW_CLERK, hall_office)


@pytest.mark.parametrize(
    "expected",
    [
        *(s.username for s in people.STAFF),
        *(c.phone for c in people.CITIZENS),
        *(c.id_number for c in people.CITIZENS),
        people.DEMO_PASSWORD,
        people.DEMO_TOTP_SECRET,
        "宁波甬江智能科技有限公司",
    ],
)
def test_readme_lists_the_demo_accounts(expected):
    assert f"`{expected}`" in README.read_text()
