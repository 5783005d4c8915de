"""The admin pages of the regions app render, use autocomplete widgets and audit their writes."""

import pytest
from django.urls import reverse

from yiwang.core.models import AuditEvent
from yiwang.regions import services
from yiwang.regions.models import Organization, ServiceHall

from .conftest import uscc


@pytest.fixture
def hall(bodies):
    hall = services.create_hall(
        region="330203000000", name="海曙区行政服务中心", organization=bodies["haishu"]
    )
    services.create_window(hall=hall, number="A01", name="综合受理窗口", kind="comprehensive")
    services.create_station(region="330203001001", name="澄浪社区便民服务站")
    return hall


@pytest.mark.parametrize(
    "model", ["region", "organization", "servicehall", "window", "servicestation"]
)
def test_changelist_and_change_pages_render(admin_client, hall, model):
    response = admin_client.get(reverse(f"admin:regions_{model}_changelist"))
    assert response.status_code == 200
    first = response.context["cl"].result_list[0]
    response = admin_client.get(reverse(f"admin:regions_{model}_change", args=[first.pk]))
    assert response.status_code == 200
    # No <select> listing 3 306 regions: foreign keys to regions are autocomplete widgets.
    assert response.content.count(b"<option") < 100


def test_regions_cannot_be_added_or_deleted_in_the_admin(admin_client, regions):
    assert admin_client.get(reverse("admin:regions_region_add")).status_code == 403
    url = reverse("admin:regions_region_delete", args=["330203000000"])
    assert admin_client.get(url).status_code == 403


def test_region_autocomplete_finds_by_name(admin_client, bodies):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "海曙",
            "app_label": "regions",
            "model_name": "organization",
            "field_name": "region",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"][0] == {
        "id": "330203000000",
        "text": "浙江省宁波市海曙区（330203000000）",
    }


def test_admin_change_is_audited_and_checked_by_the_rules(admin_client, bodies):
    org = bodies["haishu_market"]
    url = reverse("admin:regions_organization_change", args=[org.pk])
    form = {
        "name": org.name,
        "short_name": "区市场监管局",
        "uscc": org.uscc,
        "level": "county",
        "kind": "department",
        "region": "330203000000",
        "parent": str(bodies["haishu"].pk),
        "phone": "",
        "address": "",
        "is_active": "on",
    }
    assert admin_client.post(url, form).status_code == 302
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.before["short_name"], event.after["short_name"]) == (
        "organization.change",
        "",
        "区市场监管局",
    )
    response = admin_client.post(url, {**form, "level": "city"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "level": ["机构层级（地市级）与所在行政区划海曙区（区县级）不一致"]
    }
    assert Organization.objects.get(pk=org.pk).level == "county"


# --- every admin write goes through the services ------------------------------------------


def org_form(org, **overrides) -> dict:
    form = {
        "name": org.name,
        "short_name": org.short_name,
        "uscc": org.uscc,
        "level": org.level,
        "kind": org.kind,
        "region": org.region_id or "",
        "parent": str(org.parent_id or ""),
        "phone": org.phone,
        "address": org.address,
        "is_active": "on",
    }
    return {**form, **overrides}


def form_errors(response) -> dict:
    assert response.status_code == 200, response
    return response.context["adminform"].form.errors


def new_events(since: int) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(id__gt=since).order_by("id").values_list("action", "object_id")
    )


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_superior_body_cannot_be_a_subordinate(admin_client, bodies):
    haishu = bodies["haishu"]
    url = reverse("admin:regions_organization_change", args=[haishu.pk])
    since = last_event_id()
    response = admin_client.post(url, org_form(haishu, parent=str(bodies["haishu_market"].pk)))
    assert form_errors(response) == {
        "parent": [
            "上级机构不能是本机构的下级机构：宁波市海曙区市场监督管理局隶属于宁波市海曙区人民政府"
        ]
    }
    assert Organization.objects.get(pk=haishu.pk).parent_id == bodies["ningbo"].pk
    assert new_events(since) == []


def test_saving_an_unchanged_body_with_a_lower_case_uscc_records_nothing(admin_client, bodies):
    org = bodies["haishu_market"]
    url = reverse("admin:regions_organization_change", args=[org.pk])
    since = last_event_id()
    response = admin_client.post(url, org_form(org, uscc=org.uscc.lower()))
    assert response.status_code == 302
    assert Organization.objects.get(pk=org.pk).uscc == org.uscc
    assert new_events(since) == []


def test_empty_organization_form_shows_one_message_per_field(admin_client, regions):
    response = admin_client.post(reverse("admin:regions_organization_add"), {"is_active": "on"})
    assert form_errors(response) == {
        "name": ["这个字段是必填项。"],
        "uscc": ["这个字段是必填项。"],
        "level": ["这个字段是必填项。"],
        "kind": ["这个字段是必填项。"],
    }


def test_duplicate_uscc_and_name_are_named_in_chinese(admin_client, bodies):
    url = reverse("admin:regions_organization_add")
    civil = {
        "name": "宁波市海曙区民政局",
        "uscc": bodies["haishu"].uscc,
        "level": "county",
        "kind": "department",
        "region": "330203000000",
        "parent": str(bodies["haishu"].pk),
        "is_active": "on",
    }
    assert form_errors(admin_client.post(url, civil)) == {
        "uscc": [f"统一社会信用代码 {bodies['haishu'].uscc} 已被“宁波市海曙区人民政府”使用"]
    }
    taken = {**civil, "name": "宁波市海曙区市场监督管理局", "uscc": uscc("civil", "330203")}
    assert form_errors(admin_client.post(url, taken)) == {
        "name": ["海曙区机构“宁波市海曙区市场监督管理局”已存在"]
    }
    assert form_errors(admin_client.post(url, {**taken, "uscc": ""})) == {
        "uscc": ["这个字段是必填项。"],
        "name": ["海曙区机构“宁波市海曙区市场监督管理局”已存在"],
    }


def test_window_departments_are_audited_with_the_window(admin_client, hall, bodies):
    window = hall.windows.get()
    url = reverse("admin:regions_window_change", args=[window.pk])
    form = {
        "hall": str(hall.pk),
        "number": "A01",
        "name": "综合受理窗口",
        "kind": "comprehensive",
        "organizations": [str(bodies["haishu_market"].pk), str(bodies["haishu"].pk)],
        "is_active": "on",
    }
    since = last_event_id()
    assert admin_client.post(url, form).status_code == 302
    assert new_events(since) == [("window.change", str(window.pk))]
    event = AuditEvent.objects.latest("id")
    assert (event.before["organizations"], event.after["organizations"]) == (
        [],
        sorted([bodies["haishu"].pk, bodies["haishu_market"].pk]),
    )
    assert event.before["name"] == event.after["name"] == "综合受理窗口"
    assert sorted(window.organizations.values_list("pk", flat=True)) == sorted(
        [bodies["haishu"].pk, bodies["haishu_market"].pk]
    )
    since = last_event_id()
    assert admin_client.post(url, form).status_code == 302  # the same again: nothing changed
    assert new_events(since) == []


def hall_form(hall, windows: list[dict], initial: int) -> dict:
    form = {
        "name": hall.name,
        "region": hall.region_id,
        "organization": str(hall.organization_id),
        "address": hall.address,
        "phone": hall.phone,
        "opening_hours": hall.opening_hours,
        "is_active": "on",
        "windows-TOTAL_FORMS": str(len(windows)),
        "windows-INITIAL_FORMS": str(initial),
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "1000",
    }
    for index, window in enumerate(windows):
        form.update({f"windows-{index}-{key}": value for key, value in window.items()})
    return form


def test_windows_edited_on_the_hall_page_are_audited_as_windows(admin_client, hall, bodies):
    a01 = hall.windows.get()
    url = reverse("admin:regions_servicehall_change", args=[hall.pk])
    existing = {
        "id": str(a01.pk),
        "hall": str(hall.pk),
        "number": "A01",
        "name": "综合受理窗口（一窗受理）",
        "kind": "comprehensive",
        "is_active": "on",
    }
    added = {
        "hall": str(hall.pk),
        "number": "b02",
        "name": "市场监管窗口",
        "kind": "department",
        "organizations": [str(bodies["haishu_market"].pk)],
        "is_active": "on",
    }
    since = last_event_id()
    response = admin_client.post(url, hall_form(hall, [existing, added], initial=1))
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    b02 = hall.windows.get(number="B02")
    assert new_events(since) == [("window.change", str(a01.pk)), ("window.create", str(b02.pk))]
    renamed, created = AuditEvent.objects.filter(id__gt=since).order_by("id")
    assert (renamed.before["name"], renamed.after["name"]) == (
        "综合受理窗口",
        "综合受理窗口（一窗受理）",
    )
    assert created.after["organizations"] == [bodies["haishu_market"].pk]

    since = last_event_id()
    unchanged = {**added, "id": str(b02.pk), "number": "B02"}
    response = admin_client.post(url, hall_form(hall, [existing, unchanged], initial=2))
    assert response.status_code == 302
    assert new_events(since) == []  # neither the hall nor a window changed

    response = admin_client.post(
        url, hall_form(hall, [existing, {**unchanged, "DELETE": "on"}], initial=2)
    )
    assert response.status_code == 302
    assert new_events(since) == [("window.delete", str(b02.pk))]
    deleted = AuditEvent.objects.latest("id")
    assert (deleted.before["number"], deleted.after) == ("B02", None)


def test_duplicate_window_number_on_the_hall_page_is_a_form_error(admin_client, hall):
    url = reverse("admin:regions_servicehall_change", args=[hall.pk])
    a01 = hall.windows.get()
    existing = {"id": str(a01.pk), "hall": str(hall.pk), "number": "A01", "name": "综合受理窗口"}
    existing["kind"] = "comprehensive"
    duplicate = {"hall": str(hall.pk), "number": "a01", "name": "第二个窗口", "kind": "help"}
    response = admin_client.post(url, hall_form(hall, [existing, duplicate], initial=1))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors == [{}, {"number": ["海曙区行政服务中心的 A01 号窗口已存在"]}]


def test_deleting_a_hall_audits_its_windows_and_stations(admin_client, bodies):
    township = services.create_hall(
        region="330203001000", name="南门街道便民服务中心", organization=bodies["nanmen"]
    )
    window = services.create_window(hall=township, number="1", name="综合窗口", kind="help")
    station = services.create_station(region="330203001001", name="澄浪社区", hall=township)
    since = last_event_id()
    url = reverse("admin:regions_servicehall_delete", args=[township.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert new_events(since) == [
        ("window.delete", str(window.pk)),
        ("station.change", str(station.pk)),
        ("hall.delete", str(township.pk)),
    ]
    station.refresh_from_db()
    assert station.hall_id is None


def test_a_hall_added_with_its_windows_audits_each(admin_client, bodies):
    hall = ServiceHall(
        name="海曙区第二行政服务中心", region_id="330203000000", organization=bodies["haishu"]
    )
    window = {"number": "c01", "name": "出件窗口", "kind": "delivery", "is_active": "on"}
    since = last_event_id()
    response = admin_client.post(
        reverse("admin:regions_servicehall_add"), hall_form(hall, [window], initial=0)
    )
    assert response.status_code == 302
    created = ServiceHall.objects.get(name="海曙区第二行政服务中心")
    c01 = created.windows.get()
    assert (created.level, c01.number) == ("county", "C01")
    assert new_events(since) == [("hall.create", str(created.pk)), ("window.create", str(c01.pk))]


def test_events_record_the_user_and_the_clients_address_behind_a_proxy(
    admin_client, admin_user, bodies, settings
):
    settings.PROXY_COUNT = 1
    org = bodies["haishu_market"]
    url = reverse("admin:regions_organization_change", args=[org.pk])
    response = admin_client.post(
        url,
        org_form(org, phone="0574-87654321"),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor, event.actor_label, event.ip) == (
        "organization.change",
        f"user:{admin_user.pk}",
        admin_user.username,
        "203.0.113.7",
    )
