"""Personal data: who may look a person up, unmasking with a reason, the citizen's access log."""

import pytest

from yiwang.accounts.permissions import PermissionDenied
from yiwang.accounts.services import personal_data
from yiwang.accounts.tests.staff_helpers import person, world_fixture  # noqa: F401
from yiwang.core.errors import DomainError, NotFound
from yiwang.core.identifiers import IdentifierError
from yiwang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_clerk_finds_a_person_of_its_organisation_masked_and_audited(world):
    citizen = person(1, world.haishu.organization)
    found = personal_data.find_person_for_window(world.haishu.clerk, citizen.id_number)
    assert found == citizen
    event = AuditEvent.objects.get(action="person.lookup")
    assert event.object_id == str(citizen.pk)
    assert event.after == {
        "organization_id": world.haishu.organization.pk,
        "organization": world.haishu.organization.name,
    }


def test_another_countys_clerk_gets_the_same_answer_as_for_nobody(world):
    citizen = person(1, world.haishu.organization)
    with pytest.raises(NotFound) as other:
        personal_data.find_person_for_window(world.yuyao.clerk, citizen.id_number)
    with pytest.raises(NotFound) as nobody:
        personal_data.find_person_for_window(world.yuyao.clerk, person(2).id_number)
    assert other.value.message == nobody.value.message
    assert AuditEvent.objects.filter(action="person.lookup").count() == 0


def test_roles_without_window_work_are_refused(world):
    citizen = person(1, world.haishu.organization)
    for viewer in (world.auditor, world.security_admin, world.platform_admin):
        with pytest.raises(PermissionDenied):
            personal_data.find_person_for_window(viewer, citizen.id_number)
        with pytest.raises(PermissionDenied):
            personal_data.unmask(viewer, citizen, "id_number", reason="核对身份信息")


def test_invalid_id_number_is_a_validation_error(world):
    with pytest.raises(IdentifierError):
        personal_data.find_person_for_window(world.haishu.clerk, "33020319900101123")


def test_unmask_needs_a_reason_and_is_audited(world):
    citizen = person(1, world.haishu.organization)
    with pytest.raises(DomainError) as exc:
        personal_data.unmask(world.haishu.clerk, citizen, "id_number", reason=" ")
    assert exc.value.field == "reason"
    value = personal_data.unmask(
        world.haishu.clerk, citizen, "id_number", reason="核对纸质申请表", ip="10.0.0.8"
    )
    assert value == citizen.id_number
    event = AuditEvent.objects.get(action="person.unmask")
    assert event.actor == f"user:{world.haishu.clerk.pk}"
    assert event.object_type == "person"
    assert event.object_id == str(citizen.pk)
    assert event.ip == "10.0.0.8"
    assert event.after == {
        "field": "id_number",
        "reason": "核对纸质申请表",
        "organization_id": world.haishu.organization.pk,
        "organization": world.haishu.organization.name,
    }


def test_unmask_across_organisations_is_refused_and_not_audited(world):
    citizen = person(1, world.haishu.organization)
    with pytest.raises(NotFound):
        personal_data.unmask(world.yuyao.admin, citizen, "phone", reason="核对联系方式")
    with pytest.raises(DomainError):
        personal_data.unmask(world.haishu.admin, citizen, "password", reason="核对联系方式")
    assert AuditEvent.objects.filter(action="person.unmask").count() == 0


def test_access_log_tells_the_citizen_who_when_what_and_why(world):
    citizen = person(1, world.haishu.organization)
    personal_data.find_person_for_window(world.haishu.clerk, citizen.id_number)
    personal_data.unmask(world.haishu.admin, citizen, "phone", reason="电话回访办理结果")
    entries = personal_data.access_log(citizen)
    assert [(e.organization, e.staff, e.what, e.reason) for e in entries] == [
        (world.haishu.organization.name, "周**", "查看完整手机号码", "电话回访办理结果"),
        (world.haishu.organization.name, "陈**", "查询（仅脱敏信息）", "窗口业务查询"),
    ]
    assert personal_data.access_log(person(2)) == []


def test_business_link_is_idempotent_and_audited(world):
    citizen = person(1)
    first = personal_data.record_person_business(
        citizen, world.yuyao.organization, basis="case", reference="C-1"
    )
    again = personal_data.record_person_business(
        citizen, world.yuyao.organization, basis="case", reference="C-1"
    )
    assert first == again
    assert AuditEvent.objects.filter(action="person.business_link").count() == 1
    assert personal_data.find_person_for_window(world.yuyao.clerk, citizen.id_number) == citizen
