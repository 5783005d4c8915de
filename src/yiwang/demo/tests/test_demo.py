"""``yiwang demo``: the demo province, loaded twice without changing anything."""

import json
from collections import Counter

import pytest

from yiwang.core.identifiers import validate_uscc
from yiwang.core.models import AuditEvent
from yiwang.demo import province
from yiwang.regions.models import (
    Organization,
    Region,
    ServiceHall,
    ServiceStation,
    Window,
)

from .conftest import run_demo

FIRST_RUN = [
    "行政区划 3306 条（新增 3306，更新 0）",
    "实施机构 292 个（新增 292，更新 0）",
    "政务服务大厅 49 个（新增 49，更新 0）",
    "窗口 268 个（新增 268，更新 0）",
    "便民服务站 606 个（新增 606，更新 0）",
]
SECOND_RUN = [
    "行政区划 3306 条（新增 0，更新 0）",
    "实施机构 292 个（新增 0，更新 0）",
    "政务服务大厅 49 个（新增 0，更新 0）",
    "窗口 268 个（新增 0，更新 0）",
    "便民服务站 606 个（新增 0，更新 0）",
]
MODELS = (Region, Organization, ServiceHall, Window, ServiceStation, AuditEvent)


def snapshot() -> dict:
    return {
        "counts": {model.__name__: model.objects.count() for model in MODELS},
        "usccs": dict(Organization.objects.values_list("name", "uscc")),
        "windows": sorted(
            Window.organizations.through.objects.values_list("window_id", "organization_id")
        ),
    }


def test_second_run_changes_nothing(demo):
    # later steps (base libraries, accounts, …) are checked by their own tests
    assert demo[: len(FIRST_RUN)] == FIRST_RUN
    before = snapshot()
    assert run_demo()[: len(SECOND_RUN)] == SECOND_RUN
    assert snapshot() == before  # same rows, same USCCs, same window departments, no audit


def test_every_uscc_is_valid_unique_and_of_a_government_body(demo):
    rows = list(Organization.objects.values_list("uscc", "region_id", "name"))
    assert len({uscc for uscc, _, _ in rows}) == len(rows) == 292
    for uscc, region, name in rows:
        assert validate_uscc(uscc) == uscc
        assert uscc[:2] == "11", name  # 机构编制 registration, 机关 category
        assert uscc[2:8] == (region[:6] if region else "100000"), name
        assert uscc == province.organization_uscc(uscc[2:8], name)


def test_uscc_is_deterministic():
    # Pinned: other loaders and saved demo links may rely on these codes.
    assert province.organization_uscc("330203", "宁波市海曙区市场监督管理局") == (
        "1133020365745842X9"
    )
    assert province.organization_uscc("330000", "浙江省人民政府") == "11330000124530871G"


def test_levels_and_regions_agree(demo):
    assert Counter(Organization.objects.values_list("level", flat=True)) == {
        "national": 1,
        "province": 21,  # no 政务服务管理办公室 at province level
        "city": 22,
        "county": 210,  # 10 × 21: no 数据局 at county level
        "township": 38,
    }
    for org in Organization.objects.select_related("region"):
        if org.region is not None:
            assert org.level == org.region.level, org.name


BODIES = [
    ("国家税务总局", "department", None, None),
    ("浙江省人民政府", "government", "330000000000", None),
    ("浙江省公安厅", "department", "330000000000", "浙江省人民政府"),
    ("浙江省卫生健康委员会", "department", "330000000000", "浙江省人民政府"),
    ("浙江省市场监督管理局", "department", "330000000000", "浙江省人民政府"),
    ("国家税务总局浙江省税务局", "vertical", "330000000000", "国家税务总局"),
    ("宁波市人民政府", "government", "330200000000", "浙江省人民政府"),
    ("宁波市自然资源和规划局", "department", "330200000000", "宁波市人民政府"),
    ("国家税务总局宁波市税务局", "vertical", "330200000000", "国家税务总局"),
    ("宁波市海曙区人民政府", "government", "330203000000", "宁波市人民政府"),
    ("宁波市海曙区卫生健康局", "department", "330203000000", "宁波市海曙区人民政府"),
    ("宁波市公安局海曙分局", "branch", "330203000000", "宁波市公安局"),
    ("宁波市自然资源和规划局海曙分局", "branch", "330203000000", "宁波市自然资源和规划局"),
    ("国家税务总局宁波市海曙区税务局", "vertical", "330203000000", "国家税务总局宁波市税务局"),
    ("余姚市公安局", "department", "330281000000", "余姚市人民政府"),
    ("余姚市自然资源和规划局", "department", "330281000000", "余姚市人民政府"),
    ("宁波市生态环境局余姚分局", "branch", "330281000000", "宁波市生态环境局"),
    ("象山县市场监督管理局", "department", "330225000000", "象山县人民政府"),
    ("宁波市海曙区南门街道办事处", "subdistrict_office", "330203001000", "宁波市海曙区人民政府"),
    ("余姚市鹿亭乡人民政府", "government", "330281201000", "余姚市人民政府"),
]


def test_real_names_and_superior_bodies(demo):
    orgs = {o.name: o for o in Organization.objects.select_related("parent")}
    for name, kind, region, parent in BODIES:
        org = orgs[name]
        assert (org.kind, org.region_id, org.parent.name if org.parent else None) == (
            kind,
            region,
            parent,
        ), name


def test_halls_windows_and_stations(demo):
    city_county = ServiceHall.objects.exclude(level="township").order_by("region_id")
    assert [h.name for h in city_county] == [
        "宁波市行政服务中心",
        "海曙区行政服务中心",
        "江北区行政服务中心",
        "北仑区行政服务中心",
        "镇海区行政服务中心",
        "鄞州区行政服务中心",
        "奉化区行政服务中心",
        "象山县行政服务中心",
        "宁海县行政服务中心",
        "余姚市行政服务中心",
        "慈溪市行政服务中心",
    ]
    haishu = ServiceHall.objects.get(name="海曙区行政服务中心")
    assert haishu.organization.name == "宁波市海曙区政务服务管理办公室"
    assert haishu.opening_hours == "周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）"
    assert [(w.number, w.name, w.kind) for w in haishu.windows.order_by("number")] == [
        ("A01", "综合受理窗口", "comprehensive"),
        ("A02", "综合受理窗口", "comprehensive"),
        ("A03", "综合受理窗口", "comprehensive"),
        ("A04", "综合受理窗口", "comprehensive"),
        ("A05", "综合受理窗口", "comprehensive"),
        ("A06", "综合受理窗口", "comprehensive"),
        ("B01", "公安专窗", "department"),
        ("B02", "税务专窗", "department"),
        ("B03", "不动产登记专窗", "department"),
        ("B04", "社会保险专窗", "department"),
        ("B05", "医疗保障专窗", "department"),
        ("C01", "帮办代办窗口", "help"),
        ("D01", "出件窗口", "delivery"),
        ("E01", "咨询导办台", "consultation"),
    ]
    b03 = haishu.windows.get(number="B03")
    assert sorted(b03.organizations.values_list("name", flat=True)) == sorted(
        [
            "宁波市自然资源和规划局海曙分局",
            "国家税务总局宁波市海曙区税务局",
            "宁波市海曙区住房和城乡建设局",
        ]
    )
    assert haishu.windows.get(number="A01").organizations.count() == 13

    township_halls = ServiceHall.objects.filter(level="township")
    assert township_halls.count() == 17 + 21
    assert township_halls.get(region_id="330203001000").name == "南门街道便民服务中心"

    stations = ServiceStation.objects.select_related("region", "hall")
    assert stations.count() == 280 + 326
    assert all(s.hall.region_id == s.region.parent_id for s in stations)
    assert stations.get(region_id="330203001001").name == "澄浪社区便民服务站"


@pytest.mark.parametrize(
    ("village", "station"),
    [
        ("澄浪社区", "澄浪社区便民服务站"),
        ("石碶村村委会", "石碶村便民服务站"),
        ("东方社区居委会", "东方社区便民服务站"),
        ("环河居民委员会", "环河社区便民服务站"),
        ("三溪农场生活区", "三溪农场生活区便民服务站"),
    ],
)
def test_station_names(village, station):
    assert province.station_name(Region(code="330203001001", name=village)) == station


def test_api_serves_the_demo(demo, client):
    response = client.get("/api/v1/organizations?region=330203&limit=3")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["count"] == 21
    assert [o["name"] for o in body["items"]] == [
        "宁波市海曙区人民政府",
        "宁波市海曙区发展和改革局",
        "宁波市海曙区教育局",
    ]
    body = json.loads(
        client.get("/api/v1/organizations?region=330203&include_descendants=true").content
    )
    assert body["count"] == 21 + 17
