"""The catalogue as citizens meet it: entry pages, themes, departments, the guide and its PDF."""

import re

import pytest
from django.core.files.base import ContentFile

from yiwang.catalog import services
from yiwang.catalog.models import Theme
from yiwang.catalog.tests.factories import ItemVersionFactory, ServiceItemFactory, StaffFactory
from yiwang.portal import page_cache

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
    assert f'href="/items/{published.item.code}/"' in html
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
