"""统一办件编号: layout, check digit, validation messages, the sweep of orphan files."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.cases.numbers import format_number, issue_number, validate_number
from yiwang.core.errors import DomainError

DAY = datetime.date(2026, 12, 7)


def test_default_layout_is_region_date_sequence_and_a_check_digit():
    number = format_number("330203000000", DAY, 17)
    assert number[:-1] == "33020300000020261207000017"
    assert len(number) == 27
    assert validate_number(number) == number
    assert validate_number(f" {number[:10]} {number[10:]} ") == number


def test_configured_layout(settings):
    settings.CASE_NUMBER_LAYOUT = "{date}{region}{seq:08d}"
    number = format_number("330203000000", DAY, 5)
    assert number[:-1] == "2026120733020300000000000005"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "请输入办件编号"),
        ("33020300000020261207000017X", "办件编号由数字组成，请核对后重新输入"),
        ("123", "办件编号由数字组成，请核对后重新输入"),
    ],
)
def test_malformed_numbers_are_told_apart(typed, message):
    with pytest.raises(DomainError) as error:
        validate_number(typed)
    assert error.value.message == message
    assert error.value.field == "number"


@given(st.integers(min_value=1, max_value=999_999), st.integers(min_value=0, max_value=26))
def test_every_single_digit_change_is_caught(seq, position):
    number = format_number("330203000000", DAY, seq)
    for digit in "0123456789":
        if digit == number[position]:
            continue
        changed = number[:position] + digit + number[position + 1 :]
        with pytest.raises(DomainError, match="校验位不符"):
            validate_number(changed)


@pytest.mark.django_db
def test_numbers_run_per_region_and_day_without_gaps():
    first = issue_number("330203000000", DAY)
    second = issue_number("330203000000", DAY)
    other = issue_number("330281000000", DAY)
    assert (first[20:26], second[20:26], other[20:26]) == ("000001", "000002", "000001")
