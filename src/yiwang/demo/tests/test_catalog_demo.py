"""The demo catalogue: ≥ 300 published items at every level, every one consistent and
publishable, a second run that changes nothing, and ``--scale`` for benchmarks."""

import io
from collections import Counter
from dataclasses import replace

import pytest
from django.core.management import call_command

from yiwang.catalog import rules, search
from yiwang.catalog.constants import VersionStatus
from yiwang.catalog.identifiers import parse_implementation_code
from yiwang.catalog.models import BasicItem, ItemVersion, Material, ServiceItem
from yiwang.core.models import AuditEvent
from yiwang.demo import catalog
from yiwang.demo.catalog_data import ITEMS, forms

from .conftest import run_demo

# 104 basic items: 15 implemented by a province department, 59 by a 宁波市 department, 86 by
# the county departments of the three catalogue counties, 1 by every township of Haishu and
# Yuyao (38) and 1 by their 镇/乡 governments only (23).
PER_LEVEL = {"2": 15, "3": 59, "4": 86 * 3, "5": 38 + 23}
TOTAL = sum(PER_LEVEL.values())


def _catalogue_lines(lines):
    return [line for line in lines if line.startswith(("目录清单事项", "实施清单事项"))]


def test_at_least_300_published_items_at_every_level(demo):
    assert _catalogue_lines(demo) == [
        f"目录清单事项 {len(ITEMS)} 项（新增 {len(ITEMS)}，更新 0）",
        f"实施清单事项 {TOTAL} 项（新增 {TOTAL}，更新 0）",
    ]
    items = ServiceItem.objects.exclude(basic_item__code__startswith=catalog.SYNTHETIC_PREFIX)
    assert TOTAL >= 300
    assert items.count() == TOTAL
    assert not items.filter(current_version__isnull=True).exists()
    assert Counter(items.values_list("exercise_level", flat=True)) == PER_LEVEL
    assert BasicItem.objects.filter(code__in=[i.code for i in ITEMS]).count() == len(ITEMS) >= 80


def test_codes_are_valid_and_three_levels_four_same(demo):
    for item in ServiceItem.objects.select_related("organization", "basic_item", "current_version"):
        parts = parse_implementation_code(item.code)
        assert parts.uscc == item.organization.uscc
        assert parts.basic_code == item.basic_item.code
        assert item.current_version.name == item.basic_item.name
    # 三级四同: the same basic item has one name and one basis wherever it is implemented
    by_code = {}
    for code, name, basis in ItemVersion.objects.filter(status=VersionStatus.PUBLISHED).values_list(
        "item__basic_item__code", "name", "legal_basis"
    ):
        assert by_code.setdefault(code, (name, basis)) == (name, basis)


def test_catalog_check_finds_nothing(demo):
    out = io.StringIO()
    call_command("catalog", "check", stdout=out)  # exits with status 1 on any problem
    assert f"检查了 {TOTAL} 个已发布事项：未发现问题" in out.getvalue()
    versions = ItemVersion.objects.filter(status=VersionStatus.PUBLISHED).prefetch_related(
        *rules.VERSION_PREFETCH
    )
    assert all(rules.check_version(v) == [] for v in versions.select_related("item__basic_item"))


def test_guides_are_complete(demo):
    versions = ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
    for version in versions.prefetch_related("materials", "steps", "handling_items", "themes"):
        assert version.materials.exists() or version.no_materials_required, version
        assert version.steps.count() >= 4, version
        assert version.handling_items.exists(), version
        assert version.themes.exists(), version
        assert version.result_name and version.handling_address and version.working_hours
        assert version.consultation_phone != version.supervision_phone
        if version.is_fully_online:
            assert version.max_visits == 0
    # 居民身份证: 工本费 20元, paid online
    card = versions.filter(name="居民身份证申领、换领、补领").first()
    assert not card.is_free and card.online_payment_supported
    assert "20元" in card.fees.get().standard
    # city and county items sit in their region's hall, at the windows serving the body
    marriage = versions.filter(name="内地居民结婚登记").select_related("item__organization")
    for version in marriage:
        hall = version.halls.get()
        assert hall.region_id == version.item.organization.region_id
        assert all(
            version.item.organization in w.organizations.all() for w in version.windows.all()
        )


@pytest.mark.skipif(not forms.available(), reason="the CJK font is not installed")
def test_blank_forms_are_real_pdfs_with_embedded_font(demo):
    material = Material.objects.filter(name="《公司登记（备案）申请书》").first()
    with material.blank_form.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    assert b"FontFile2" in data  # the TrueType subset is embedded, not a CID reference
    assert forms.render("company_application") == forms.render("company_application")


def test_second_run_creates_no_version(demo):
    versions, events = ItemVersion.objects.count(), AuditEvent.objects.count()
    lines = run_demo()
    assert _catalogue_lines(lines) == [
        f"目录清单事项 {len(ITEMS)} 项（新增 0，更新 0）",
        f"实施清单事项 {TOTAL} 项（新增 0，更新 0）",
    ]
    assert ItemVersion.objects.count() == versions
    assert AuditEvent.objects.count() == events


def test_a_changed_guide_gets_exactly_one_new_version(demo, monkeypatch):
    first = ITEMS[0]
    changed = replace(first, promised=first.promised - 1)
    monkeypatch.setattr(catalog, "ITEMS", (changed, *ITEMS[1:]))
    before = ItemVersion.objects.count()
    catalog.load_catalog()
    implemented = ServiceItem.objects.filter(basic_item__code=first.code).count()
    assert ItemVersion.objects.count() == before + implemented
    assert set(
        ItemVersion.objects.filter(
            item__basic_item__code=first.code, status=VersionStatus.PUBLISHED
        ).values_list("number", "promised_time_limit")
    ) == {(2, first.promised - 1)}


def test_scale_adds_exactly_the_items_asked_for(demo):
    before = ServiceItem.objects.count()
    out = io.StringIO()
    call_command("demo", "--only", "catalog", "--scale", "1000", stdout=out)
    assert "合成事项 1000 项" in out.getvalue()
    synthetic = ServiceItem.objects.filter(basic_item__code__startswith=catalog.SYNTHETIC_PREFIX)
    assert ServiceItem.objects.count() == before + 1000 == before + synthetic.count()
    assert not synthetic.filter(current_version__isnull=True).exists()
    for item in synthetic.select_related("organization", "basic_item")[:50]:
        assert parse_implementation_code(item.code).uscc == item.organization.uscc
    name = synthetic.select_related("basic_item").first().basic_item.name
    results = search.search(name)
    assert results.total >= 1
    assert results.results[0].name == name
    # readable like any published item, and the catalogue check still passes
    version = synthetic.first().current_version
    assert version.is_fully_online == (version.max_visits == 0)
    # it carries the 目录清单 facts a publication copies, as the API and the guide show them
    basic = version.item.basic_item
    assert (version.guide_item_type, version.guide_basic_legal_basis) == (
        basic.item_type,
        basic.legal_basis,
    )
    # and so does every published guide of the demo, synthetic or not
    assert not ItemVersion.objects.filter(
        status=VersionStatus.PUBLISHED, item_type__isnull=True
    ).exists()
    call_command("catalog", "check", stdout=io.StringIO())
    # a second --scale continues after the first, never reusing a code
    catalog.scale(10)
    assert synthetic.count() == 1010
