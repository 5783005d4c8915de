"""National identifiers: validation, check characters and generators (REQUIREMENTS §5).

Every ``validate_…`` function takes what a user typed and returns the normalised value, or raises
:class:`IdentifierError` whose Chinese message says precisely what is wrong. Checks run in one
order and stop at the first problem: empty → length → illegal characters (1-based position and the
character) → structure (region prefix, birth date, registration authority, fields…) → embedded
checks → final check character.

Normalisation is the same for every identifier: surrounding whitespace is stripped, full-width
ASCII (what Chinese input methods produce: "１１０１…", "ｘ") becomes half-width, and ASCII
letters become upper-case, because every alphabet here is upper-case. Nothing else is changed.

python-stdnum is deliberately not used (DESIGN §6): it raises on region codes newer than its
table, rejects USCCs starting with A/N/Y and accepts future birth dates.

The generators make demo and test data; given a ``random.Random`` they are deterministic, and
everything they return passes its validator.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from datetime import date

from django.utils import timezone

from yiwang.core.errors import DomainError


class IdentifierError(DomainError):
    """An identifier is malformed; ``message`` says what is wrong (HTTP 400 through the API).

    ``reason`` is one of ``"empty"``, ``"length"``, ``"character"``, ``"structure"``,
    ``"check"`` (the final check character) or ``"embedded-check"`` (the organisation code inside
    a USCC). When the value failed before its final check character was examined but that
    character can be computed, ``check`` holds ``(expected, actual)``: a mismatch there suggests a
    typing error rather than an unusual but genuine number (the CLI prints it as a hint).
    """

    def __init__(
        self,
        message: str,
        *,
        reason: str,
        field: str | None = None,
        check: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(message, field=field)
        self.reason = reason
        self.check = check


# --- shared helpers --------------------------------------------------------------------------

DIGITS = string.digits
UPPER_ALNUM = string.digits + string.ascii_uppercase

# Province-level codes of GB/T 2260 (the first two digits of every region code).
# fmt: off
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15",              # 华北: 北京 天津 河北 山西 内蒙古
    "21", "22", "23",                          # 东北: 辽宁 吉林 黑龙江
    "31", "32", "33", "34", "35", "36", "37",  # 华东: 上海 江苏 浙江 安徽 福建 江西 山东
    "41", "42", "43", "44", "45", "46",        # 中南: 河南 湖北 湖南 广东 广西 海南
    "50", "51", "52", "53", "54",              # 西南: 重庆 四川 贵州 云南 西藏
    "61", "62", "63", "64", "65",              # 西北: 陕西 甘肃 青海 宁夏 新疆
    "71", "81", "82",                          # 台湾 香港 澳门
})
# fmt: on

# Full-width ASCII (U+FF01–U+FF5E) → ASCII, then a–z → A–Z. Only ASCII letters are upper-cased:
# str.upper() would turn "ß" into "SS" and change the length.
_NORMALISE = str.maketrans(
    {
        **{chr(0xFF01 + i): chr(0x21 + i).upper() for i in range(0x5E)},
        **dict(zip(string.ascii_lowercase, string.ascii_uppercase, strict=True)),
    }
)


def _normalise(value: str | None, label: str) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise TypeError(f"expected str, got {type(value).__name__}")
    value = value.strip().translate(_NORMALISE)
    if not value:
        raise IdentifierError(f"{label}不能为空", reason="empty")
    return value


def _show(char: str) -> str:
    """The character as a message shows it; invisible ones as their code point."""
    if char.isprintable() and not char.isspace():
        return char
    return f"U+{ord(char):04X}"


def _check_length(value: str, expected: int) -> None:
    if len(value) != expected:
        raise IdentifierError(f"长度错误：应为{expected}位，实为{len(value)}位", reason="length")


def _check_characters(value: str, rules: list[tuple[str, str]]) -> None:
    """``rules[i]`` is (allowed characters, what to say) for position i + 1."""
    for position, (char, (allowed, description)) in enumerate(
        zip(value, rules, strict=True), start=1
    ):
        if char not in allowed:
            raise IdentifierError(
                f"第{position}位字符“{_show(char)}”无效：应为{description}", reason="character"
            )


def _check_province(
    prefix: str,
    *,
    where: str = "",
    allowed: frozenset[str] = PROVINCE_CODES,
    check: tuple[str, str] | None = None,
) -> None:
    if prefix not in allowed:
        raise IdentifierError(
            f"行政区划代码{where}无效：前两位“{prefix}”不是省级行政区划代码",
            reason="structure",
            check=check,
        )


def _check_mismatch(expected: str, actual: str) -> None:
    if expected != actual:
        raise IdentifierError(f"校验码错误：应为{expected}，实为{actual}", reason="check")


def _rng(rng: random.Random | None) -> random.Random:
    # Without a seeded generator, demo data is drawn from the OS source (no predictable IDs).
    return rng if rng is not None else random.SystemRandom()


# --- 公民身份号码 (GB 11643-1999) ---------------------------------------------------------------

# GB 11643-1999: weights Wi = 2^(i-1) mod 11, counted from the check character (i = 1).
PERSON_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PERSON_ID_CHECK_CHARS = "10X98765432"  # indexed by Σ(ai·Wi) mod 11
# Residence permits of Hong Kong, Macao and Taiwan residents (港澳台居民居住证, 2018) carry a
# GB 11643 number starting 810000 / 820000 / 830000; "83" is not a GB/T 2260 province code.
PERSON_ID_PREFIXES = PROVINCE_CODES | {"83"}
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

_PERSON_ID_RULES = [(DIGITS, "数字")] * 17 + [(DIGITS + "X", "数字或X")]


def person_id_check_char(first17: str) -> str:
    """GB 11643-1999 check character of the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, PERSON_ID_WEIGHTS, strict=True))
    return PERSON_ID_CHECK_CHARS[total % 11]


def validate_person_id(value: str) -> str:
    """Validate an 18-character 公民身份号码 (GB 11643-1999) and return it normalised.

    Layout: 6-digit address code, 8-digit birth date, 3-digit order code (odd = male), check
    character. Only the province (first two digits) is checked against GB/T 2260, never the full
    6-digit code: numbers keep the county code valid when they were issued, and counties are
    abolished and merged every year. The birth date must be a real date between 1900-01-01 and
    today (Asia/Shanghai).
    """
    value = _normalise(value, "公民身份号码")
    _check_length(value, 18)
    _check_characters(value, _PERSON_ID_RULES)
    expected = person_id_check_char(value[:17])
    check = (expected, value[17])
    _check_province(value[:2], allowed=PERSON_ID_PREFIXES, check=check)
    _person_id_date(value[6:14], check)
    _check_mismatch(expected, value[17])
    return value


def _person_id_date(digits: str, check: tuple[str, str] | None) -> date:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise IdentifierError(
            f"出生日期无效：“{digits}”不是有效日期", reason="structure", check=check
        ) from None
    shown = f"{born.year}年{born.month:02d}月{born.day:02d}日"
    if born < EARLIEST_BIRTH_DATE:
        raise IdentifierError(
            f"出生日期无效：{shown}早于1900年01月01日", reason="structure", check=check
        )
    if born > timezone.localdate():
        raise IdentifierError(f"出生日期无效：{shown}晚于今天", reason="structure", check=check)
    return born


def person_id_birth_date(value: str) -> date:
    """Birth date encoded in a (valid) 公民身份号码."""
    value = validate_person_id(value)
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def person_id_sex(value: str) -> str:
    """ "男" or "女": GB 11643-1999 gives odd order codes to men, even ones to women."""
    value = validate_person_id(value)
    return "男" if int(value[16]) % 2 else "女"


# --- 组织机构代码 (GB 11714-1997) ---------------------------------------------------------------

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE_RULES = [(UPPER_ALNUM, "数字或大写字母")] * 8 + [(DIGITS + "X", "数字或X")]


def org_code_check_char(first8: str) -> str:
    """GB 11714-1997 check character: C9 = 11 − Σ(Ci·Wi) mod 11, 10 → X, 11 → 0.

    A character's value is its digit, or 10…35 for A…Z (``ord − 55``).
    """
    total = sum(UPPER_ALNUM.index(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return {10: "X", 11: "0"}.get(c9, str(c9))


def validate_org_code(value: str) -> str:
    """Validate a 组织机构代码 (GB 11714-1997); return its 9 characters without the hyphen.

    The printed form ``12345678-9`` (hyphen before the check character) is accepted.
    """
    value = _normalise(value, "组织机构代码")
    if len(value) == 10 and value[8] == "-":
        value = value[:8] + value[9]
    elif len(value) == 10 and "-" in value:
        raise IdentifierError(
            "连字符位置错误：应位于第8位与校验码之间（如12345678-9）", reason="length"
        )
    _check_length(value, 9)
    _check_characters(value, _ORG_CODE_RULES)
    _check_mismatch(org_code_check_char(value[:8]), value[8])
    return value


# --- 统一社会信用代码 (GB 32100-2015) -----------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^(i-1) mod 31
# GB 32100-2015, table of 登记管理部门代码. A (军队), N (农业) and Y (其他) are valid too.
USCC_AUTHORITIES = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "市场监督管理（工商）",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}
USCC_NATIONAL_REGION = "100000"  # central bodies (e.g. 111000000…) carry 100000 at positions 3–8

_USCC_LETTERS_NOTE = "数字或大写字母（不含I、O、S、V、Z）"
# Position 2 (机构类别代码): any character of the alphabet. GB 32100-2015 lists the
# categories per authority (9: 1 企业, 2 个体工商户, 3 农民专业合作社; 1: 1 机关, 2 事业单位,
# 3 群众团体, 9 其他; …), but authorities have added categories since 2015 and the platform must
# not refuse a code its issuer considers valid. A wrong category is still caught as a typing error
# by the final check character.
_USCC_RULES = (
    [(USCC_ALPHABET, _USCC_LETTERS_NOTE)]  # position 1 is checked separately, see below
    + [(USCC_ALPHABET, _USCC_LETTERS_NOTE)]
    + [(DIGITS, "数字")] * 6
    + [(USCC_ALPHABET, _USCC_LETTERS_NOTE)] * 8
    + [(DIGITS + "X", "数字或X（组织机构代码校验码）")]
    + [(USCC_ALPHABET, _USCC_LETTERS_NOTE)]
)


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 check character: C18 = 31 − Σ(Ci·Wi) mod 31 (31 → 0), over the alphabet."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Validate an 18-character 统一社会信用代码 (GB 32100-2015) and return it normalised.

    Positions: 1 registration authority (1–9, A, N, Y), 2 category, 3–8 region (a province
    prefix, or 100000 for central bodies), 9–17 the GB 11714 organisation code with its own check
    character, 18 the check character.
    """
    value = _normalise(value, "统一社会信用代码")
    _check_length(value, 18)
    if value[0] not in USCC_AUTHORITIES:
        raise IdentifierError(
            f"登记管理部门代码“{_show(value[0])}”无效：应为1–9、A、N、Y之一", reason="character"
        )
    _check_characters(value, _USCC_RULES)
    expected = uscc_check_char(value[:17])
    check = (expected, value[17])
    if value[2:8] != USCC_NATIONAL_REGION:
        _check_province(value[2:4], where="（第3–8位）", check=check)
    org_expected = org_code_check_char(value[8:16])
    if org_expected != value[16]:
        raise IdentifierError(
            f"第9–17位组织机构代码校验码错误：应为{org_expected}，实为{value[16]}",
            reason="embedded-check",
            check=check,
        )
    _check_mismatch(expected, value[17])
    return value


def uscc_org_code(value: str) -> str:
    """The 9-character organisation code (positions 9–17) of a valid USCC, without hyphen."""
    return validate_uscc(value)[8:17]


# --- 行政区划代码, 12 digits (GB/T 2260 + township + village) -----------------------------------

REGION_LEVELS = ("province", "city", "county", "township", "village")
REGION_LEVEL_LABELS = {
    "province": "省级",
    "city": "地市级",
    "county": "区县级",
    "township": "乡镇（街道）级",
    "village": "村（社区）级",
}
# (start, end) of each level's part in the 12-digit code, 0-based, end exclusive.
_REGION_PARTS = {"city": (2, 4), "county": (4, 6), "township": (6, 9), "village": (9, 12)}
_REGION_PART_NAMES = {
    "city": "第3–4位（地市）",
    "township": "第7–9位（乡镇）",
}


def validate_region_code(value: str) -> str:
    """Validate a 12-digit platform region code and return it.

    The first 6 digits are a GB/T 2260 code, then 3 digits for the township and 3 for the
    village (the layout of the national statistical division codes). Only the structure is
    checked here — a valid province prefix and a consistent hierarchy (a zero part is followed
    only by zeros); whether the region exists is for ``yiwang.regions``.
    """
    value = _normalise(value, "行政区划代码")
    _check_length(value, 12)
    _check_characters(value, [(DIGITS, "数字")] * 12)
    _check_province(value[:2])
    # The county part alone may be 00 with a township below it: cities without counties
    # (东莞 4419, 中山 4420, 儋州 4604, 嘉峪关 6202) number their townships directly, e.g.
    # 441900003000 东城街道. A zero city or township part is still followed only by zeros.
    for level in ("city", "township"):
        start, end = _REGION_PARTS[level]
        if set(value[start:end]) == {"0"} and set(value[end:]) != {"0"}:
            zeros = "0" * (end - start)
            raise IdentifierError(
                f"层级不一致：{_REGION_PART_NAMES[level]}为{zeros}，其后各位应全为0",
                reason="structure",
            )
    return value


def to_region12(value: str) -> str:
    """Accept a 6-digit GB/T 2260 code or a 12-digit code; return the validated 12-digit code."""
    value = _normalise(value, "行政区划代码")
    if len(value) == 6:
        _check_characters(value, [(DIGITS, "数字")] * 6)
        value += "000000"
    elif len(value) != 12:
        raise IdentifierError(f"长度错误：应为6位或12位，实为{len(value)}位", reason="length")
    return validate_region_code(value)


def region_level(code12: str) -> str:
    """ "province", "city", "county", "township" or "village": the level a code denotes."""
    code = validate_region_code(code12)
    level = "province"
    for name in ("city", "county", "township", "village"):
        start, _end = _REGION_PARTS[name]
        if set(code[start:]) == {"0"}:
            break
        level = name
    return level


def region_parent_code(code12: str) -> str | None:
    """The structural parent (the code with the lowest non-zero part zeroed); None for provinces.

    Structural only: a county directly under a province (e.g. 419001 济源) gets 419000000000,
    which is not itself a region. ``yiwang.regions`` walks up until it finds an existing one.
    """
    code = validate_region_code(code12)
    level = region_level(code)
    if level == "province":
        return None
    start, _end = _REGION_PARTS[level]
    return code[:start] + "0" * (12 - start)


# --- ISO/IEC 7064 hybrid systems and 电子证照标识 (GB/T 36904-2018 family) -----------------------


def _iso7064_hybrid_check(chars: str, alphabet: str) -> str:
    """ISO/IEC 7064:2003 hybrid system MOD M+1,M over ``alphabet`` (M = its length).

    P starts at M; for each character: S = (P + value) mod M, with 0 read as M; P = 2·S mod (M+1).
    The check character c makes (P + c) mod M = 1.
    """
    modulus = len(alphabet)
    p = modulus
    for char in chars:
        index = alphabet.find(char)
        if index < 0:
            raise ValueError(f"character {char!r} is not in the alphabet")
        s = (p + index) % modulus or modulus
        p = (2 * s) % (modulus + 1)
    return alphabet[(1 - p) % modulus]


def iso7064_mod_11_10_check(digits: str) -> str:
    """ISO/IEC 7064:2003 MOD 11,10 (hybrid) check digit over 0-9: catches every single-digit
    error and most swaps of adjacent digits (used by the 统一办件编号, ``cases.numbers``)."""
    return _iso7064_hybrid_check(digits, "0123456789")


def iso7064_mod_37_36_check(chars: str) -> str:
    """ISO/IEC 7064:2003 MOD 37,36 (hybrid) check character over 0-9A-Z."""
    return _iso7064_hybrid_check(chars, UPPER_ALNUM)


LICENSE_ID_PREFIX = "1.2.156.3005.2."  # OID arc of electronic licences (GB/T 36904-2018 family)
LICENSE_ID_FIELDS = ("证照类型代码", "颁发机构代码", "流水号", "版本号", "校验位")
LICENSE_FIELD_MAX = 40
# prefix + type(40) + issuer(18) + serial(40) + version(3) + check(1) + four dots
LICENSE_ID_MAX_LENGTH = len(LICENSE_ID_PREFIX) + 2 * LICENSE_FIELD_MAX + 18 + 3 + 1 + 4


def validate_license_id(value: str) -> str:
    """Validate a 电子证照标识 and return it normalised.

    ``1.2.156.3005.2.{证照类型代码}.{颁发机构代码}.{流水号}.{版本号}.{校验位}``: the type code
    and the serial are 1–40 characters of 0-9A-Z, the issuer is the issuing body's USCC, the
    version 3 digits, and the check character ISO/IEC 7064 MOD 37,36 over the four fields
    concatenated. The concatenation ignores where one field ends, so field boundaries are
    guarded by the "." separators, not by the check character.
    """
    value = _normalise(value, "电子证照标识")
    if len(value) > LICENSE_ID_MAX_LENGTH:
        raise IdentifierError(
            f"长度错误：最长{LICENSE_ID_MAX_LENGTH}位，实为{len(value)}位", reason="length"
        )
    _check_characters(value, [(UPPER_ALNUM + ".", "数字、大写字母或“.”")] * len(value))
    if not value.startswith(LICENSE_ID_PREFIX):
        raise IdentifierError(f"前缀错误：应以“{LICENSE_ID_PREFIX}”开头", reason="structure")
    fields = value[len(LICENSE_ID_PREFIX) :].split(".")
    if len(fields) != len(LICENSE_ID_FIELDS):
        raise IdentifierError(
            f"字段数错误：前缀后应为5段（{'.'.join(LICENSE_ID_FIELDS)}），实为{len(fields)}段",
            reason="structure",
        )
    type_code, issuer, serial, version, check_char = fields
    check = None
    if len(check_char) == 1 and all(len(f) for f in (type_code, issuer, serial, version)):
        check = (iso7064_mod_37_36_check(type_code + issuer + serial + version), check_char)
    _check_license_field(type_code, "证照类型代码", check)
    try:
        validate_uscc(issuer)
    except IdentifierError as exc:
        raise IdentifierError(
            f"颁发机构代码：{exc.message}", reason="structure", check=check
        ) from None
    _check_license_field(serial, "流水号", check)
    if len(version) != 3 or not version.isdigit():
        raise IdentifierError(
            f"版本号应为3位数字，实为“{version}”", reason="structure", check=check
        )
    if len(check_char) != 1:
        raise IdentifierError(f"校验位应为1位，实为{len(check_char)}位", reason="structure")
    assert check is not None  # all four fields are non-empty here
    _check_mismatch(*check)
    return value


def _check_license_field(field: str, name: str, check: tuple[str, str] | None) -> None:
    if not field:
        raise IdentifierError(
            f"{name}为空：应为1–40位数字或大写字母", reason="structure", check=check
        )
    if len(field) > LICENSE_FIELD_MAX:
        raise IdentifierError(
            f"{name}长度错误：应为1–{LICENSE_FIELD_MAX}位，实为{len(field)}位",
            reason="structure",
            check=check,
        )


# --- generators (demo and test data) ---------------------------------------------------------


def generate_person_id(
    rng: random.Random | None = None,
    *,
    region: str = "330203",
    birth_date: date | None = None,
    sex: str | None = None,
) -> str:
    """A valid 公民身份号码 for ``region`` (6 digits); birth date drawn from 1940–2005 if not given.

    ``sex`` is "男", "女" or None (either). The order code is never 000.
    """
    rng = _rng(rng)
    if len(region) != 6 or not region.isdigit() or region[:2] not in PERSON_ID_PREFIXES:
        raise ValueError(f"region must be 6 digits with a province prefix, got {region!r}")
    if sex not in (None, "男", "女"):
        raise ValueError(f"sex must be '男', '女' or None, got {sex!r}")
    if birth_date is None:
        first, last = date(1940, 1, 1).toordinal(), date(2005, 12, 31).toordinal()
        birth_date = date.fromordinal(rng.randint(first, last))
    if sex is None:
        sex = rng.choice(("男", "女"))
    order = rng.randrange(1, 1000, 2) if sex == "男" else rng.randrange(2, 1000, 2)
    first17 = f"{region}{birth_date:%Y%m%d}{order:03d}"
    return validate_person_id(first17 + person_id_check_char(first17))


def _org_code_body(rng: random.Random) -> str:
    # Older codes are 8 digits; codes assigned since 2015 commonly start "MA". Letters come from
    # the USCC alphabet so that the code can be embedded in a USCC.
    if rng.random() < 0.5:
        return "".join(rng.choice(DIGITS) for _ in range(8))
    return "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))


def generate_org_code(rng: random.Random | None = None) -> str:
    """A valid 9-character 组织机构代码 (no hyphen) using only characters allowed in a USCC."""
    body = _org_code_body(_rng(rng))
    return body + org_code_check_char(body)


def generate_uscc(
    rng: random.Random | None = None,
    *,
    region: str = "330200",
    authority: str = "9",
    category: str = "1",
) -> str:
    """A valid 统一社会信用代码; ``region`` (6 digits) fills positions 3–8.

    Enterprises: authority "9", category "1" (the default); government bodies: "1", "1".
    """
    if authority not in USCC_AUTHORITIES:
        raise ValueError(f"authority must be one of {sorted(USCC_AUTHORITIES)}, got {authority!r}")
    if len(category) != 1 or category not in USCC_ALPHABET:
        raise ValueError(f"category must be one character of {USCC_ALPHABET}, got {category!r}")
    if (
        len(region) != 6
        or not region.isdigit()
        or (region[:2] not in PROVINCE_CODES and region != USCC_NATIONAL_REGION)
    ):
        raise ValueError(f"region must be 6 digits with a province prefix, got {region!r}")
    first17 = authority + category + region + generate_org_code(rng)
    return validate_uscc(first17 + uscc_check_char(first17))


def generate_region_code(rng: random.Random | None = None) -> str:
    """A structurally valid 12-digit region code of a random level (not necessarily existing)."""
    rng = _rng(rng)
    province = rng.choice(sorted(PROVINCE_CODES))
    depth = rng.randint(0, 4)  # 0 province … 4 village
    parts = [
        f"{rng.randint(1, 20):02d}" if depth >= 1 else "00",
        f"{rng.randint(1, 30):02d}" if depth >= 2 else "00",
        f"{rng.randint(1, 200):03d}" if depth >= 3 else "000",
        f"{rng.randint(1, 300):03d}" if depth >= 4 else "000",
    ]
    return validate_region_code(province + "".join(parts))


def generate_license_id(
    rng: random.Random | None = None,
    *,
    type_code: str | None = None,
    issuer: str | None = None,
    serial: str | None = None,
    version: int = 1,
) -> str:
    """A valid 电子证照标识; missing parts are drawn at random (issuer: a government body)."""
    rng = _rng(rng)
    if not 0 <= version <= 999:
        raise ValueError(f"version must be 0–999, got {version}")
    if type_code is None:
        type_code = "".join(rng.choice(UPPER_ALNUM) for _ in range(rng.randint(4, 12)))
    if issuer is None:
        issuer = generate_uscc(rng, authority="1", category="1")
    if serial is None:
        serial = f"{rng.randint(2015, 2025)}{rng.randrange(10**8):08d}"
    body = f"{type_code}{issuer}{serial}{version:03d}".upper()
    fields = f"{type_code}.{issuer}.{serial}.{version:03d}".upper()
    return validate_license_id(f"{LICENSE_ID_PREFIX}{fields}.{iso7064_mod_37_36_check(body)}")


# --- registry used by ``yiwang validate`` ----------------------------------------------------

VALIDATORS: dict[str, Callable[[str], str]] = {
    "person-id": validate_person_id,
    "uscc": validate_uscc,
    "org-code": validate_org_code,
    "region": validate_region_code,
    "license-id": validate_license_id,
}
