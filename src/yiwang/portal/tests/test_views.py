"""Portal pages through Django's test client: the frame, preferences and their bad input."""

import pytest

from yiwang.regions import services
from yiwang.regions.division import read_extract


@pytest.fixture
def regions(db):
    services.import_regions(read_extract())


def test_home_renders_the_frame_with_the_province_by_default(client, regions):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in html
    assert "<title>一网政务服务平台</title>" in html
    assert "演示站点：机构与数据均为演示用" in html
    assert '<option value="330000000000" selected>浙江省（全省）</option>' in html
    assert response.context["current_region"].full_name == "浙江省"
    assert [o.label for o in response.context["region_options"]][:3] == [
        "浙江省（全省）",
        "杭州市",
        "宁波市",
    ]
    assert len(response.context["region_options"]) == 12


def test_choosing_a_county_lists_the_counties_of_its_city(client, regions):
    response = client.post("/preferences/region/", {"region": "330281000000", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["yw_region"].value == "330281000000"
    assert response.cookies["yw_region"]["max-age"] == 365 * 24 * 3600

    page = client.get("/")
    options = page.context["region_options"]
    assert len(options) == 1 + 11 + 10
    assert options[3].label == "\u3000海曙区"
    assert page.context["current_region"].full_name == "浙江省宁波市余姚市"
    assert [r.name for r in page.context["region_children"]][:2] == ["梨洲街道", "凤山街道"]


def test_a_chosen_village_is_listed_under_its_county(client, regions):
    client.post("/preferences/region/", {"region": "330203001001"})
    options = [(o.code, o.label) for o in client.get("/").context["region_options"]]
    assert options[2:5] == [
        ("330200000000", "宁波市"),
        ("330203000000", "\u3000海曙区"),
        ("330203001001", "\u3000\u3000南门街道澄浪社区"),
    ]
    assert len(options) == 1 + 11 + 10 + 1


def test_demo_notice_can_be_turned_off_for_a_real_deployment(client, regions, settings):
    settings.DEMO_NOTICE = False
    settings.SITE_NAME = "某省政务服务网"
    html = client.get("/").content.decode()
    assert "<title>某省政务服务网</title>" in html
    assert "演示" not in html


def test_a_city_deployment_offers_its_whole_city_first(client, regions, settings):
    settings.HOME_REGION = "330200000000"
    options = client.get("/").context["region_options"]
    assert (options[0].label, len(options)) == ("宁波市（全市）", 11)


@pytest.mark.parametrize("bad", ["", "abc", "330299000000", "33020300000X"])
def test_unknown_or_malformed_region_changes_nothing(client, regions, bad):
    client.post("/preferences/region/", {"region": "330200000000"})
    response = client.post("/preferences/region/", {"region": bad, "next": "/"})
    assert response.status_code == 302
    assert "yw_region" not in response.cookies
    assert client.get("/").context["current_region"].code == "330200000000"


def test_forged_cookie_falls_back_to_the_home_region(client, regions):
    client.cookies["yw_region"] = "not-a-code"
    assert client.get("/").context["current_region"].code == "330000000000"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_redirect_after_a_preference_never_leaves_the_site(client, regions, target):
    response = client.post("/preferences/elder-mode/", {"on": "1", "next": target})
    assert response["Location"] == "/"


def test_elder_mode_cookie_switches_the_class_on_and_off(client, regions):
    response = client.post("/preferences/elder-mode/", {"on": "1", "next": "/search/?q=社保"})
    assert response["Location"] == "/search/?q=%E7%A4%BE%E4%BF%9D"
    assert response.cookies["yw_elder"].value == "1"
    assert '<html lang="zh-Hans" class="elder">' in client.get("/").content.decode()

    client.post("/preferences/elder-mode/", {"on": "0"})
    assert '<html lang="zh-Hans">' in client.get("/").content.decode()


def test_preferences_refuse_get(client, regions):
    assert client.get("/preferences/elder-mode/").status_code == 405


def test_search_keeps_the_query_and_says_when_nothing_is_found(client, regions):
    response = client.get("/search/", {"q": "  营业执照  "})
    html = response.content.decode()
    assert response.context["query"] == "营业执照"
    assert 'value="营业执照"' in html
    assert "没有找到与“营业执照”相关的事项" in html


def test_search_query_is_escaped(client, regions):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/interaction/consult/", "<h1>咨询</h1>"),
        ("/interaction/suggest/", "<h1>建议</h1>"),
        ("/interaction/complain/", "<h1>投诉</h1>"),
    ],
)
def test_entry_and_footer_pages_exist(client, regions, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_unknown_page_is_a_chinese_404(client, regions):
    response = client.get("/interaction/nonsense/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_home_works_before_any_region_is_loaded(client, db):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["current_region"] is None
    assert response.context["region_options"] == []
    assert "在一网政务服务平台办理政务服务" in html
    assert "行政区划数据尚未导入" in html


def test_expired_form_shows_a_chinese_page_not_djangos(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/account/login/", {"identifier": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>页面已过期</h1>" in html
    assert "DEBUG" not in html


def test_unknown_host_gets_a_chinese_400(client, db):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "<h1>请求无法处理</h1>" in response.content.decode()
