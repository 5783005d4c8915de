"""The home page as citizens meet it: on a desktop, on a 375-px phone, in 长者模式."""

import re

from playwright.sync_api import Page, expect

PHONE = {"width": 375, "height": 812}


def test_desktop_home_shows_the_chinese_site_frame(demo_site, page: Page, shot):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(demo_site.url + "/")

    expect(page).to_have_title("一网政务服务平台")
    expect(page.get_by_role("note")).to_have_text(
        "演示站点：机构与数据均为演示用，不是政府官方网站，请勿在此办理真实业务。"
    )
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    expect(page.get_by_role("heading", level=1)).to_have_text("一网通办 · 最多跑一次")
    expect(page.get_by_role("link", name=re.compile("^个人办事"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^法人办事"))).to_be_visible()
    expect(page.get_by_role("searchbox", name="搜索办事事项")).to_be_visible()
    expect(page.get_by_label("所在地区")).to_have_value("330000000000")
    footer = page.get_by_role("navigation", name="互动交流")
    expect(footer.get_by_role("link")).to_have_text(["咨询", "建议", "投诉"])
    services_nav = page.get_by_role("navigation", name="办事服务")
    expect(services_nav.get_by_role("link")).to_have_text(["办件查询"])
    expect(page.get_by_role("heading", name="当前地区：浙江省")).to_be_visible()
    # the province's 11 cities are offered as one-click region choices
    expect(page.locator(".region-panel .chip")).to_have_count(11)
    shot(page, "home-desktop")


def test_phone_home_fits_375_pixels_without_sideways_scrolling(demo_site, page: Page, shot):
    page.set_viewport_size(PHONE)
    page.goto(demo_site.url + "/")

    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    person = page.get_by_role("link", name=re.compile("^个人办事")).bounding_box()
    enterprise = page.get_by_role("link", name=re.compile("^法人办事")).bounding_box()
    # the two entries stack on a phone instead of squeezing side by side
    assert enterprise["y"] >= person["y"] + person["height"]
    assert person["width"] == enterprise["width"] == PHONE["width"] - 32
    shot(page, "home-phone")


def test_elder_mode_enlarges_text_and_persists(demo_site, page: Page, shot):
    page.set_viewport_size(PHONE)
    page.goto(demo_site.url + "/")
    body_size = "getComputedStyle(document.body).fontSize"
    assert page.evaluate(body_size) == "16px"

    page.get_by_role("button", name="长者模式").click()
    expect(page.get_by_role("button", name="退出长者模式")).to_be_visible()
    assert page.evaluate(body_size) == "21px"

    page.goto(demo_site.url + "/search/?q=社保")
    assert page.evaluate(body_size) == "21px"
    shot(page, "elder-mode-phone")

    page.get_by_role("button", name="退出长者模式").click()
    assert page.evaluate(body_size) == "16px"


def test_region_switch_narrows_to_city_then_county(demo_site, page: Page, shot):
    page.goto(demo_site.url + "/")
    page.get_by_label("所在地区").select_option(label="宁波市")
    page.get_by_role("button", name="切换", exact=True).click()

    expect(page.get_by_role("heading", name="当前地区：浙江省宁波市")).to_be_visible()
    expect(page.get_by_label("所在地区")).to_have_value("330200000000")
    expect(page.locator(".region-panel .chip")).to_have_count(10)

    page.get_by_role("button", name="余姚市").click()
    expect(page.get_by_role("heading", name="当前地区：浙江省宁波市余姚市")).to_be_visible()
    expect(page.get_by_label("所在地区")).to_have_value("330281000000")
    shot(page, "region-yuyao")


def test_search_box_leads_to_the_search_page_and_keeps_the_query(demo_site, page: Page):
    page.goto(demo_site.url + "/")
    box = page.get_by_role("searchbox", name="搜索办事事项")
    box.fill("营业执照")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.get_by_role("searchbox", name="搜索办事事项")).to_have_value("营业执照")
    expect(page.get_by_role("status")).to_contain_text("没有找到与“营业执照”相关的事项")


def test_keyboard_user_can_skip_to_the_main_content(demo_site, page: Page):
    page.goto(demo_site.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
