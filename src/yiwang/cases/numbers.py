"""统一办件编号: the number the platform gives a case when it is submitted.

Default layout (``YIWANG_CASE_NUMBER_LAYOUT``, default ``{region}{date}{seq:06d}``) then one check
digit: the 12-digit code of the accepting organisation's region, the submission date (YYYYMMDD),
a six-digit sequence that restarts every day per region, and an ISO/IEC 7064 MOD 11,10 check
digit over everything before it — 27 digits, e.g. ``330203000000202612060000017``. The check
digit catches every mistyped single digit (and most swaps of two neighbours: a hybrid MOD 11,10
system does not promise all of them), so a mistyped number in the public query is told apart
from a number that does not exist.

The sequence comes from :func:`yiwang.core.numbering.next_value` inside the submission's
transaction: gap-free and safe under concurrent submissions.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings

from yiwang.core.errors import DomainError
from yiwang.core.identifiers import iso7064_mod_11_10_check
from yiwang.core.numbering import next_value

__all__ = ["DEFAULT_LAYOUT", "format_number", "issue_number", "validate_number"]

DEFAULT_LAYOUT = "{region}{date}{seq:06d}"
_DIGITS = re.compile(r"\d{10,39}")


def _layout() -> str:
    return getattr(settings, "CASE_NUMBER_LAYOUT", DEFAULT_LAYOUT) or DEFAULT_LAYOUT


def format_number(
    region_code: str, day: datetime.date, seq: int, *, layout: str | None = None
) -> str:
    """The number for sequence ``seq`` of ``region_code`` on ``day``, check digit included."""
    body = (layout or _layout()).format(region=region_code, date=day.strftime("%Y%m%d"), seq=seq)
    if not body.isdigit():
        raise ValueError(f"case number layout must give digits only, got {body!r}")
    return body + iso7064_mod_11_10_check(body)


def issue_number(region_code: str, day: datetime.date) -> str:
    """Take the next number of ``region_code`` for ``day`` (in the caller's transaction)."""
    return format_number(region_code, day, next_value("case", region_code, day))


def validate_number(value: str) -> str:
    """``value`` without spaces if it is a well-formed case number, else a Chinese
    :class:`DomainError` (``field="number"``) that says what is wrong."""
    number = re.sub(r"\s+", "", value or "")
    if not number:
        raise DomainError("请输入办件编号", field="number")
    if not _DIGITS.fullmatch(number):
        raise DomainError("办件编号由数字组成，请核对后重新输入", field="number")
    expected = iso7064_mod_11_10_check(number[:-1])
    if number[-1] != expected:
        raise DomainError("办件编号有误（校验位不符），请核对后重新输入", field="number")
    return number
