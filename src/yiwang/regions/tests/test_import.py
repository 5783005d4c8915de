"""import_regions and ``yiwang regions import``: idempotent bulk upsert with full names."""

import io

import pytest
from django.core.management import call_command

from yiwang.core.errors import DomainError
from yiwang.core.models import AuditEvent
from yiwang.regions.division import RegionRow
from yiwang.regions.models import Region
from yiwang.regions.services import import_regions


def test_import_creates_every_row_with_full_names(db, extract_rows):
    result = import_regions(extract_rows)
    assert (result.total, result.created, result.updated) == (3306, 3306, 0)
    assert Region.objects.count() == 3306
    haishu = Region.objects.get(code="330203000000")
    assert (haishu.name, haishu.level, haishu.parent_id, haishu.full_name) == (
        "海曙区",
        "county",
        "330200000000",
        "浙江省宁波市海曙区",
    )
    assert Region.objects.get(code="330203001001").full_name == "浙江省宁波市海曙区南门街道澄浪社区"


def test_second_import_changes_nothing_and_writes_no_audit_event(
    db, extract_rows, django_assert_max_num_queries
):
    import_regions(extract_rows)
    events = AuditEvent.objects.count()
    with django_assert_max_num_queries(3):  # read what is stored; nothing to write
        result = import_regions(extract_rows)
    assert (result.total, result.created, result.updated, result.unchanged) == (3306, 0, 0, 3306)
    assert AuditEvent.objects.count() == events


def test_import_audits_once_per_run(db, extract_rows):
    import_regions(extract_rows[:12], source="test")
    event = AuditEvent.objects.get(action="regions.import")
    assert event.after == {"source": "test", "total": 12, "created": 12, "updated": 0}


def test_renamed_region_is_updated_with_the_full_names_below_it(db, extract_rows):
    import_regions(extract_rows)
    rows = [
        RegionRow(r.code, "海曙新区", r.parent_code, r.level) if r.code == "330203000000" else r
        for r in extract_rows
    ]
    result = import_regions(rows)
    # 海曙区, its 17 townships and 280 villages
    assert (result.created, result.updated) == (0, 1 + 17 + 280)
    assert Region.objects.get(code="330203000000").full_name == "浙江省宁波市海曙新区"
    assert (
        Region.objects.get(code="330203001001").full_name == "浙江省宁波市海曙新区南门街道澄浪社区"
    )


def test_placeholder_rows_stay_out_of_full_names(db):
    import_regions(
        [
            RegionRow("110000000000", "北京市", None, "province"),
            RegionRow("110100000000", "市辖区", "110000000000", "city"),
            RegionRow("110101000000", "东城区", "110100000000", "county"),
        ]
    )
    assert Region.objects.get(code="110100000000").full_name == "北京市"
    assert Region.objects.get(code="110101000000").full_name == "北京市东城区"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            RegionRow("33020300000X", "海曙区", "330200000000", "county"),
            "第 1 条（33020300000X）：第12位字符“X”无效：应为数字",
        ),
        (
            RegionRow("330203000000", "海曙区", "330200000000", "city"),
            "第 1 条（330203000000）：层级“city”与代码不符",
        ),
        (
            RegionRow("330203000000", "海曙区", "330100000000", "county"),
            "第 1 条（330203000000）：上级区划 330100000000 不包含本区划",
        ),
        (
            RegionRow("330203000000", " ", "330200000000", "county"),
            "第 1 条（330203000000）：名称不能为空",
        ),
        (
            RegionRow("330203000000", "海曙区", "330200000000", "county"),
            "330203000000 海曙区：上级区划 330200000000 不存在",
        ),
    ],
)
def test_bad_rows_are_refused_with_the_row_named(db, row, message):
    with pytest.raises(DomainError) as caught:
        import_regions([row])
    assert caught.value.message == message
    assert Region.objects.count() == 0


def test_import_command_loads_the_committed_extract_twice(db):
    out = io.StringIO()
    call_command("regions", "import", stdout=out)
    call_command("regions", "import", stdout=out)
    assert out.getvalue().splitlines() == [
        "行政区划 3306 条（新增 3306，更新 0）",
        "行政区划 3306 条（新增 0，更新 0）",
    ]


def test_import_command_reads_a_division_dir(db, tmp_path):
    (tmp_path / "provinces.csv").write_text('code,name\n33,"浙江省"\n', encoding="utf-8")
    (tmp_path / "cities.csv").write_text(
        'code,name,provinceCode\n3302,"宁波市",33\n', encoding="utf-8"
    )
    (tmp_path / "areas.csv").write_text(
        'code,name,cityCode,provinceCode\n330203,"海曙区",3302,33\n', encoding="utf-8"
    )
    (tmp_path / "streets.csv").write_text(
        'code,name,areaCode,provinceCode,cityCode\n330203001,"南门街道",330203,33,3302\n',
        encoding="utf-8",
    )
    (tmp_path / "villages.csv").write_text(
        "code,name,streetCode,provinceCode,cityCode,areaCode\n"
        '330203001001,"澄浪社区",330203001,33,3302,330203\n',
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command(
        "regions", "import", "--division-dir", str(tmp_path), "--province", "33", stdout=out
    )
    assert out.getvalue() == "行政区划 5 条（新增 5，更新 0）\n"
    assert Region.objects.get(code="330203001001").full_name == "浙江省宁波市海曙区南门街道澄浪社区"
