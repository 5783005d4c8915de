"""基本编码 and 实施编码 of service items (GB/T 39554.1-2020, REQUIREMENTS §5).

实施编码 = the implementing organisation's 统一社会信用代码 (18) + 行使层级 (1 digit, 1 national …
5 township) + the 基本编码 of the catalogue item (12) = 31 characters.

The inner layout of the 12-character 基本编码 (type, main item, sub-item …) is set by GB/T
39554.1, whose text we do not have; until then a basic code is checked as 12 upper-case letters
or digits, which is what every published example looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yiwang.catalog.constants import ExerciseLevel
from yiwang.core.errors import DomainError
from yiwang.core.identifiers import validate_uscc

__all__ = [
    "BASIC_CODE_LENGTH",
    "IMPLEMENTATION_CODE_LENGTH",
    "ImplementationCode",
    "implementation_code",
    "parse_implementation_code",
    "validate_basic_code",
]

BASIC_CODE_LENGTH = 12
IMPLEMENTATION_CODE_LENGTH = 31
_BASIC = re.compile(r"[0-9A-Z]{12}")
# Also the path converter of the API: exactly 31 code characters, so "search" never matches.
IMPLEMENTATION_CODE_PATTERN = r"[0-9A-Z]{31}"


def validate_basic_code(code: str) -> str:
    """The 基本编码 in canonical (upper-case) form, or DomainError naming what is wrong."""
    value = (code or "").strip().upper()
    if len(value) != BASIC_CODE_LENGTH:
        raise DomainError(
            f"基本编码长度错误：应为{BASIC_CODE_LENGTH}位，实为{len(value)}位", field="code"
        )
    if not _BASIC.fullmatch(value):
        bad = next(ch for ch in value if not ch.isascii() or not ch.isalnum())
        raise DomainError(f"基本编码含无效字符“{bad}”：只能是数字或大写字母", field="code")
    return value


@dataclass(frozen=True)
class ImplementationCode:
    uscc: str
    level: str
    basic_code: str

    def __str__(self) -> str:
        return f"{self.uscc}{self.level}{self.basic_code}"


def implementation_code(uscc: str, level: str, basic_code: str) -> str:
    """Build the 31-character 实施编码 from its parts (each validated)."""
    if level not in ExerciseLevel.values:
        raise DomainError(f"行使层级“{level}”无效：应为1–5", field="exercise_level")
    return str(ImplementationCode(validate_uscc(uscc), level, validate_basic_code(basic_code)))


def parse_implementation_code(code: str) -> ImplementationCode:
    """Split and check a 实施编码: 31 characters, a valid USCC, a level 1–5, a basic code."""
    value = (code or "").strip().upper()
    if len(value) != IMPLEMENTATION_CODE_LENGTH:
        raise DomainError(
            f"实施编码长度错误：应为{IMPLEMENTATION_CODE_LENGTH}位，实为{len(value)}位",
            field="code",
        )
    try:
        uscc = validate_uscc(value[:18])
    except DomainError as exc:
        raise DomainError(f"实施编码第1–18位不是有效的统一社会信用代码：{exc.message}") from exc
    level = value[18]
    if level not in ExerciseLevel.values:
        raise DomainError(f"实施编码第19位（行使层级）“{level}”无效：应为1–5", field="code")
    try:
        basic = validate_basic_code(value[19:])
    except DomainError as exc:
        raise DomainError(f"实施编码第20–31位{exc.message}", field="code") from exc
    return ImplementationCode(uscc, level, basic)
