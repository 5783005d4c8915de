"""Masking for display (REQUIREMENTS §2 "Display"): exact outputs, odd input, nothing more
revealed than each rule allows."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.core.masking import mask_name, mask_person_id, mask_phone, mask_uscc

MASKERS = [mask_person_id, mask_phone, mask_name, mask_uscc]


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("330203199001011234", "330203********1234"),
        ("11010519491231002X", "110105********002X"),
        (" 11010519491231002X ", "110105********002X"),
        ("330203900101123", "330203******123"),  # 15-digit first-generation number
        ("", ""),
        (None, ""),
        ("1234", "***4"),
        ("E12345678", "*******78"),  # not an ID number: fallback keeps the last min(4, n//4)
        ("123", "***"),
    ],
)
def test_mask_person_id(value, masked):
    assert mask_person_id(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        (" 13812345678 ", "138****5678"),
        ("87654321", "******21"),  # landline without area code
        ("0574-87654321", "**********321"),
        ("23812345678", "*********78"),  # 11 digits but not a mobile number
        ("１３８１２３４５６７８", "*********７８"),  # full-width: not recognised, fallback
        ("110", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三", "张*"),
        ("欧阳小明", "欧***"),
        ("阿卜杜拉·买买提", "阿*******"),
        (" 李四 ", "李*"),
        ("张", "*"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_name(value, masked):
    assert mask_name(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("91330200MA2AAAAA76", "91************AA76"),
        ("91350100M000100Y43", "91************0Y43"),
        ("D2143569X", "*******9X"),  # an organisation code, not a USCC: fallback
        ("", ""),
        (None, ""),
    ],
)
def test_mask_uscc(value, masked):
    assert mask_uscc(value) == masked


class Unprintable:
    def __str__(self):
        raise RuntimeError("broken")


@pytest.mark.parametrize("masker", MASKERS)
def test_never_raises(masker):
    for odd in (None, "", "   ", 12345678901, 3.5, Unprintable(), "\x00\n", "🙂" * 20):
        assert isinstance(masker(odd), str)
    assert masker(Unprintable()) == ""


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_never_reveals_more_than_the_rule(text):
    stripped = text.strip()
    n = len(stripped)
    for masker, (head, tail) in [
        (mask_person_id, (6, 4)),
        (mask_phone, (3, 4)),
        (mask_name, (1, 0)),
        (mask_uscc, (2, 4)),
    ]:
        masked = masker(text)
        assert len(masked) == n
        shown = [i for i, char in enumerate(masked) if char != "*"]
        for i in shown:
            assert masked[i] == stripped[i]  # nothing is made up
            assert i < head or i >= n - tail  # only the rule's head and tail are shown
        assert n == 0 or "*" in masked  # something is always hidden


@pytest.mark.parametrize("masker", MASKERS)
def test_every_length_hides_something(masker):
    for n in range(1, 41):
        value = ("0123456789ABCDEFGHIJ" * 2)[:n]
        masked = masker(value)
        assert masked != value
        assert len(masked) == n
