"""Organisations, halls, windows and stations: the rules, create versus upsert, the audit trail."""

import pytest

from yiwang.core.errors import Conflict, DomainError
from yiwang.core.models import AuditEvent
from yiwang.regions import services
from yiwang.regions.models import Organization, ServiceStation

from .conftest import uscc


def org_kwargs(**overrides):
    values = {
        "region": "330203000000",
        "name": "宁波市海曙区民政局",
        "uscc": uscc("haishu_civil", "330203"),
        "level": "county",
        "kind": "department",
    }
    return {**values, **overrides}


def test_create_organization_normalises_the_uscc_and_audits(bodies):
    code = uscc("haishu_civil", "330203")
    org = services.create_organization(**org_kwargs(uscc=f" {code.lower()} "))
    assert org.uscc == code
    event = AuditEvent.objects.filter(action="organization.create").latest("id")
    assert (event.object_type, event.object_id) == ("organization", str(org.pk))
    assert event.after["uscc"] == code
    assert event.after["region_id"] == "330203000000"


def test_invalid_uscc_is_refused_with_the_validators_message(regions):
    code = uscc("haishu_civil", "330203")
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(DomainError) as caught:
        services.create_organization(**org_kwargs(uscc=typo))
    assert caught.value.field == "uscc"
    assert (
        caught.value.message == f"统一社会信用代码无效：校验码错误：应为{code[-1]}，实为{typo[-1]}"
    )
    assert Organization.objects.count() == 0


def test_level_must_match_the_region(regions):
    with pytest.raises(DomainError) as caught:
        services.create_organization(**org_kwargs(level="city"))
    assert caught.value.message == "机构层级（地市级）与所在行政区划海曙区（区县级）不一致"
    assert caught.value.field == "level"


def test_national_bodies_have_no_region(regions):
    with pytest.raises(DomainError) as caught:
        services.create_organization(**org_kwargs(level="national"))
    assert caught.value.message == "国家级机构不设所在行政区划"
    org = services.create_organization(
        **org_kwargs(region=None, name="国家税务总局", level="national", uscc=uscc("sat", "100000"))
    )
    assert org.region_id is None


def test_superior_body_must_contain_the_region(bodies):
    yuyao = bodies["yuyao"]
    with pytest.raises(DomainError) as caught:
        services.create_organization(**org_kwargs(parent=yuyao))
    assert caught.value.message == "上级机构余姚市人民政府所在的行政区划不包含海曙区"


def test_duplicate_name_in_region_is_a_conflict_for_create_only(bodies):
    with pytest.raises(Conflict) as caught:
        services.create_organization(
            **org_kwargs(name="宁波市海曙区人民政府", uscc=bodies["haishu"].uscc, kind="government")
        )
    assert caught.value.message == "海曙区机构“宁波市海曙区人民政府”已存在"


def test_uscc_used_by_another_body_is_a_conflict(bodies):
    with pytest.raises(Conflict) as caught:
        services.create_organization(**org_kwargs(uscc=bodies["haishu"].uscc))
    assert (
        caught.value.message
        == f"统一社会信用代码 {bodies['haishu'].uscc} 已被“宁波市海曙区人民政府”使用"
    )


def test_upsert_is_idempotent_and_audits_only_changes(bodies):
    first = services.upsert_organization(**org_kwargs(parent=bodies["haishu"]))
    events = AuditEvent.objects.count()
    again = services.upsert_organization(**org_kwargs(parent=bodies["haishu"]))
    assert (first.created, again.created, again.changed) == (True, False, False)
    assert AuditEvent.objects.count() == events
    changed = services.upsert_organization(
        **org_kwargs(parent=bodies["haishu"], phone="0574-12345678")
    )
    assert (changed.created, changed.changed, changed.obj.pk) == (False, True, first.obj.pk)
    event = AuditEvent.objects.latest("id")
    assert event.action == "organization.change"
    assert (event.before["phone"], event.after["phone"]) == ("", "0574-12345678")


def test_halls_are_not_opened_in_villages(bodies):
    with pytest.raises(DomainError) as caught:
        services.create_hall(
            region="330203001001", name="澄浪社区服务大厅", organization=bodies["nanmen"]
        )
    assert caught.value.message == "澄浪社区是村（社区）级区划：村（社区）设便民服务站，不设大厅"


def test_hall_takes_its_regions_level_and_a_managing_body_above_it(bodies):
    hall = services.create_hall(
        region="330203001000", name="南门街道便民服务中心", organization=bodies["nanmen"]
    )
    assert hall.level == "township"
    with pytest.raises(DomainError) as caught:
        services.create_hall(
            region="330203000000", name="海曙区行政服务中心", organization=bodies["nanmen"]
        )
    assert caught.value.message == "管理机构宁波市海曙区南门街道办事处所在的行政区划不包含海曙区"


def test_window_numbers_are_unique_per_hall_and_departments_are_kept(bodies):
    hall = services.create_hall(
        region="330203000000", name="海曙区行政服务中心", organization=bodies["haishu"]
    )
    window = services.create_window(
        hall=hall,
        number="a01",
        name="综合受理窗口",
        kind="comprehensive",
        organizations=[bodies["haishu_market"], bodies["haishu"]],
    )
    assert window.number == "A01"
    assert sorted(window.organizations.values_list("name", flat=True)) == [
        "宁波市海曙区人民政府",
        "宁波市海曙区市场监督管理局",
    ]
    with pytest.raises(Conflict) as caught:
        services.create_window(hall=hall, number="A01", name="市场监管窗口", kind="department")
    assert caught.value.message == "海曙区行政服务中心的 A01 号窗口已存在"
    again = services.upsert_window(
        hall=hall,
        number="A01",
        name="综合受理窗口",
        kind="comprehensive",
        organizations=[bodies["haishu"], bodies["haishu_market"]],
    )
    assert (again.created, again.changed) == (False, False)
    narrowed = services.upsert_window(
        hall=hall,
        number="A01",
        name="综合受理窗口",
        kind="comprehensive",
        organizations=[bodies["haishu_market"]],
    )
    assert narrowed.changed
    assert list(narrowed.obj.organizations.values_list("name", flat=True)) == [
        "宁波市海曙区市场监督管理局"
    ]


def test_station_belongs_to_the_hall_of_its_township(bodies):
    hall = services.create_hall(
        region="330203001000", name="南门街道便民服务中心", organization=bodies["nanmen"]
    )
    station = services.create_station(region="330203001001", name="澄浪社区便民服务站", hall=hall)
    assert ServiceStation.objects.get().hall == hall
    assert str(station) == "澄浪社区便民服务站"
    with pytest.raises(DomainError) as caught:
        services.create_station(region="330203002001", name="新街社区便民服务站", hall=hall)
    assert caught.value.message == "新街社区不在南门街道便民服务中心的服务范围内"
    with pytest.raises(DomainError) as caught:
        services.create_station(region="330203000000", name="海曙区便民服务站")
    assert caught.value.message == "便民服务站应设在乡镇（街道）或村（社区），海曙区是区县级区划"


def test_model_clean_applies_the_same_rules_for_the_admin(bodies):
    from django.core.exceptions import ValidationError

    org = Organization(**{**org_kwargs(level="city"), "region": bodies["haishu"].region})
    with pytest.raises(ValidationError) as caught:
        org.clean()
    assert caught.value.message_dict == {
        "level": ["机构层级（地市级）与所在行政区划海曙区（区县级）不一致"]
    }


def superior(org, parent) -> DomainError:
    with pytest.raises(DomainError) as caught:
        services.upsert_organization(
            region=org.region,
            name=org.name,
            uscc=org.uscc,
            level=org.level,
            kind=org.kind,
            parent=parent,
        )
    assert caught.value.field == "parent"
    return caught.value


def test_superior_body_cannot_be_a_subordinate(bodies):
    error = superior(bodies["haishu"], bodies["haishu_market"])
    assert error.message == (
        "上级机构不能是本机构的下级机构：宁波市海曙区市场监督管理局隶属于宁波市海曙区人民政府"
    )
    # Two levels down: each link is named.
    error = superior(bodies["ningbo"], bodies["nanmen"])
    assert error.message == (
        "上级机构不能是本机构的下级机构：宁波市海曙区南门街道办事处隶属于宁波市海曙区人民政府，"
        "宁波市海曙区人民政府隶属于宁波市人民政府"
    )
    assert Organization.objects.get(pk=bodies["ningbo"].pk).parent_id is None
    assert superior(bodies["haishu"], bodies["haishu"]).message == "上级机构不能是本机构"


def test_walking_up_a_loop_stored_earlier_stops(bodies):
    # A loop written behind the services' back (plain SQL): the walk is bounded.
    Organization.objects.filter(pk=bodies["haishu"].pk).update(parent=bodies["haishu_market"])
    haishu = Organization.objects.get(pk=bodies["haishu"].pk)
    error = superior(bodies["nanmen"], haishu)
    assert error.message == (
        "上级机构宁波市海曙区人民政府之上的隶属关系超过 32 级，其中可能已有循环，"
        "请先检查这些机构的上级机构"
    )


def test_window_departments_are_part_of_the_window_events(bodies):
    hall = services.create_hall(
        region="330203000000", name="海曙区行政服务中心", organization=bodies["haishu"]
    )
    haishu, market = bodies["haishu"].pk, bodies["haishu_market"].pk
    window = services.create_window(
        hall=hall,
        number="A01",
        name="综合受理窗口",
        kind="comprehensive",
        organizations=[bodies["haishu_market"], bodies["haishu"]],
    )
    created = AuditEvent.objects.latest("id")
    assert (created.action, created.before) == ("window.create", None)
    assert created.after == {
        "hall_id": hall.pk,
        "number": "A01",
        "name": "综合受理窗口",
        "kind": "comprehensive",
        "is_active": True,
        "organizations": sorted([haishu, market]),
    }
    services.upsert_window(
        hall=hall,
        number="A01",
        name="综合受理窗口",
        kind="comprehensive",
        organizations=[bodies["haishu_market"]],
    )
    changed = AuditEvent.objects.latest("id")
    assert (changed.action, changed.object_id) == ("window.change", str(window.pk))
    assert (changed.before["organizations"], changed.after["organizations"]) == (
        sorted([haishu, market]),
        [market],
    )


def test_save_object_writes_and_audits_only_real_changes(bodies):
    org = Organization.objects.get(pk=bodies["haishu_market"].pk)
    events = AuditEvent.objects.count()
    org.uscc = org.uscc.lower()
    result = services.save_object(org, actor="user:1", actor_label="admin", ip="10.0.0.1")
    assert (result.created, result.changed) == (False, False)
    assert AuditEvent.objects.count() == events
    org.name = "宁波市海曙区市场监管局"
    assert services.save_object(org, actor="user:1", actor_label="admin", ip="10.0.0.1").changed
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor, event.actor_label, event.ip) == (
        "organization.change",
        "user:1",
        "admin",
        "10.0.0.1",
    )
    assert (event.before["name"], event.after["name"]) == (
        "宁波市海曙区市场监督管理局",
        "宁波市海曙区市场监管局",
    )
    org.name = "宁波市海曙区人民政府"  # a rename onto another body's name
    with pytest.raises(Conflict) as caught:
        services.save_object(org)
    assert caught.value.message == "海曙区机构“宁波市海曙区人民政府”已存在"


def test_deleting_a_body_takes_it_off_its_windows_audited(bodies):
    hall = services.create_hall(
        region="330203000000", name="海曙区行政服务中心", organization=bodies["haishu"]
    )
    civil = services.create_organization(**org_kwargs())
    window = services.create_window(
        hall=hall,
        number="A01",
        name="综合受理窗口",
        kind="comprehensive",
        organizations=[civil, bodies["haishu_market"]],
    )
    since, civil_id = AuditEvent.objects.latest("id").id, civil.pk
    services.delete_object(civil, actor="user:1")
    events = list(AuditEvent.objects.filter(id__gt=since).order_by("id"))
    assert [(e.action, e.object_id) for e in events] == [
        ("window.change", str(window.pk)),
        ("organization.delete", str(civil_id)),
    ]
    assert events[0].after["organizations"] == [bodies["haishu_market"].pk]
    assert (events[1].before["name"], events[1].after) == ("宁波市海曙区民政局", None)
    assert list(window.organizations.values_list("pk", flat=True)) == [bodies["haishu_market"].pk]
