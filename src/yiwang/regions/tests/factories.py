"""factory_boy factories for the regions app, for this app's tests and every later app's.

They build through ``yiwang.regions.services`` — never ``Model.objects.create`` — so test data
obeys the same rules and writes the same audit events as real data. Regions come from the
committed extract: ``ensure_region("330203000000")`` imports that region and its ancestors only.

    OrganizationFactory()                        # a county department of 海曙区
    OrganizationFactory(government=True)         # 海曙区人民政府-like body
    WindowFactory(hall=hall, comprehensive=True) # a 综合受理 window
"""

from __future__ import annotations

import random
from functools import cache

import factory

from yiwang.core.identifiers import generate_uscc, region_level
from yiwang.regions import services
from yiwang.regions.division import RegionRow, read_extract
from yiwang.regions.models import Organization, Region, ServiceHall, ServiceStation, Window

HAISHU = "330203000000"
HAISHU_VILLAGE = "330203001001"


@cache
def _extract() -> dict[str, RegionRow]:
    return {row.code: row for row in read_extract()}


def ensure_region(code: str) -> Region:
    """Import ``code`` and its ancestors from the committed extract (idempotent)."""
    rows = _extract()
    path = []
    current: str | None = code
    while current is not None:
        path.append(rows[current])
        current = rows[current].parent_code
    services.import_regions(reversed(path))
    return Region.objects.get(code=code)


def _uscc(seed: int, region: str) -> str:
    return generate_uscc(random.Random(f"factory:{seed}"), region=region[:6], authority="1")


class OrganizationFactory(factory.Factory):
    class Meta:
        model = Organization

    region = HAISHU
    name = factory.Sequence(lambda n: f"测试局{n}")
    uscc = factory.LazyAttributeSequence(lambda o, n: _uscc(n, o.region))
    # organisation levels below national carry the names of the region levels
    level = factory.LazyAttribute(lambda o: region_level(o.region))
    kind = "department"
    parent = None

    class Params:
        government = factory.Trait(
            kind="government",
            name=factory.Sequence(lambda n: f"测试人民政府{n}"),
        )

    @classmethod
    def _create(cls, model_class, **kwargs):
        ensure_region(kwargs["region"])
        return services.create_organization(**kwargs)


class ServiceHallFactory(factory.Factory):
    class Meta:
        model = ServiceHall

    region = HAISHU
    name = factory.Sequence(lambda n: f"测试行政服务中心{n}")
    organization = factory.SubFactory(
        OrganizationFactory, region=factory.SelfAttribute("..region"), kind="hall_management"
    )
    address = "宁波市海曙区测试路1号"
    phone = "0574-12345678"
    opening_hours = "周一至周五 9:00–12:00，13:30–17:00"

    @classmethod
    def _create(cls, model_class, **kwargs):
        ensure_region(kwargs["region"])
        return services.create_hall(**kwargs)


class WindowFactory(factory.Factory):
    class Meta:
        model = Window

    hall = factory.SubFactory(ServiceHallFactory)
    number = factory.Sequence(lambda n: f"T{n:02d}")
    name = "部门专窗"
    kind = "department"
    organizations = ()

    class Params:
        comprehensive = factory.Trait(kind="comprehensive", name="综合受理窗口")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.create_window(**kwargs)


class ServiceStationFactory(factory.Factory):
    class Meta:
        model = ServiceStation

    region = HAISHU_VILLAGE
    name = factory.Sequence(lambda n: f"测试便民服务站{n}")
    hall = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        ensure_region(kwargs["region"])
        return services.create_station(**kwargs)
