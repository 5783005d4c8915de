"""``yiwang baselib import``: real CSV files, all or nothing, upsert, one audit event."""

from __future__ import annotations

import io
import random
import re
import time

import pytest
from django.core.management import CommandError, call_command

from yiwang.core.identifiers import generate_person_id, generate_uscc
from yiwang.core.models import AuditEvent
from yiwang.integrations.baselib import DatabaseVerifier
from yiwang.integrations.importing import ImportRejected, import_csv, sample_csv
from yiwang.integrations.models import LegalEntityRecord, PopulationRecord

pytestmark = pytest.mark.django_db

RNG = random.Random(7)
ID_A = generate_person_id(RNG, region="330203")
ID_B = generate_person_id(RNG, region="330281")
USCC_A = generate_uscc(RNG, region="330203")
# A valid ID number with its last character changed: the validator names the check character.
BAD_ID = ID_A[:17] + ("0" if ID_A[17] != "0" else "1")

PERSONS_ZH = (
    "姓名,身份证号,手机号码,社保卡号,银行卡号,公积金账号,驾驶证档案编号\n"
    f"王小明,{ID_A},138 0013 8000,A1234 5678,6222-0212-3456-7890,,\n"
    f"李芳,{ID_B.lower()},13900139000,,,GJJ0001,\n"
)


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("baselib", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text: str, *, bom: bool = False, name: str = "data.csv"):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def test_import_persons_with_chinese_headers_and_bom(tmp_path):
    out, err = run("import", "persons", str(write(tmp_path, PERSONS_ZH, bom=True)))
    assert out == "人口库导入完成：新增 2，更新 0，未变 0，跳过 0\n"
    assert err == ""
    wang = PopulationRecord.objects.get(name="王小明")
    assert wang.id_number == ID_A
    assert wang.phone == "13800138000"
    assert wang.social_security_card == "A12345678"
    assert wang.bank_card == "6222021234567890"
    assert wang.housing_fund_account == ""
    assert wang.source == "data.csv"
    li = PopulationRecord.objects.get(name="李芳")
    assert li.id_number == ID_B.upper()
    check = DatabaseVerifier().verify_person(
        name="李芳",
        id_number=ID_B,
        factors={"phone": "13900139000", "housing_fund_account": "gjj0001"},
    )
    assert check.matched is True


def test_identifiers_are_encrypted_in_the_database(tmp_path):
    run("import", "persons", str(write(tmp_path, PERSONS_ZH)))
    raw = PopulationRecord.objects.values_list("id_number", "phone").order_by("pk").query
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(str(raw).replace("\n", " "))
        stored = cursor.fetchall()
    assert all(ID_A not in value and "13800138000" not in value for row in stored for value in row)


def test_import_with_english_headers_and_no_bom(tmp_path):
    text = f"name,id_number,phone\n张伟,{ID_A},13800138000\n"
    out, _ = run("import", "persons", str(write(tmp_path, text)))
    assert out == "人口库导入完成：新增 1，更新 0，未变 0，跳过 0\n"


def test_second_import_of_the_same_file_changes_nothing_then_updates(tmp_path):
    path = write(tmp_path, PERSONS_ZH)
    run("import", "persons", str(path))
    before = {p.pk: p.updated_at for p in PopulationRecord.objects.all()}
    out, _ = run("import", "persons", str(path))
    assert out == "人口库导入完成：新增 0，更新 0，未变 2，跳过 0\n"
    assert {p.pk: p.updated_at for p in PopulationRecord.objects.all()} == before
    changed = PERSONS_ZH.replace("13900139000", "13700137000")
    out, _ = run("import", "persons", str(write(tmp_path, changed, name="v2.csv")))
    assert out == "人口库导入完成：新增 0，更新 1，未变 1，跳过 0\n"
    assert PopulationRecord.objects.get(name="李芳").phone == "13700137000"
    assert PopulationRecord.objects.count() == 2


def test_bad_rows_are_reported_with_line_and_validator_message_and_nothing_imported(tmp_path):
    text = (
        "姓名,公民身份号码,手机号码\n"
        f"王小明,{ID_A},13800138000\n"
        f"赵六,{BAD_ID},13800138001\n"
        "\n"
        f",{ID_B},\n"
        f"孙七,{ID_A},12345\n"
        f"周八,{ID_A},\n"
    )
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "baselib", "import", "persons", str(write(tmp_path, text)), stderr=io.StringIO()
        )
    assert str(excinfo.value) == (
        "有 4 行数据不合格，未导入任何数据"
        "（共 4 行；改正后重新导入，或加 --skip-invalid 只导入合格的行）"
    )
    assert PopulationRecord.objects.count() == 0
    assert AuditEvent.objects.filter(action="baselib.import").count() == 0
    with pytest.raises(ImportRejected) as rejected:
        import_csv("persons", text)
    messages = [str(e) for e in rejected.value.errors]
    assert messages[0].startswith("第 3 行：公民身份号码：校验码错误")
    assert messages[1:] == [
        "第 5 行：姓名：不能为空",
        "第 6 行：手机号码：格式不正确",
        "第 7 行：公民身份号码与第 2 行重复",
    ]


def test_skip_invalid_imports_the_good_rows_and_reports_the_rest(tmp_path):
    text = f"姓名,公民身份号码\n王小明,{ID_A}\n赵六,{BAD_ID}\n"
    out, err = run("import", "persons", str(write(tmp_path, text)), "--skip-invalid")
    assert out == "人口库导入完成：新增 1，更新 0，未变 0，跳过 1\n"
    assert err.startswith("第 3 行：公民身份号码：校验码错误")
    assert err.endswith("（已跳过）\n")
    event = AuditEvent.objects.get(action="baselib.import")
    assert event.after == {
        "library": "persons",
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "source": "data.csv",
    }
    assert event.object_type == "population_record"
    assert event.actor == "system"
    assert event.actor_label == "yiwang baselib import"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "文件为空：第 1 行应为列名"),
        ("姓名,电话号\n", "第 1 行：无法识别的列名“电话号”"),
        ("姓名,手机号码\n", "第 1 行：缺少必需的列：公民身份号码"),
        ("姓名,身份证号,公民身份号码\n", "第 1 行：列“公民身份号码”重复"),
    ],
)
def test_bad_headers(tmp_path, text, message):
    with pytest.raises(CommandError, match=f"^{re.escape(message)}$"):
        run("import", "persons", str(write(tmp_path, text)))


def test_not_utf8_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(f"姓名,公民身份号码\n王小明,{ID_A}\n".encode("gbk"))
    with pytest.raises(CommandError, match=r"^第 1 行：文件不是 UTF-8 编码"):
        run("import", "persons", str(path))


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"^找不到文件："):
        run("import", "persons", str(tmp_path / "nope.csv"))


def test_import_enterprises(tmp_path):
    text = (
        "统一社会信用代码,名称,主体类型,登记状态,法定代表人,法定代表人身份证号,登记机关区划\n"
        f"{USCC_A.lower()},宁波甬江科技有限公司,有限责任公司,存续,王小明,{ID_A},330203\n"
        f"{USCC_A[:17]}0,错误公司,,,李四,{ID_B},\n"
        f"{generate_uscc(RNG)},宁波旧厂,,注销,李芳,{ID_B},33020\n"
    )
    with pytest.raises(ImportRejected) as exc:
        import_csv("enterprises", text)
    messages = [str(e) for e in exc.value.errors]
    assert len(messages) == 2
    assert messages[0].startswith("第 3 行：统一社会信用代码：")
    assert messages[1] == "第 4 行：登记机关区划：长度错误：应为6位或12位，实为5位"
    out, _ = run("import", "enterprises", str(write(tmp_path, text)), "--skip-invalid")
    assert out == "法人库导入完成：新增 1，更新 0，未变 0，跳过 2\n"
    record = LegalEntityRecord.objects.get()
    assert (record.uscc, record.status, record.region_code) == (USCC_A, "active", "330203000000")
    assert record.legal_representative_id_number == ID_A
    check = DatabaseVerifier().verify_enterprise(
        uscc=USCC_A,
        name="宁波甬江科技有限公司",
        legal_representative_name="王小明",
        legal_representative_id_number=ID_A,
    )
    assert check.is_active is True


def test_export_sample_round_trips(tmp_path):
    path = tmp_path / "sample.csv"
    out, _ = run("export-sample", "persons", "-o", str(path))
    assert out == f"已写入 {path}\n"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf\xe5\xa7\x93\xe5\x90\x8d")  # BOM + 姓名
    run("import", "persons", str(path))
    enterprises = tmp_path / "e.csv"
    run("export-sample", "enterprises", "-o", str(enterprises))
    out, _ = run("import", "enterprises", str(enterprises))
    assert out == "法人库导入完成：新增 2，更新 0，未变 0，跳过 0\n"
    assert sample_csv("persons").splitlines()[0] == (
        "姓名,公民身份号码,手机号码,社会保障卡号,银行卡号,住房公积金账号,驾驶证档案编号"
    )
    # the samples' legal representatives are the sample persons
    for record in LegalEntityRecord.objects.all():
        person = PopulationRecord.objects.get(name=record.legal_representative_name)
        assert person.id_number == record.legal_representative_id_number


def test_ten_thousand_rows_import_in_a_few_seconds(tmp_path):
    rng = random.Random(10_000)
    lines = ["name,id_number,phone,bank_card"]
    ids = set()
    while len(ids) < 10_000:
        ids.add(generate_person_id(rng, region=rng.choice(["330203", "330281", "330212"])))
    for n, person_id in enumerate(sorted(ids)):
        lines.append(f"测试{n},{person_id},13{n:09d},6222{n:015d}")
    path = write(tmp_path, "\n".join(lines) + "\n")
    started = time.monotonic()
    out, _ = run("import", "persons", str(path))
    first = time.monotonic() - started
    assert out == "人口库导入完成：新增 10000，更新 0，未变 0，跳过 0\n"
    started = time.monotonic()
    out, _ = run("import", "persons", str(path))
    again = time.monotonic() - started
    assert out == "人口库导入完成：新增 0，更新 0，未变 10000，跳过 0\n"
    assert first < 15
    assert again < 15
