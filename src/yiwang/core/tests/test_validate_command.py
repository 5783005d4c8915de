"""``yiwang validate KIND VALUE``: output and exit status, in-process and as the real console
script."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from yiwang.core.identifiers import person_id_check_char

EXAMPLE = "11010519491231002X"  # GB 11643-1999's own example
YIWANG = Path(sys.executable).with_name("yiwang")


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("validate", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_valid_person_id():
    assert run("person-id", EXAMPLE) == (0, "有效\n出生日期：1949-12-31，性别：女\n", "")


def test_normalised_form_is_shown():
    code, out, _ = run("person-id", EXAMPLE.lower())
    assert code == 0
    assert out.splitlines()[-1] == f"规范形式：{EXAMPLE}"


def test_check_character_error():
    assert run("person-id", "110105194912310023") == (1, "", "校验码错误：应为X，实为3\n")


@pytest.mark.parametrize("position", range(18))
def test_every_changed_digit_is_rejected_naming_the_expected_check_character(position):
    for digit in "0123456789":
        if digit == EXAMPLE[position]:
            continue
        changed = EXAMPLE[:position] + digit + EXAMPLE[position + 1 :]
        code, out, err = run("person-id", changed)
        assert code == 1
        assert out == ""
        expected = person_id_check_char(changed[:17])
        actual = changed[17]
        assert f"应为{expected}，实为{actual}" in err, err


def test_structural_error_comes_first_with_the_check_as_a_hint():
    # First digit mistyped: the region is reported, and the check character confirms a typo.
    assert run("person-id", "91010519491231002X") == (
        1,
        "",
        "行政区划代码无效：前两位“91”不是省级行政区划代码\n此外，校验码也不符：应为9，实为X\n",
    )


def test_other_kinds():
    assert run("uscc", "91350100M000100Y43") == (
        0,
        "有效\n登记管理部门：市场监督管理（工商），组织机构代码：M000100Y-4\n",
        "",
    )
    assert run("uscc", "Z1350100M000100Y43") == (
        1,
        "",
        "登记管理部门代码“Z”无效：应为1–9、A、N、Y之一\n",
    )
    assert run("org-code", "D2143569-X") == (0, "有效\n规范形式：D2143569X\n", "")
    assert run("org-code", "D21435690") == (1, "", "校验码错误：应为X，实为0\n")
    assert run("region", "330203001002") == (
        0,
        "有效\n层级：村（社区）级，上级代码：330203001000\n",
        "",
    )
    assert run("region", "330000000000") == (0, "有效\n层级：省级\n", "")
    assert run("region", "330200000001") == (
        1,
        "",
        "层级不一致：第7–9位（乡镇）为000，其后各位应全为0\n",
    )
    license_id = "1.2.156.3005.2.9P34Y6N3W.113302001661318608.201575893910.001.U"
    assert run("license-id", license_id) == (0, "有效\n", "")
    assert run("license-id", license_id[:-1] + "V") == (1, "", "校验码错误：应为U，实为V\n")


def test_region_takes_six_digit_gb2260_codes_and_shows_the_twelve_digit_form():
    assert run("region", "330203") == (
        0,
        "有效\n层级：区县级，上级代码：330200000000\n规范形式：330203000000\n",
        "",
    )
    assert run("region", "3302031") == (1, "", "长度错误：应为6位或12位，实为7位\n")
    assert run("region", "990000") == (1, "", "行政区划代码无效：前两位“99”不是省级行政区划代码\n")


def test_the_check_hint_names_which_check_character_it_means():
    # The issuer's own USCC check fails; the licence's check character is a separate hint.
    license_id = "1.2.156.3005.2.9P34Y6N3W.113302001661318609.201575893910.001.U"
    assert run("license-id", license_id) == (
        1,
        "",
        "颁发机构代码：校验码错误：应为8，实为9\n此外，电子证照标识校验位也不符：应为J，实为U\n",
    )
    # The organisation code inside a USCC has its own check character.
    assert run("uscc", "91350100M000100Y53") == (
        1,
        "",
        "第9–17位组织机构代码校验码错误：应为4，实为5\n此外，第18位校验码也不符：应为6，实为3\n",
    )


def test_console_script(tmp_path):
    env = {**os.environ, "YIWANG_DATA_DIR": os.environ.get("YIWANG_DATA_DIR", str(tmp_path))}

    def script(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [str(YIWANG), "validate", *args], capture_output=True, text=True, env=env, timeout=60
        )

    ok = script("person-id", EXAMPLE)
    assert (ok.returncode, ok.stdout, ok.stderr) == (
        0,
        "有效\n出生日期：1949-12-31，性别：女\n",
        "",
    )
    bad = script("person-id", "11010519491231003X")
    assert (bad.returncode, bad.stdout, bad.stderr) == (1, "", "校验码错误：应为8，实为X\n")
    unknown = script("passport", "E12345678")
    assert unknown.returncode == 2
    assert "invalid choice: 'passport'" in unknown.stderr
