"""National identifiers (REQUIREMENTS §5): exact messages, real examples, and the error-detection
guarantees of each check system, stated exactly and checked exhaustively per example."""

from __future__ import annotations

import random
import string
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.core import identifiers as ids
from yiwang.core.errors import DomainError
from yiwang.core.identifiers import (
    ORG_CODE_WEIGHTS,
    PERSON_ID_PREFIXES,
    PERSON_ID_WEIGHTS,
    PROVINCE_CODES,
    UPPER_ALNUM,
    USCC_ALPHABET,
    USCC_AUTHORITIES,
    USCC_WEIGHTS,
    VALIDATORS,
    IdentifierError,
    generate_license_id,
    generate_org_code,
    generate_person_id,
    generate_region_code,
    generate_uscc,
    iso7064_mod_37_36_check,
    org_code_check_char,
    person_id_birth_date,
    person_id_check_char,
    person_id_sex,
    region_level,
    region_parent_code,
    to_region12,
    uscc_check_char,
    uscc_org_code,
    validate_license_id,
    validate_org_code,
    validate_person_id,
    validate_region_code,
    validate_uscc,
)

FEW = settings(max_examples=30, deadline=None)


def error_of(validator, value) -> IdentifierError:
    with pytest.raises(IdentifierError) as info:
        validator(value)
    return info.value


def message_of(validator, value) -> str:
    return error_of(validator, value).message


def substitutions(value: str, alphabets: list[str]):
    """Every value that differs from ``value`` in exactly one position, by a character of that
    position's alphabet: (position, original character, new character, new value)."""
    for i, alphabet in enumerate(alphabets):
        for char in alphabet:
            if char != value[i]:
                yield i, value[i], char, value[:i] + char + value[i + 1 :]


def assert_check_detects(exc: IdentifierError) -> None:
    """The final check character disagrees, whichever error was reported first."""
    assert exc.reason == "check" or (exc.check is not None and exc.check[0] != exc.check[1])


def test_identifier_error_is_a_domain_error():
    exc = error_of(validate_person_id, "")
    assert isinstance(exc, DomainError)
    assert exc.status == 400
    assert exc.field is None
    assert exc.reason == "empty"


def test_registry():
    expected = {
        "person-id": validate_person_id,
        "uscc": validate_uscc,
        "org-code": validate_org_code,
        "region": validate_region_code,
        "license-id": validate_license_id,
    }
    assert expected == VALIDATORS


# --- 公民身份号码 -------------------------------------------------------------------------------

# The worked example of GB 11643-1999 itself (北京市朝阳区, born 1949-12-31, female).
GB11643_EXAMPLE = "11010519491231002X"

person_first17 = st.builds(
    lambda prefix, county, born, order: f"{prefix}{county}{born:%Y%m%d}{order:03d}",
    st.sampled_from(sorted(PERSON_ID_PREFIXES)),
    st.text(string.digits, min_size=4, max_size=4),
    st.dates(date(1900, 1, 1), date(2020, 12, 31)),
    st.integers(0, 999),
)
person_ids = person_first17.map(lambda s: s + person_id_check_char(s))


@pytest.fixture
def today_is_2025_06_01(monkeypatch):
    monkeypatch.setattr(ids.timezone, "localdate", lambda: date(2025, 6, 1))


def test_person_id_valid_examples():
    assert validate_person_id(GB11643_EXAMPLE) == GB11643_EXAMPLE
    assert person_id_birth_date(GB11643_EXAMPLE) == date(1949, 12, 31)
    assert person_id_sex(GB11643_EXAMPLE) == "女"
    assert person_id_sex("110105194912310011") == "男"


def test_person_id_normalisation():
    assert validate_person_id(" 11010519491231002x\n") == GB11643_EXAMPLE
    # full-width digits and letter, as Chinese input methods type them
    assert validate_person_id("１１０１０５１９４９１２３１００２ｘ") == GB11643_EXAMPLE


def test_person_id_keeps_abolished_and_new_county_codes():
    # 110103 崇文区 was abolished in 2010, 330113 临平区 created in 2021: only the province counts.
    for region in ("110103", "330113"):
        number = generate_person_id(random.Random(1), region=region)
        assert validate_person_id(number) == number


def test_person_id_accepts_residence_permits_of_hk_macao_taiwan():
    for prefix in ("81", "82", "83"):
        first17 = f"{prefix}000019900101001"
        assert validate_person_id(first17 + person_id_check_char(first17))


def test_person_id_messages(today_is_2025_06_01):
    m = lambda v: message_of(validate_person_id, v)  # noqa: E731
    assert m("") == "公民身份号码不能为空"
    assert m("   ") == "公民身份号码不能为空"
    assert m(None) == "公民身份号码不能为空"
    assert m("11010519491231002") == "长度错误：应为18位，实为17位"
    assert m("11010519491231002XX") == "长度错误：应为18位，实为19位"
    assert m("110105A9491231002X") == "第7位字符“A”无效：应为数字"
    assert m("11010519491231002Y") == "第18位字符“Y”无效：应为数字或X"
    assert m("110105 9491231002X") == "第7位字符“U+0020”无效：应为数字"
    assert m("990105194912310023") == "行政区划代码无效：前两位“99”不是省级行政区划代码"
    assert m("110105194913320027") == "出生日期无效：“19491332”不是有效日期"
    assert m("110105203001010028") == "出生日期无效：2030年01月01日晚于今天"
    assert m("110105194912310023") == "校验码错误：应为X，实为3"
    # GB 11643-1999's other example (汕头, born 1880-01-01): correct check, but before 1900.
    assert m("440524188001010014") == "出生日期无效：1880年01月01日早于1900年01月01日"


def test_person_id_birth_date_boundaries(today_is_2025_06_01):
    for born, ok in [
        (date(1900, 1, 1), True),
        (date(2025, 6, 1), True),
        (date(2025, 6, 2), False),
        (date(2000, 2, 29), True),
    ]:
        first17 = f"330203{born:%Y%m%d}001"
        number = first17 + person_id_check_char(first17)
        if ok:
            assert validate_person_id(number) == number
        else:
            assert message_of(validate_person_id, number) == "出生日期无效：2025年06月02日晚于今天"
    assert message_of(validate_person_id, "330203190002290014").startswith(
        "出生日期无效：“19000229”"
    )


def test_person_id_reports_check_mismatch_behind_a_structural_error():
    exc = error_of(validate_person_id, "910105194912310020")  # first digit mistyped: 1 → 9
    assert exc.reason == "structure"
    assert exc.check == ("9", "0")


def test_person_id_weights_never_hide_a_digit_change():
    # Σ(ai·Wi) mod 11 changes by δ·Wi; 11 is prime, 0 < |δ| ≤ 9 and Wi ≢ 0, so never by 0 mod 11;
    # and the 11 check characters are distinct. Hence every single substitution is detected.
    assert all((delta * w) % 11 for w in PERSON_ID_WEIGHTS for delta in range(1, 10))
    assert len(set(ids.PERSON_ID_CHECK_CHARS)) == 11


@FEW
@given(person_ids)
def test_person_id_every_single_substitution_is_detected(number):
    assert validate_person_id(number) == number
    for *_, changed in substitutions(number, [string.digits] * 17 + [string.digits + "X"]):
        assert_check_detects(error_of(validate_person_id, changed))


@FEW
@given(person_ids)
def test_person_id_adjacent_transpositions_are_detected(number):
    # Wi − Wi+1 ≢ 0 (mod 11) for all neighbours, so swapping two different digits is detected.
    for i in range(16):
        if number[i] != number[i + 1]:
            swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
            assert_check_detects(error_of(validate_person_id, swapped))


@FEW
@given(st.randoms(use_true_random=False), st.sampled_from(["男", "女", None]))
def test_generated_person_ids_validate(rng, sex):
    number = generate_person_id(rng, sex=sex)
    assert validate_person_id(number) == number
    assert number.startswith("330203")
    if sex:
        assert person_id_sex(number) == sex


def test_generate_person_id_parameters_and_determinism():
    born = date(1990, 1, 1)
    number = generate_person_id(random.Random(5), region="110105", birth_date=born, sex="女")
    assert number == generate_person_id(
        random.Random(5), region="110105", birth_date=born, sex="女"
    )
    assert number.startswith("11010519900101")
    assert person_id_birth_date(number) == born
    assert person_id_sex(number) == "女"
    with pytest.raises(ValueError):
        generate_person_id(region="990000")
    with pytest.raises(ValueError):
        generate_person_id(sex="x")


# --- 组织机构代码 -------------------------------------------------------------------------------

# "D2143569-X" is the example quoted in descriptions of GB 11714-1997; checked by hand:
# 13·3 + 2·7 + 1·9 + 4·10 + 3·5 + 5·8 + 6·4 + 9·2 = 199, 199 mod 11 = 1, 11 − 1 = 10 → X.
GB11714_EXAMPLE = "D2143569X"

org_codes = st.text(UPPER_ALNUM, min_size=8, max_size=8).map(lambda b: b + org_code_check_char(b))


def test_org_code_valid_examples():
    assert validate_org_code("D2143569-X") == GB11714_EXAMPLE
    assert validate_org_code("d2143569x") == GB11714_EXAMPLE
    assert validate_org_code(" D2143569X ") == GB11714_EXAMPLE
    assert validate_org_code("M000100Y-4") == "M000100Y4"  # inside 91350100M000100Y43


def test_org_code_check_char_mapping():
    assert org_code_check_char("D2143569") == "X"  # Σ mod 11 = 1 → 10 → X
    assert org_code_check_char("00000000") == "0"  # Σ mod 11 = 0 → 11 → 0
    assert org_code_check_char("00000001") == "9"  # Σ = 2 → 9


def test_org_code_messages():
    m = lambda v: message_of(validate_org_code, v)  # noqa: E731
    assert m("") == "组织机构代码不能为空"
    assert m("D2143569") == "长度错误：应为9位，实为8位"
    assert m("D214-3569X") == "连字符位置错误：应位于第8位与校验码之间（如12345678-9）"
    assert m("D21435-69X") == "连字符位置错误：应位于第8位与校验码之间（如12345678-9）"
    assert m("D2143569-XX") == "长度错误：应为9位，实为11位"
    assert m("D21#3569X") == "第4位字符“#”无效：应为数字或大写字母"
    assert m("D2143569A") == "第9位字符“A”无效：应为数字或X"
    assert m("D21435690") == "校验码错误：应为X，实为0"


def test_org_code_hyphen_is_only_accepted_before_the_check_character():
    exc = error_of(validate_org_code, "D2143569-")
    assert exc.message == "第9位字符“-”无效：应为数字或X"


def test_org_code_letter_substitutions_the_standard_cannot_detect():
    # GB 11714 values run 0…35 but the check is mod 11: replacing a character by one whose value
    # differs by 11, 22 or 33 leaves the sum unchanged mod 11. D (13) → O (24) goes unnoticed.
    assert validate_org_code("O2143569X") == "O2143569X"


@FEW
@given(org_codes)
def test_org_code_detects_exactly_the_substitutions_mod_11_can_see(code):
    assert validate_org_code(code) == code
    alphabets = [UPPER_ALNUM] * 8 + [string.digits + "X"]
    for i, old, new, changed in substitutions(code, alphabets):
        if i == 8 or (UPPER_ALNUM.index(new) - UPPER_ALNUM.index(old)) % 11:
            assert error_of(validate_org_code, changed).reason == "check"
        else:
            assert validate_org_code(changed) == changed


def test_org_code_digit_substitutions_are_always_detected():
    # Weights are non-zero mod 11 and digits differ by at most 9.
    assert all((delta * w) % 11 for w in ORG_CODE_WEIGHTS for delta in range(1, 10))


@FEW
@given(st.randoms(use_true_random=False))
def test_generated_org_codes_validate_and_fit_in_a_uscc(rng):
    code = generate_org_code(rng)
    assert validate_org_code(code) == code
    assert set(code) <= set(USCC_ALPHABET)


# --- 统一社会信用代码 ---------------------------------------------------------------------------

# Real, published codes: 91350100M000100Y43 is the example of the zh.wikipedia article
# 统一社会信用代码; 91110000600037341L is the example of python-stdnum's cn.uscc documentation.
# Both verified with this implementation (and cross-checked with python-stdnum while writing).
PUBLISHED_USCCS = ["91350100M000100Y43", "91110000600037341L"]
# Computed with this implementation (positions 9–17 carry a valid GB 11714 code).
COMPUTED_USCCS = {
    "91330200MA2AAAAA76": "宁波 enterprise",
    "A1330200MA2AAAAA75": "military institution",
    "N1330200MA2AAAAA7Q": "rural collective economic organisation",
    "Y1330200MA2AAAAA7G": "other authorities",
    "11100000MB0143028R": "central government body, region 100000",
}

usccs = st.builds(
    lambda authority, category, region, body: (
        authority + category + region + body + org_code_check_char(body)
    ),
    st.sampled_from(sorted(USCC_AUTHORITIES)),
    st.sampled_from(USCC_ALPHABET),
    st.one_of(
        st.just("100000"),
        st.builds(
            str.__add__,
            st.sampled_from(sorted(PROVINCE_CODES)),
            st.text(string.digits, min_size=4, max_size=4),
        ),
    ),
    st.text(USCC_ALPHABET, min_size=8, max_size=8),
).map(lambda s: s + uscc_check_char(s))


@pytest.mark.parametrize("code", PUBLISHED_USCCS + list(COMPUTED_USCCS))
def test_uscc_valid_examples(code):
    assert validate_uscc(code) == code
    assert validate_uscc(f" {code.lower()} ") == code


def test_uscc_org_code():
    assert uscc_org_code("91350100M000100Y43") == "M000100Y4"


def test_uscc_messages():
    m = lambda v: message_of(validate_uscc, v)  # noqa: E731
    assert m("") == "统一社会信用代码不能为空"
    assert m("91330200MA2AAAAA7") == "长度错误：应为18位，实为17位"
    assert m("Z1330200MA2AAAAA76") == "登记管理部门代码“Z”无效：应为1–9、A、N、Y之一"
    assert m("01330200MA2AAAAA76") == "登记管理部门代码“0”无效：应为1–9、A、N、Y之一"
    assert m("B1330200MA2AAAAA76") == "登记管理部门代码“B”无效：应为1–9、A、N、Y之一"
    assert m("9I330200MA2AAAAA76") == "第2位字符“I”无效：应为数字或大写字母（不含I、O、S、V、Z）"
    assert m("9133A200MA2AAAAA76") == "第5位字符“A”无效：应为数字"
    assert m("91330200MA2AOAAA76") == "第13位字符“O”无效：应为数字或大写字母（不含I、O、S、V、Z）"
    assert m("91330200MA2AAAAAA6") == "第17位字符“A”无效：应为数字或X（组织机构代码校验码）"
    assert m("91990200MA2AAAAA77") == "行政区划代码（第3–8位）无效：前两位“99”不是省级行政区划代码"
    assert m("91330200MA2AAAAA89") == "第9–17位组织机构代码校验码错误：应为7，实为8"
    assert m("91330200MA2AAAAA75") == "校验码错误：应为6，实为5"


def test_uscc_uses_the_standards_weights_and_alphabet():
    assert tuple(pow(3, i, 31) for i in range(17)) == USCC_WEIGHTS
    assert len(USCC_ALPHABET) == 31
    assert not set("IOSVZ") & set(USCC_ALPHABET)


def test_uscc_weights_never_hide_a_change():
    # Values 0…30, weights 3^i mod 31 ≠ 0, 31 prime: every substitution changes Σ mod 31, and the
    # check character is a bijection of Σ mod 31 — so the final check catches every substitution,
    # including those GB 11714's own check misses inside positions 9–16.
    assert all((delta * w) % 31 for w in USCC_WEIGHTS for delta in range(1, 31))


@FEW
@given(usccs)
def test_uscc_every_single_substitution_is_detected(code):
    assert validate_uscc(code) == code
    alphabets = [USCC_ALPHABET] * 16 + [string.digits + "X", USCC_ALPHABET]
    for i, _old, _new, changed in substitutions(code, alphabets):
        exc = error_of(validate_uscc, changed)
        # Position 1 (authority) and the character classes are checked before the check
        # character is computed; everything after that also reports the check mismatch.
        if i > 0 and exc.reason != "character":
            assert_check_detects(exc)


@FEW
@given(st.randoms(use_true_random=False), st.sampled_from(sorted(USCC_AUTHORITIES)))
def test_generated_usccs_validate(rng, authority):
    code = generate_uscc(rng, authority=authority, category="2", region="110105")
    assert validate_uscc(code) == code
    assert code[:8] == f"{authority}2110105"


def test_generate_uscc_defaults_and_determinism():
    code = generate_uscc(random.Random(3))
    assert code == generate_uscc(random.Random(3))
    assert code.startswith("91330200")
    assert generate_uscc(random.Random(3), region="100000", authority="1").startswith("11100000")
    for bad in ({"authority": "B"}, {"category": "I"}, {"region": "990000"}, {"region": "3302"}):
        with pytest.raises(ValueError):
            generate_uscc(**bad)


# --- 行政区划代码 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("330000000000", "province", None),
        ("330200000000", "city", "330000000000"),
        ("330203000000", "county", "330200000000"),
        ("330203001000", "township", "330203000000"),
        ("330203001002", "village", "330203001000"),
        ("419001000000", "county", "419000000000"),  # 济源: county directly under the province
        # 东莞 has no counties: its townships hang under the city, county part 00
        ("441900003000", "township", "441900000000"),
        ("441900003001", "village", "441900003000"),
    ],
)
def test_region_levels_and_parents(code, level, parent):
    assert validate_region_code(code) == code
    assert region_level(code) == level
    assert region_parent_code(code) == parent


def test_region_messages():
    m = lambda v: message_of(validate_region_code, v)  # noqa: E731
    assert m("") == "行政区划代码不能为空"
    assert m("330203") == "长度错误：应为12位，实为6位"
    assert m("33020300100A") == "第12位字符“A”无效：应为数字"
    assert m("990000000000") == "行政区划代码无效：前两位“99”不是省级行政区划代码"
    assert m("330001000000") == "层级不一致：第3–4位（地市）为00，其后各位应全为0"
    assert m("330000000001") == "层级不一致：第3–4位（地市）为00，其后各位应全为0"
    assert m("330200000001") == "层级不一致：第7–9位（乡镇）为000，其后各位应全为0"
    assert m("330203000001") == "层级不一致：第7–9位（乡镇）为000，其后各位应全为0"


def test_to_region12():
    assert to_region12("330203") == "330203000000"
    assert to_region12(" 330203001002 ") == "330203001002"
    assert message_of(to_region12, "3302031") == "长度错误：应为6位或12位，实为7位"
    assert message_of(to_region12, "33020A") == "第6位字符“A”无效：应为数字"
    assert message_of(to_region12, "330001") == "层级不一致：第3–4位（地市）为00，其后各位应全为0"
    assert message_of(to_region12, "") == "行政区划代码不能为空"


@FEW
@given(st.randoms(use_true_random=False))
def test_generated_region_codes_validate_and_parents_are_one_level_up(rng):
    code = generate_region_code(rng)
    assert validate_region_code(code) == code
    level = ids.REGION_LEVELS.index(region_level(code))
    parent = region_parent_code(code)
    if level == 0:
        assert parent is None
    else:
        assert ids.REGION_LEVELS.index(region_level(parent)) == level - 1
        assert all(p in (c, "0") for p, c in zip(parent, code, strict=True))


# --- ISO/IEC 7064 and 电子证照标识 --------------------------------------------------------------


def test_iso7064_mod_37_36_published_vector():
    # python-stdnum's stdnum.iso7064.mod_37_36 documents:
    # calc_check_digit('A12425GABC1234002') == 'M'
    assert iso7064_mod_37_36_check("A12425GABC1234002") == "M"


def test_iso7064_hybrid_is_generic():
    # MOD 11,10 with the same hybrid routine: stdnum.iso7064.mod_11_10 documents '0794' → '5'
    assert ids._iso7064_hybrid_check("0794", string.digits) == "5"
    with pytest.raises(ValueError):
        iso7064_mod_37_36_check("a")


LICENSE_EXAMPLE = "1.2.156.3005.2.9P34Y6N3W.113302001661318608.201575893910.001.U"

license_ids = st.builds(
    lambda type_code, issuer, serial, version: (
        f"{ids.LICENSE_ID_PREFIX}{type_code}.{issuer}.{serial}.{version:03d}."
        + iso7064_mod_37_36_check(f"{type_code}{issuer}{serial}{version:03d}")
    ),
    st.text(UPPER_ALNUM, min_size=1, max_size=8),
    usccs,
    st.text(UPPER_ALNUM, min_size=1, max_size=8),
    st.integers(0, 999),
)


def test_license_id_valid_examples():
    assert generate_license_id(random.Random(7)) == LICENSE_EXAMPLE
    assert validate_license_id(LICENSE_EXAMPLE) == LICENSE_EXAMPLE
    assert validate_license_id(f" {LICENSE_EXAMPLE.lower()} ") == LICENSE_EXAMPLE
    longest = generate_license_id(
        random.Random(1), type_code="A" * 40, serial="9" * 40, version=999
    )
    assert len(longest) == ids.LICENSE_ID_MAX_LENGTH
    assert validate_license_id(longest) == longest


def test_license_id_messages():
    m = lambda v: message_of(validate_license_id, v)  # noqa: E731
    issuer = "113302001661318608"
    ok = lambda t, i, s, v: (  # noqa: E731
        f"1.2.156.3005.2.{t}.{i}.{s}.{v}." + iso7064_mod_37_36_check(t + i + s + v)
    )
    assert m("") == "电子证照标识不能为空"
    assert m("1" * 122) == "长度错误：最长121位，实为122位"
    assert m("1.2.156.3005.2.A#") == "第17位字符“#”无效：应为数字、大写字母或“.”"
    assert m("1.2.156.3005.1.A.B.C.001.X") == "前缀错误：应以“1.2.156.3005.2.”开头"
    assert m("1.2.156.3005.2.A.B.C.001") == (
        "字段数错误：前缀后应为5段（证照类型代码.颁发机构代码.流水号.版本号.校验位），实为4段"
    )
    assert m(f"1.2.156.3005.2..{issuer}.C.001.X") == "证照类型代码为空：应为1–40位数字或大写字母"
    assert m(ok("A" * 41, issuer, "1", "001")) == "证照类型代码长度错误：应为1–40位，实为41位"
    assert m(ok("A", issuer[:-1], "1", "001")) == "颁发机构代码：长度错误：应为18位，实为17位"
    assert m(ok("A", "Z" + issuer[1:], "1", "001")) == (
        "颁发机构代码：登记管理部门代码“Z”无效：应为1–9、A、N、Y之一"
    )
    assert m(ok("A", issuer[:-1] + "9", "1", "001")) == "颁发机构代码：校验码错误：应为8，实为9"
    assert m(f"1.2.156.3005.2.A.{issuer}..001.X") == "流水号为空：应为1–40位数字或大写字母"
    assert m(ok("A", issuer, "1" * 41, "001")) == "流水号长度错误：应为1–40位，实为41位"
    assert m(ok("A", issuer, "1", "01")) == "版本号应为3位数字，实为“01”"
    assert m(ok("A", issuer, "1", "00A")) == "版本号应为3位数字，实为“00A”"
    assert m(f"1.2.156.3005.2.A.{issuer}.1.001.XY") == "校验位应为1位，实为2位"
    assert m(f"1.2.156.3005.2.A.{issuer}.1.001.") == "校验位应为1位，实为0位"
    expected = iso7064_mod_37_36_check(f"A{issuer}1001")
    wrong = "0" if expected != "0" else "1"
    assert m(f"1.2.156.3005.2.A.{issuer}.1.001.{wrong}") == (
        f"校验码错误：应为{expected}，实为{wrong}"
    )


@settings(max_examples=15, deadline=None)
@given(license_ids)
def test_license_id_every_single_substitution_is_detected(license_id):
    # ISO/IEC 7064 hybrid systems detect every single substitution (2·S mod 37 and P + a mod 36
    # are both injective); separators and the prefix are guarded by the structure checks.
    assert validate_license_id(license_id) == license_id
    for i, _old, _new, changed in substitutions(license_id, [UPPER_ALNUM + "."] * len(license_id)):
        exc = error_of(validate_license_id, changed)
        prefix_or_separator = i < len(ids.LICENSE_ID_PREFIX) or "." in (_old, _new)
        if not prefix_or_separator:
            assert_check_detects(exc)


@FEW
@given(st.randoms(use_true_random=False))
def test_generated_license_ids_validate(rng):
    license_id = generate_license_id(rng)
    assert validate_license_id(license_id) == license_id


def test_generate_license_id_parameters():
    issuer = "113302001661318608"
    license_id = generate_license_id(type_code="jhz", issuer=issuer, serial="2024000001", version=2)
    assert license_id.startswith(f"1.2.156.3005.2.JHZ.{issuer}.2024000001.002.")
    with pytest.raises(ValueError):
        generate_license_id(version=1000)
    with pytest.raises(IdentifierError):
        generate_license_id(issuer="123")


def test_generators_are_deterministic_with_a_seed():
    for generator in (generate_org_code, generate_region_code, generate_license_id):
        assert generator(random.Random(42)) == generator(random.Random(42))
    assert generate_person_id(random.Random(42)) == generate_person_id(random.Random(42))
    # Without a generator they draw from the OS (no predictable numbers) and still validate.
    assert validate_person_id(generate_person_id())
    assert validate_license_id(generate_license_id())


def test_today_is_asia_shanghai(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    tomorrow = ids.timezone.localdate() + timedelta(days=1)
    first17 = f"330203{tomorrow:%Y%m%d}001"
    assert message_of(validate_person_id, first17 + person_id_check_char(first17)) == (
        f"出生日期无效：{tomorrow.year}年{tomorrow.month:02d}月{tomorrow.day:02d}日晚于今天"
    )
