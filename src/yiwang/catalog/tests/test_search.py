"""The catalogue search on a small catalogue built with the catalogue factories: ranking,
synonyms, pinyin, highlighting, region preference, filters, index maintenance and the logs."""

import pytest

from yiwang.catalog import search
from yiwang.catalog.search.models import SearchEntry, SearchLog, SearchTerm, Synonym
from yiwang.catalog.services import retire_item
from yiwang.core.errors import DomainError
from yiwang.regions.tests.factories import OrganizationFactory

from .factories import BasicItemFactory, ItemVersionFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_caches():
    # Synonyms and region chains are cached per process; a rolled-back test must not leave its
    # groups behind.
    from django.core.cache import cache

    from yiwang.catalog.search.engine import clear_region_cache

    search.invalidate_synonyms()
    clear_region_cache()
    cache.clear()
    yield
    search.invalidate_synonyms()
    clear_region_cache()


PROVINCE, NINGBO, HAISHU = "330000000000", "330200000000", "330203000000"
YINZHOU = "330212000000"


def publish(name, organization, *, basic=None, **fields):
    basic = basic or BasicItemFactory(name=name)
    item = ServiceItemFactory(basic_item=basic, organization=organization)
    version = ItemVersionFactory(item=item, name=name, published=True, **fields)
    return version.item


@pytest.fixture
def orgs():
    return {
        "market": OrganizationFactory(region=HAISHU, name="宁波市海曙区市场监督管理局"),
        "civil": OrganizationFactory(region=HAISHU, name="宁波市海曙区民政局"),
        "health": OrganizationFactory(region=HAISHU, name="宁波市海曙区卫生健康局"),
        "fund": OrganizationFactory(region=NINGBO, name="宁波市住房公积金管理中心"),
        "city_civil": OrganizationFactory(region=NINGBO, name="宁波市民政局"),
        "province_civil": OrganizationFactory(region=PROVINCE, name="浙江省民政厅"),
        "yinzhou_civil": OrganizationFactory(region=YINZHOU, name="宁波市鄞州区民政局"),
    }


@pytest.fixture
def catalogue(orgs):
    return {
        "company": publish(
            "企业设立登记",
            orgs["market"],
            result_name="营业执照",
            service_objects=["enterprise"],
            conditions="申请人应当具备设立企业的条件，名称经自主申报。",
        ),
        "food": publish(
            "食品经营许可",
            orgs["market"],
            result_name="食品经营许可证",
            service_objects=["enterprise"],
            conditions="已取得营业执照的食品经营者，有与经营品种相适应的场所。",
        ),
        "marriage": publish("婚姻登记", orgs["civil"], result_name="结婚证"),
        "birth": publish("出生医学证明", orgs["health"], result_name="出生医学证明"),
        "withdraw": publish("住房公积金提取", orgs["fund"], result_name="提取审批"),
        "deposit": publish("住房公积金缴存登记", orgs["fund"], result_name="缴存证明"),
    }


def names(results):
    return [r.name for r in results.results]


# --- query sanitising and limits -------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '"营业执照',
        "营业* OR 执照",
        "NEAR(营业 执照)",
        "营业 AND NOT 执照",
        "name_tokens: 营业",
        "^营业 -执照 +婚姻",
        "'); DROP TABLE catalog_searchentry; --",
        "😀🎉",
        "  ",
        "{name_tokens}: x",
        "a\\b'c",
        "\x00\x1f",
    ],
)
def test_operators_and_quotes_are_words_not_syntax(catalogue, query):
    results = search.search(query)
    assert results.page == 1
    assert SearchEntry.objects.count() == 6


def test_operator_words_still_find_their_item(catalogue):
    assert names(search.search('"营业执照" OR'))[0] == "企业设立登记"


def test_query_of_100_characters_is_accepted_and_101_refused(catalogue):
    assert search.search("魑" * 100).total == 0
    with pytest.raises(DomainError) as refused:
        search.search("婚" * 101)
    assert refused.value.message == "搜索词太长：最多 100 个字，现有 101 个字"
    assert refused.value.field == "q"


def test_empty_query_returns_nothing_and_logs_nothing(catalogue):
    results = search.search("  ！？ ")
    assert (results.total, results.results) == (0, [])
    assert SearchLog.objects.count() == 0


# --- ranking -----------------------------------------------------------------------------------


def test_exact_name_first_then_name_words_then_aliases_then_text(catalogue, orgs):
    publish("营业执照遗失补领", orgs["market"], service_objects=["enterprise"])
    results = search.search("营业执照", log=False)
    # exact (through the synonym group 营业执照 ~ 企业设立登记), name words, alias, material text
    assert names(results) == ["企业设立登记", "营业执照遗失补领", "食品经营许可"]


def test_name_words_beat_materials(catalogue):
    # 居民身份证 is a material of every factory item; no item is named with it
    results = search.search("公积金", log=False)
    assert names(results) == ["住房公积金提取", "住房公积金缴存登记"]


def test_popularity_breaks_ties(catalogue):
    item = catalogue["deposit"]
    item.application_count = 50
    item.save(update_fields=["application_count"])
    search.refresh_hot()
    assert names(search.search("住房公积金", log=False)) == ["住房公积金缴存登记", "住房公积金提取"]


def test_clicks_count_after_refresh(catalogue):
    for _ in range(3):
        search.record_click(catalogue["deposit"].id)
    search.refresh_hot()
    entry = SearchEntry.objects.get(item_id=catalogue["deposit"].id)
    assert (entry.clicks, entry.hot_score, entry.popularity) == (3, 3, 9)
    assert names(search.search("住房公积金", log=False))[0] == "住房公积金缴存登记"


def test_region_prefers_own_region_then_parents(catalogue, orgs):
    basic = catalogue["marriage"].basic_item
    for org in ("city_civil", "province_civil", "yinzhou_civil"):
        publish("婚姻登记", orgs[org], basic=basic)
    results = search.search("婚姻登记", region=HAISHU, log=False)
    assert [r.organization_name for r in results.results] == [
        "宁波市海曙区民政局",
        "宁波市民政局",
        "浙江省民政厅",
    ]
    # 鄞州 is a sibling of 海曙: not in a Haishu user's results
    assert "宁波市鄞州区民政局" not in [r.organization_name for r in results.results]
    whole = search.search("婚姻登记", log=False)
    assert whole.total == 4


# --- synonyms ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("开饭店", "食品经营许可"),
        ("我要结婚", "婚姻登记"),
        ("生孩子", "出生医学证明"),
        ("公积金怎么取", "住房公积金提取"),
        ("工商登记", "企业设立登记"),
    ],
)
def test_everyday_words_find_the_item(catalogue, query, expected):
    assert names(search.search(query, log=False))[0] == expected


def test_synonyms_are_data(catalogue):
    assert search.search("喜结连理", log=False).total == 0
    Synonym.objects.create(terms="喜结连理 婚姻登记", one_way=True)
    search.invalidate_synonyms()
    assert names(search.search("喜结连理", log=False)) == ["婚姻登记"]


def test_one_way_synonym_does_not_expand_back(catalogue):
    # 开饭店 → 食品经营许可, but 食品经营许可 does not search for 开饭店
    Synonym.objects.create(terms="开饭店 婚姻登记", one_way=True)
    search.invalidate_synonyms()
    assert names(search.search("食品经营许可", log=False)) == ["食品经营许可"]


# --- pinyin ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["yyzz", "yingyezhizhao", "YYZZ", "ying ye zhi zhao"])
def test_pinyin_and_initials(catalogue, query):
    results = search.search(query, log=False)
    assert results.interpreted_as == "营业执照"
    assert names(results)[0] == "企业设立登记"


def test_homophone_typo_falls_back_to_the_known_word(catalogue):
    results = search.search("婚因登记", log=False)
    assert (results.interpreted_as, names(results)) == ("婚姻登记", ["婚姻登记"])


def test_unknown_latin_query_finds_nothing(catalogue):
    assert search.search("xyzq", log=False).total == 0


# --- highlighting ------------------------------------------------------------------------------


def test_highlight_marks_matched_words_in_escaped_html(catalogue):
    results = search.search("公积金提取", log=False)
    # 公积金 ~ 住房公积金 (synonyms): the whole name is what was looked for
    assert results.results[0].name_html == "<mark>住房公积金提取</mark>"


def test_highlight_escapes_the_text_first(catalogue, orgs):
    publish("<b>特种</b>设备&使用登记", orgs["market"])
    result = search.search("特种设备", log=False).results[0]
    assert result.name_html == "&lt;b&gt;<mark>特种</mark>&lt;/b&gt;<mark>设备</mark>&amp;使用登记"


def test_highlight_of_synonym_marks_the_target(catalogue):
    result = search.search("开饭店", log=False).results[0]
    assert result.name_html == "<mark>食品经营许可</mark>"


def test_highlight_summary(catalogue):
    result = search.search("食品经营", log=False).results[0]
    assert result.summary_html == (
        "已取得营业执照的<mark>食品经营</mark>者，有与<mark>经营</mark>品种相适应的场所。"
    )


# --- filters -----------------------------------------------------------------------------------


def test_filters_by_audience_and_department(catalogue, orgs):
    assert names(search.search("登记", audience="enterprise", log=False)) == ["企业设立登记"]
    civil = search.search("登记", department=orgs["civil"].id, log=False)
    assert names(civil) == ["婚姻登记"]


def test_unknown_region_is_not_found(catalogue):
    from yiwang.core.errors import NotFound

    with pytest.raises(NotFound) as missing:
        search.search("登记", region="330299000000")
    assert missing.value.field == "region"


def test_pages(catalogue):
    first = search.search("登记", page_size=2, log=False)
    second = search.search("登记", page=2, page_size=2, log=False)
    assert (first.total, first.pages, len(first.results), len(second.results)) == (3, 2, 2, 1)
    assert not set(names(first)) & set(names(second))
    with pytest.raises(DomainError):
        search.search("登记", page=51)


# --- index maintenance -------------------------------------------------------------------------


def test_publishing_a_new_version_reindexes(catalogue):
    item = catalogue["marriage"]
    ItemVersionFactory(item=item, conditions="内地居民在内地登记结婚。", published=True)
    assert names(search.search("内地居民", log=False)) == ["婚姻登记"]
    assert SearchEntry.objects.filter(item_id=item.id).count() == 1


def test_retired_item_leaves_the_index(catalogue):
    retire_item(catalogue["birth"], reason="测试")
    assert search.search("出生医学证明", log=False).total == 0
    assert not SearchEntry.objects.filter(item_id=catalogue["birth"].id).exists()


def test_reindex_all_rebuilds_the_same_results(catalogue):
    before = names(search.search("登记", log=False))
    report = search.reindex_all(batch_size=2)
    assert report.items == 6
    assert names(search.search("登记", log=False)) == before
    assert names(search.search("yyzz", log=False))[0] == "企业设立登记"
    assert SearchTerm.objects.filter(term="企业设立登记", kind="name").count() == 1


def test_remove_item_is_idempotent(catalogue):
    search.remove_item(catalogue["food"].id)
    search.remove_item(catalogue["food"].id)
    assert search.search("食品经营许可", log=False).total == 0


# --- suggestions -------------------------------------------------------------------------------


def test_suggest_by_prefix_pinyin_and_infix(catalogue):
    assert search.suggest("住房") == ["住房公积金提取", "住房公积金缴存登记"]
    assert search.suggest("yy")[0] == "营业执照"
    assert "婚姻登记" in search.suggest("婚姻")
    assert search.suggest("公积金") == ["住房公积金提取", "住房公积金缴存登记"]
    assert search.suggest("") == []


# --- bounded ranking -------------------------------------------------------------------------


def test_broad_query_ranks_a_bounded_set_and_keeps_exact_names(catalogue, monkeypatch):
    from yiwang.catalog.search import engine

    monkeypatch.setattr(engine, "RANKED_CAP", 1)
    results = search.search("登记", log=False)
    assert (results.total, results.total_exact) == (1, False)
    # an exact name is always among the ranked candidates
    exact = search.search("婚姻登记", log=False)
    assert names(exact)[0] == "婚姻登记"


def test_an_overflowing_query_still_ranks_the_items_named_by_it(orgs, monkeypatch):
    from yiwang.catalog.search import backends, engine

    for n in range(3):  # the word only in their conditions, and written first
        publish(f"测试事项{n}", orgs["civil"], conditions="须提交渔船检验证书。")
    publish("渔船检验证书核发", orgs["civil"])
    monkeypatch.setattr(engine, "RANKED_CAP", 2)
    results = search.search("渔船检验证书", log=False)
    assert (results.total, results.total_exact) == (2, False)
    assert names(results)[0] == "渔船检验证书核发"
    # when the first matches hold names enough, the name scan is skipped: only they are ranked
    monkeypatch.setattr(backends, "ENOUGH_NAMES", 0)
    assert "渔船检验证书核发" not in names(search.search("渔船检验证书", log=False))


def test_retired_name_is_no_longer_suggested(catalogue):
    assert search.suggest("出生医学") == ["出生医学证明"]
    retire_item(catalogue["birth"], reason="测试")
    assert search.suggest("出生医学") == []


@pytest.mark.django_db(transaction=True)
def test_the_log_row_commits_on_its_own_without_waiting_for_the_disk(orgs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish("婚姻登记", orgs["civil"], result_name="结婚证")
    with CaptureQueriesContext(connection) as queries:
        found = search.search("结婚", region=HAISHU)
    assert found.results[0].name == "婚姻登记"
    # this test commits: count only its own row (what other committed tests left may match too)
    assert list(
        SearchLog.objects.filter(query="结婚", region_code=HAISHU)
        .order_by("-id")
        .values_list("result_count", flat=True)[:1]
    ) == [found.total]
    asynchronous = [q["sql"] for q in queries if "synchronous_commit" in q["sql"]]
    expected = ["SET LOCAL synchronous_commit TO OFF"] if connection.vendor == "postgresql" else []
    assert asynchronous == expected
