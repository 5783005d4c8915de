"""The catalogue as citizens meet it: entry pages, themes, departments, the guide and its PDF."""

import re

import pytest
from django.core.files.base import ContentFile

from yiwang.catalog import search as search_engine
from yiwang.catalog import services
from yiwang.catalog.models import Theme
from yiwang.catalog.search.models import SearchClick
from yiwang.catalog.tests.factories import (
    BasicItemFactory,
    ItemVersionFactory,
    ServiceItemFactory,
    StaffFactory,
)
from yiwang.portal import page_cache, views_catalog
from yiwang.regions.tests.factories import ensure_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(client):
    version = ItemVersionFactory(published=True, themes=["P06"])
    # the visitor chose the item's county: its items and those of the levels above are offered
    client.cookies["yw_region"] = version.item.region_id
    return version


def test_personal_page_lists_the_31_themes_in_life_cycle_order(client, published):
    html = client.get("/personal/").content.decode()
    names = re.findall(r'class="theme-tile"[^>]*><span[^>]*>\d+</span>([^<]+)</a>', html)
    assert names == list(
        Theme.objects.filter(audience="person").order_by("order").values_list("name", flat=True)
    )
    assert len(names) == 31
    assert published.item.organization.name in html  # the department list
    assert "热门服务" in html
    ensure_region("330281000000")
    client.cookies["yw_region"] = "330281000000"  # 余姚市: the 海曙区 department is not offered
    assert published.item.organization.name not in client.get("/personal/").content.decode()


def test_enterprise_page_lists_the_34_enterprise_themes(client, published):
    html = client.get("/enterprise/").content.decode()
    assert html.count('class="theme-tile"') == 34


def test_theme_page_lists_the_items_of_the_theme(client, published):
    theme = Theme.objects.get(code="P06")
    html = client.get(f"/themes/{theme.code}/").content.decode()
    assert f"<h1>{theme.name}</h1>" in html
    assert "可办理的事项共 1 项" in html
    assert published.name in html
    assert client.get("/themes/NOPE/").status_code == 404


def test_guide_page_shows_every_element(client, published):
    item = published.item
    html = client.get(f"/items/{item.code}/").content.decode()
    assert f'<h1 id="guide-title">{published.name}</h1>' in html
    for material in published.materials.all():
        assert material.name in html
    for step in published.steps.all():
        assert step.name in html
    assert "最多跑一次" in html and "可预约" in html
    assert f"第{published.number}版" in html
    assert "<svg" in html  # the page's QR code, inline
    assert "承诺办结时限" in html and "咨询电话" in html and "监督电话" in html
    assert f'href="/items/{item.code}/apply/"' in html
    assert f'href="/items/{item.code}/guide.pdf"' in html
    page_cache.flush_views()  # views are written in batches
    item.refresh_from_db()
    assert item.view_count == 1


def test_unknown_item_is_a_chinese_404(client, db):
    response = client.get("/items/NOSUCHCODE/")
    assert response.status_code == 404
    assert "不存在或未发布" in response.content.decode()


def test_a_draft_is_invisible_until_a_reviewer_publishes_it(
    client, published, django_capture_on_commit_callbacks
):
    item = published.item
    editor = StaffFactory(editor_of=item.organization)
    reviewer = StaffFactory(reviewer_of=item.organization)
    draft = services.start_draft(item, actor=editor)
    services.update_draft(draft, actor=editor, promised_time_limit=3)
    services.submit_for_review(draft, actor=editor)

    html = client.get(f"/items/{item.code}/").content.decode()
    assert "承诺办结时限 <strong>5 个工作日</strong>" in html
    assert "第2版" not in html

    with django_capture_on_commit_callbacks(execute=True):  # the publication commits
        services.publish(draft, actor=reviewer, opinion="同意")
    html = client.get(f"/items/{item.code}/").content.decode()
    assert "承诺办结时限 <strong>3 个工作日</strong>" in html
    # the old version stays readable, with what changed
    old = client.get(f"/items/{item.code}/versions/1/").content.decode()
    assert "这不是当前版本" in old
    assert "承诺办结时限 <strong>5 个工作日</strong>" in old
    new = client.get(f"/items/{item.code}/versions/2/").content.decode()
    assert re.search(r"承诺办结时限[^<]*</th><td class=\"old\">5", new)
    assert client.get(f"/items/{item.code}/versions/3/").status_code == 404


def test_guide_pdf_is_served_inline_with_a_chinese_file_name(client, published):
    response = client.get(f"/items/{published.item.code}/guide.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")


def test_blank_form_downloads_from_the_current_guide(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    version = ItemVersionFactory()
    material = version.materials.first()
    material.blank_form.save("form.pdf", ContentFile(b"%PDF-1.4 blank"), save=False)
    services.update_material(material, blank_form=material.blank_form)
    services.publish(services.submit_for_review(version), opinion="同意")
    url = f"/items/{version.item.code}/materials/{material.pk}/form/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 blank"
    assert (
        client.get(f"/items/{version.item.code}/materials/{material.pk}/sample/").status_code == 404
    )


def test_apply_asks_for_sign_in_first(client, published):
    response = client.get(f"/items/{published.item.code}/apply/")
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_unpublished_item_pages_are_404(client, db):
    item = ServiceItemFactory()
    assert client.get(f"/items/{item.code}/").status_code == 404
    assert client.get(f"/items/{item.code}/guide.pdf").status_code == 404


def test_search_page_marks_the_hits_and_links_the_guide(client, published):
    html = client.get("/search/", {"q": published.name}).content.decode()
    assert "相关事项共 1 项" in html
    # through the click counter (test_opening_a_search_result_counts_a_click)
    assert f'href="/search/go/{published.item.code}/" rel="nofollow"' in html
    assert "<mark>" in html
    assert "最多跑一次" in html


def test_search_too_long_is_a_400_that_keeps_the_query(client, db):
    query = "营" * 101
    response = client.get("/search/", {"q": query})
    assert response.status_code == 400
    html = response.content.decode()
    assert "100" in html
    assert f'value="{query}"' in html


@pytest.mark.parametrize("query", ['"', "AND", "*", "😀", "'; DROP TABLE x;--", "NEAR(a b)"])
def test_search_never_errors_on_odd_input(client, db, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_suggestions_offer_names_as_you_type(client, published):
    html = client.get("/search/suggest/", {"q": published.name[:2]}).content.decode()
    assert published.name in html
    assert client.get("/search/suggest/", {"q": ""}).content.decode().strip() == ""


@pytest.fixture
def fresh_cache(settings, tmp_path):
    from django.core.cache import cache

    settings.DATA_DIR = tmp_path  # the catalogue's freshness stamp lives here
    cache.clear()
    yield
    cache.clear()


def test_anonymous_guide_is_served_from_the_cache_until_a_publication(
    client, published, fresh_cache, django_capture_on_commit_callbacks
):
    url = f"/items/{published.item.code}/"
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    assert "csrfmiddlewaretoken" not in first.content.decode()
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content

    item = published.item
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.start_draft(item)
        services.update_draft(draft, promised_time_limit=2)
        services.publish(services.submit_for_review(draft), opinion="同意")
    third = client.get(url)
    assert third["X-Page-Cache"] == "miss"
    assert "承诺办结时限 <strong>2 个工作日</strong>" in third.content.decode()


def test_signed_in_visitors_are_never_served_a_cached_page(client, published, fresh_cache):
    from django.contrib.auth import get_user_model

    url = f"/items/{published.item.code}/"
    client.get(url)
    person = get_user_model().objects.create_user("p-cache", "Pass-2026-x", name="李四")
    client.force_login(person)
    response = client.get(url)
    assert response["X-Page-Cache"] == "bypass"
    assert "李*" in response.content.decode()


# --- paging, the whole province, hot searches and hot services --------------------------------


@pytest.mark.parametrize(
    # not "page": that name is pytest-playwright's browser page, whose session-scoped browser
    # parameter made pytest regroup the tests around the browser journeys
    ("number", "shown"),
    [
        ("2", "第 2 / 2 页"),
        ("99999999999999999999", "第 2 / 2 页"),  # beyond SQLite's 64-bit offsets
        ("9223372036854775808", "第 2 / 2 页"),
        ("3", "第 2 / 2 页"),
        ("0", "第 1 / 2 页"),
        ("-7", "第 1 / 2 页"),
        ("二", "第 1 / 2 页"),
        ("", "第 1 / 2 页"),
    ],
)
def test_theme_and_department_pages_show_the_nearest_page(
    client, published, monkeypatch, number, shown
):
    monkeypatch.setattr(views_catalog, "PAGE_SIZE", 1)
    second = ItemVersionFactory(
        item__organization=published.item.organization, published=True, themes=["P06"]
    )
    last = max(published, second, key=lambda v: v.item.code).name
    for url in ("/themes/P06/", f"/departments/{published.item.organization_id}/"):
        response = client.get(url, {"page": number})
        html = response.content.decode()
        assert (response.status_code, shown in html) == (200, True)
        assert (last in html) == (shown == "第 2 / 2 页")


def test_lower_case_theme_code_redirects_to_the_theme(client, published):
    response = client.get("/themes/p06/", {"page": "2"})
    assert (response.status_code, response["Location"]) == (301, "/themes/P06/?page=2")
    assert client.get("/themes/p99/").status_code == 404


@pytest.fixture
def marriage(db):
    """婚姻登记, a county (海曙区) item, as most of what citizens look for is."""
    basic = BasicItemFactory(name="婚姻登记")
    return ItemVersionFactory(
        item__basic_item=basic,
        name="婚姻登记",
        result_name="结婚证",
        published=True,
        themes=["P04"],
    )


def test_first_time_visitors_see_the_whole_province(client, marriage):
    # No region cookie: the default is 浙江省（全省）, every level of the province.
    html = client.get("/search/", {"q": "结婚"}).content.decode()
    assert "浙江省可办理的相关事项共 1 项" in html
    assert "婚姻登记" in html
    theme = client.get("/themes/P04/").content.decode()
    assert "浙江省可办理的事项共 1 项" in theme
    personal = client.get("/personal/").content.decode()
    assert "浙江省各级部门的个人事项" in personal
    assert marriage.item.organization.name in personal
    hot = personal[personal.index('id="hot-title"') : personal.index("</section>")]
    assert "婚姻登记" in hot

    ensure_region("330281000000")  # 余姚市: a chosen region still narrows the catalogue
    client.cookies["yw_region"] = "330281000000"
    html = client.get("/search/", {"q": "结婚"}).content.decode()
    assert "没有找到与“结婚”相关的事项" in html
    assert "切换到您所在的地区" in html
    assert "可办理的事项共 0 项" in client.get("/themes/P04/").content.decode()


def test_whole_province_with_nothing_found_does_not_ask_to_choose_a_region(client, marriage):
    html = client.get("/search/", {"q": "魑魅魍魉"}).content.decode()
    assert "没有找到与“魑魅魍魉”相关的事项" in html
    assert "切换到您所在的地区" not in html
    theme = client.get("/themes/P01/").content.decode()
    assert "浙江省暂无这一类事项。" in theme
    assert "请在页面上方选择您所在的地区" not in theme


def test_opening_a_search_result_counts_a_click(client, marriage):
    code = marriage.item.code
    response = client.get(f"/search/go/{code.lower()}/")
    assert (response.status_code, response["Location"]) == (302, f"/items/{code}/")
    assert list(SearchClick.objects.values_list("item_id", flat=True)) == [marriage.item_id]
    missing = client.get("/search/go/NOSUCHCODE/")
    assert missing.status_code == 404
    assert "实施编码为 NOSUCHCODE 的事项不存在或未发布" in missing.content.decode()
    assert SearchClick.objects.count() == 1


def _hot_section(html: str) -> str:
    return html[html.index('id="hot-title"') : html.index("</section>")]


def test_hot_services_are_the_most_clicked_once_counted(client, marriage):
    other = ItemVersionFactory(published=True)
    names = sorted([marriage, other], key=lambda v: v.item.code)
    first, second = names[0].name, names[1].name
    # before any click is counted: the most applied for and viewed, then by code
    hot = _hot_section(client.get("/personal/").content.decode())
    assert hot.index(first) < hot.index(second)

    for _ in range(2):
        client.get(f"/search/go/{names[1].item.code}/")
    search_engine.refresh_hot()  # yiwang search hot
    hot = _hot_section(client.get("/personal/").content.decode())
    assert second in hot
    assert first not in hot  # no click, no application: not hot
    # an enterprise page has no person item that is hot: the fallback, also empty here
    assert 'id="hot-title"' not in client.get("/enterprise/").content.decode()


def test_search_page_offers_the_hot_searches(client, marriage):
    assert "热门搜索" not in client.get("/search/").content.decode()
    for query in ("婚姻登记", "婚姻登记", "结婚", "魑魅魍魉"):
        client.get("/search/", {"q": query})
    search_engine.refresh_hot()
    for html in (
        client.get("/search/").content.decode(),
        client.get("/search/", {"q": "结婚"}).content.decode(),
    ):
        links = re.findall(r'<li><a href="/search/\?q=([^"]+)">([^<]+)</a></li>', html)
        # most searched first; a query that found nothing is never offered
        assert links == [
            ("%E5%A9%9A%E5%A7%BB%E7%99%BB%E8%AE%B0", "婚姻登记"),
            ("%E7%BB%93%E5%A9%9A", "结婚"),
        ]


def test_a_replaced_version_keeps_its_own_files(client, published, settings, tmp_path):
    # The API links them (catalog/tests/test_api.py); the current guide's address would 404 for
    # a material of an earlier version.
    settings.MEDIA_ROOT = tmp_path
    item = published.item
    draft = services.start_draft(item)
    material = draft.materials.get(name="申请表")
    material.blank_form.save("form.pdf", ContentFile(b"%PDF-1.4 v2"), save=False)
    services.update_material(material, blank_form=material.blank_form)
    draft.result_sample.save("result.pdf", ContentFile(b"%PDF-1.4 r2"), save=False)
    services.update_draft(draft, result_sample=draft.result_sample)
    services.publish(services.submit_for_review(draft), opinion="同意")
    services.publish(services.submit_for_review(services.start_draft(item)), opinion="同意")

    base = f"/items/{item.code}"
    assert client.get(f"{base}/materials/{material.pk}/form/").status_code == 404
    for url, content in (
        (f"{base}/versions/2/materials/{material.pk}/form/", b"%PDF-1.4 v2"),
        (f"{base}/versions/2/result-sample/", b"%PDF-1.4 r2"),
    ):
        response = client.get(url)
        assert (response.status_code, b"".join(response.streaming_content)) == (200, content)
    assert client.get(f"{base}/versions/1/materials/{material.pk}/form/").status_code == 404
    missing = client.get(f"{base}/versions/9/result-sample/")
    assert missing.status_code == 404
    assert f"事项 {item.code} 没有已发布的第9版" in missing.content.decode()


def test_a_number_too_long_for_an_id_is_a_page_that_does_not_exist(client, published):
    code = published.item.code
    for path in (
        "/departments/9223372036854775808/",
        f"/items/{code}/versions/99999999999999999999/",
    ):
        assert client.get(path).status_code == 404
    assert client.get(f"/items/{code}/versions/1/").status_code == 200
