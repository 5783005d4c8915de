"""Arithmetic on 12-digit region codes that the structure of the code alone answers.

A region's descendants are exactly the codes that start with its significant digits (2 for a
province, 4 a city, 6 a county, 9 a township, 12 a village), so "in this region or below" is a
range of the primary key — an index range scan on SQLite and PostgreSQL alike, which a
``LIKE 'prefix%'`` is not on SQLite.
"""

from __future__ import annotations

from yiwang.core.identifiers import region_level

__all__ = ["PREFIX_LENGTH", "code_prefix", "contains", "descendant_range", "to_code12"]

PREFIX_LENGTH = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}


def to_code12(code: str) -> str:
    """A code of the statistics (2, 4, 6, 9 or 12 digits) padded to the platform's 12 digits."""
    if len(code) not in (2, 4, 6, 9, 12) or not code.isdigit():
        raise ValueError(f"not a statistical division code: {code!r}")
    return code.ljust(12, "0")


def code_prefix(code12: str) -> str:
    """The significant digits of a 12-digit code: "330203000000" → "330203"."""
    return code12[: PREFIX_LENGTH[region_level(code12)]]


def descendant_range(code12: str) -> tuple[str, str]:
    """(lowest, highest) code of the region and everything below it, both inclusive."""
    prefix = code_prefix(code12)
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


def contains(outer12: str, inner12: str) -> bool:
    """True when ``inner12`` is ``outer12`` or lies within it."""
    return inner12.startswith(code_prefix(outer12))
