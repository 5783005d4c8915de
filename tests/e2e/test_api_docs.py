"""A department developer opens the API documentation: Swagger UI renders from the app's own
static files (no CDN — the machine has no internet) and can call an endpoint."""

from playwright.sync_api import Page, expect


def test_api_docs_render_offline_and_try_an_endpoint(demo_site, page: Page, shot):
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(demo_site.url) else None,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(demo_site.url + "/api/v1/docs")

    expect(page.get_by_role("heading", name="一网 yiwang API")).to_be_visible()
    operation = page.locator("#operations-行政区划与机构-yiwang_regions_api_get_region")
    operation.get_by_role("button").first.click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_placeholder("code").fill("330281")
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".response .microlight").first).to_contain_text(
        '"full_name": "浙江省宁波市余姚市"'
    )
    shot(page, "api-docs")
    assert outside == []
