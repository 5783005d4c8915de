"""Finding a service as a citizen does: search from the home page, read the guide, print it,
switch region; browse the themes on a phone."""

import re

import pypdfium2
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS

PHONE = {"width": 375, "height": 812}
NINGBO = "330200000000"
HAISHU = "330203000000"


def test_search_open_guide_download_pdf_and_switch_region(catalog_site, page: Page, shot):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(catalog_site.url + "/")
    # the province offers its cities; Ningbo then offers its districts
    for region in (NINGBO, HAISHU):
        page.get_by_label("所在地区").select_option(region)
        page.get_by_role("button", name="切换").click()
        expect(page.get_by_label("所在地区")).to_have_value(region)

    box = page.get_by_role("searchbox", name="搜索办事事项")
    box.fill("营业")
    # search-as-you-type offers names before the search is sent
    suggestions = page.get_by_role("list", name="搜索建议")
    expect(suggestions.get_by_role("link").first).to_be_visible()
    shot(page, "catalog-suggest")

    box.fill("开饭店")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    first = page.locator(".search-results > li").first
    expect(first.locator(".item-card-name")).to_contain_text("食品经营许可")
    expect(first.locator("mark").first).to_be_visible()
    shot(page, "catalog-search-results")

    first.locator(".item-card-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("食品经营许可")
    expect(page.get_by_role("heading", name="申请材料")).to_be_visible()
    expect(page.get_by_role("heading", name="办理流程")).to_be_visible()
    expect(page.locator(".guide-qr svg")).to_be_visible()
    expect(page.get_by_role("link", name="在线办理")).to_be_visible()
    expect(page.locator(".guide-version")).to_contain_text("发布")
    shot(page, "catalog-guide")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载办事指南（PDF）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert "食品经营许可" in download.suggested_filename
    pdf = pypdfium2.PdfDocument(download.path().read_bytes())
    first_page = pdf[0]
    assert "食品经营许可" in first_page.get_textpage().get_text_range()
    # a person looks at this PNG: Chinese glyphs, not boxes or blanks
    first_page.render(scale=1.5).to_pil().save(ARTIFACTS / "catalog-guide-pdf-page1.png")
    pdf.close()

    # switching to another county offers that county's items, not Haishu's
    page.get_by_label("所在地区").select_option("330281000000")
    page.get_by_role("button", name="切换").click()
    expect(page.get_by_label("所在地区")).to_have_value("330281000000")
    page.goto(catalog_site.url + "/search/?q=%E5%BC%80%E9%A5%AD%E5%BA%97")
    first = page.locator(".search-results > li").first
    expect(first.locator(".item-card-org")).not_to_contain_text("海曙区")
    shot(page, "catalog-search-yuyao")


def test_theme_navigation_on_a_phone(catalog_site, page: Page, shot):
    page.set_viewport_size(PHONE)
    page.goto(catalog_site.url + "/")
    page.get_by_role("link", name=re.compile("^个人办事")).click()
    # 浙江省（全省）, every first visitor's region, offers the items of every level of the
    # province: the county items (婚姻登记 …) too
    page.get_by_role("link", name=re.compile("婚姻")).first.click()
    expect(page.locator(".item-cards > li").first).to_be_visible()
    for region in (NINGBO, HAISHU):
        page.get_by_label("所在地区").select_option(region)
        page.get_by_role("button", name="切换").click()
        expect(page.get_by_label("所在地区")).to_have_value(region)
    page.get_by_role("link", name=re.compile("^首页")).click()
    page.get_by_role("link", name=re.compile("^个人办事")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("个人办事")
    tiles = page.locator(".theme-tile")
    expect(tiles).to_have_count(31)
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    shot(page, "catalog-personal-phone")

    page.get_by_role("link", name=re.compile("婚姻")).first.click()
    expect(page.locator(".item-cards > li").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    shot(page, "catalog-theme-phone")
    page.locator(".item-card-link").first.click()
    expect(page.get_by_role("heading", name="申请材料")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    shot(page, "catalog-guide-phone")
