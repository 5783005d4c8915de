"""URL converters shared by the pages and the API.

``<id:pk>``: a row id or a version number. Django's ``int`` converter takes any run of digits,
and a number past 64 bits reached the database as an overflow (a 500 on SQLite, found by
schemathesis); at most 18 digits always fits a signed 64-bit column, so a longer one is simply
a path that does not exist (404).
"""

from __future__ import annotations

from django.urls import register_converter

MAX_ID = 999_999_999_999_999_999  # 18 digits: below 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
