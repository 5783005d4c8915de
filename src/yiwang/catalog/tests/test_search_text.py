"""Text handling and query parsing of the search: normalisation, segmentation, pinyin,
highlighting, and that no text whatsoever breaks a query (hypothesis)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yiwang.catalog import search
from yiwang.catalog.search import query as query_module
from yiwang.catalog.search.backends import PostgreSQLBackend, SQLiteBackend
from yiwang.catalog.search.text import (
    highlight,
    index_tokens,
    normalize,
    pinyin_full,
    pinyin_initials,
    tokens_text,
)
from yiwang.core.errors import DomainError

ANY_TEXT = st.text(max_size=100)
# Text rich in what a query syntax would read as operators.
SYNTAX = st.text(
    alphabet=st.sampled_from(list("\"'*^-+:(){}[]\\;%_ AND OR NOT NEAR 营业执照 😀\x00\n")),
    max_size=100,
)


@pytest.fixture(autouse=True)
def _no_synonyms(monkeypatch):
    # Parsing reads the synonym table; these tests are about text, not the database.
    monkeypatch.setattr(query_module.synonyms, "expansions", lambda: {})


def test_normalize_keeps_letters_and_digits_only():
    assert normalize("「营业执照」 办理！") == "营业执照 办理"
    assert normalize('A"B*C:D^E-F') == "a b c d e f"
    assert normalize("ＹＹＺＺ①") == "yyzz1"
    assert normalize("😀\x00\t") == ""


def test_index_tokens_are_search_mode():
    assert index_tokens("营业执照") == ("营业", "执照", "营业执照")
    assert tokens_text("住房公积金提取") == " 住房 公积 积金 公积金 提取 "
    assert tokens_text("") == ""


def test_pinyin():
    assert (pinyin_full("营业执照"), pinyin_initials("营业执照")) == ("yingyezhizhao", "yyzz")
    assert pinyin_initials("社会保障卡申领") == "shbzksl"


def test_highlight_escapes_then_marks_and_merges():
    assert highlight("营业执照", ["营业", "执照"]) == "<mark>营业执照</mark>"
    assert (
        highlight("<营业>&执照", ["营业", "执照"])
        == "&lt;<mark>营业</mark>&gt;&amp;<mark>执照</mark>"
    )
    assert highlight("a&amp;b", ["amp"]) == "a&amp;<mark>amp</mark>;b"
    assert highlight('"引号"', ["引号"]) == "&quot;<mark>引号</mark>&quot;"
    assert highlight("ICP备案", ["icp"]) == "<mark>ICP</mark>备案"
    assert highlight("", ["x"]) == ""


def test_parse_drops_stop_words_and_keeps_subwords():
    parsed = query_module.parse("公积金怎么取")
    words = [[w.text for w in a.words] for unit in parsed.units for a in unit.alternatives]
    assert words == [["公积金"], ["取"]]
    assert parsed.units[0].alternatives[0].words[0].parts == ("公积", "积金")


def test_parse_keeps_stop_words_when_nothing_else_is_left():
    parsed = query_module.parse("怎么办")
    assert [a.words[0].text for u in parsed.units for a in u.alternatives] == ["怎么办"]


def test_synonym_spans_become_one_unit(monkeypatch):
    monkeypatch.setattr(query_module.synonyms, "expansions", lambda: {"开饭店": ("食品经营许可",)})
    parsed = query_module.parse("我要开饭店")
    assert len(parsed.units) == 1
    typed, target = parsed.units[0].alternatives
    assert [w.text for w in typed.words] == ["开", "饭店"]
    assert ([w.text for w in target.words], target.weight) == (["食品", "经营", "许可"], 0.9)
    assert parsed.exact == {"我要开饭店": 1.0, "开饭店": 1.0, "食品经营许可": 0.9}


def test_length_limit():
    query_module.parse("x" * search.MAX_QUERY_LENGTH)
    with pytest.raises(DomainError):
        query_module.parse("x" * (search.MAX_QUERY_LENGTH + 1))


@given(text=st.one_of(ANY_TEXT, SYNTAX))
@settings(max_examples=300, deadline=None)
def test_any_text_parses_into_quoted_tokens(text):
    parsed = query_module.parse(text)
    fts = SQLiteBackend().expression(parsed.units, [["r330000000000"]], relaxed=False)
    tsquery = PostgreSQLBackend().expression(parsed.units, [["r330000000000"]], relaxed=True)
    for unit in parsed.units:
        for alternative in unit.alternatives:
            for word in alternative.words:
                for token in word.tokens():
                    # tokens are letters and digits only: nothing for a syntax to interpret
                    assert token and all(c.isalnum() for c in token), token
                    assert f'"{token}"' in fts
                    assert f"'{token}':ABC" in tsquery


@pytest.fixture
def one_item(db):
    from .factories import BasicItemFactory, ItemVersionFactory, ServiceItemFactory

    item = ServiceItemFactory(basic_item=BasicItemFactory(name="营业执照 AND NOT 登记"))
    return ItemVersionFactory(item=item, name="营业执照 AND NOT 登记", published=True).item


@given(text=st.one_of(ANY_TEXT, SYNTAX))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_text_never_breaks_a_search(one_item, text):
    results = search.search(text, region="330203000000", audience="person")
    assert results.total == len(results.results)
    assert results.total in (0, 1)
    assert len(search.suggest(text)) in (0, 1)
