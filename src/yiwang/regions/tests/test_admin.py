"""The admin pages of the regions app render, use autocomplete widgets and audit their writes."""

import pytest
from django.urls import reverse

from yiwang.core.models import AuditEvent
from yiwang.regions import services
from yiwang.regions.models import Organization


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
