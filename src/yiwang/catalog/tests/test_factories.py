"""The factories build complete, valid catalogue data through the services."""

import pytest

from yiwang.catalog import rules
from yiwang.catalog.constants import VersionStatus

from .factories import BasicItemFactory, ItemVersionFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db


def test_service_item_code_is_uscc_level_and_basic_code():
    item = ServiceItemFactory(basic_item=BasicItemFactory(code="000117009000"))
    assert item.code == f"{item.organization.uscc}4000117009000"
    assert (item.exercise_level, item.region_id) == ("4", "330203000000")


def test_draft_is_complete_and_publishable():
    version = ItemVersionFactory()
    assert version.status == VersionStatus.DRAFT
    assert rules.check_version(version) == []
    assert [m.name for m in version.materials.all()] == ["申请表", "居民身份证"]
    assert [s.name for s in version.steps.all()] == ["受理", "决定"]
    handling = version.handling_items.get()
    assert (handling.name, [m.name for m in handling.materials.all()]) == (
        "新办",
        ["申请表", "居民身份证"],
    )


def test_published_trait_makes_the_current_version():
    version = ItemVersionFactory(published=True, with_fee=True)
    version.item.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert version.item.current_version_id == version.pk
    assert [f.name for f in version.fees.all()] == ["工本费"]


def test_second_published_version_supersedes_the_first():
    first = ItemVersionFactory(published=True)
    second = ItemVersionFactory(
        item=first.item, published=True, max_visits=0, express_delivery_supported=True
    )
    first.refresh_from_db()
    assert (first.status, second.status, second.number) == (
        VersionStatus.SUPERSEDED,
        VersionStatus.PUBLISHED,
        2,
    )
    assert [m.name for m in second.materials.all()] == ["申请表", "居民身份证"]


def test_fully_online_trait():
    version = ItemVersionFactory(fully_online=True, published=True)
    assert (version.is_fully_online, version.max_visits, version.depth_level) == (True, 0, 4)
