"""The factories build valid data through the services, as later apps' tests will use them."""

from yiwang.core.identifiers import validate_uscc
from yiwang.core.models import AuditEvent
from yiwang.regions.models import Organization, Region
from yiwang.regions.tests.factories import (
    OrganizationFactory,
    ServiceHallFactory,
    ServiceStationFactory,
    WindowFactory,
    ensure_region,
)


def test_ensure_region_imports_only_the_path_to_the_region(db):
    region = ensure_region("330203001001")
    assert region.full_name == "浙江省宁波市海曙区南门街道" + region.name
    assert list(Region.objects.order_by("code").values_list("code", flat=True)) == [
        "330000000000",
        "330200000000",
        "330203000000",
        "330203001000",
        "330203001001",
    ]


def test_organization_factory_goes_through_the_service(db):
    org = OrganizationFactory()
    assert validate_uscc(org.uscc) == org.uscc
    assert (org.level, org.kind, org.region_id) == ("county", "department", "330203000000")
    assert list(
        AuditEvent.objects.filter(object_type="organization").values_list("action", "object_id")
    ) == [("organization.create", str(org.pk))]

    government = OrganizationFactory(government=True, region="330200000000")
    assert (government.level, government.kind) == ("city", "government")
    assert Organization.objects.count() == 2


def test_window_and_station_factories(db):
    window = WindowFactory(comprehensive=True)
    assert (window.kind, window.name, window.hall.level) == (
        "comprehensive",
        "综合受理窗口",
        "county",
    )
    station = ServiceStationFactory()
    assert station.region.level == "village"
    hall = ServiceHallFactory(region="330281000000")
    assert hall.organization.region_id == "330281000000"
