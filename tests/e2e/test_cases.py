"""The 最多跑一次 loop in a browser: a citizen applies online, the window asks for 补正, the citizen
supplements, the case is accepted, reviewed, decided and posted; the citizen follows every step,
downloads the acceptance notice and opens the public query its QR code points to. Then a 原件预审
case with its two counted visits.

Sign-in itself has its own journeys (test_accounts_*); here each person's browser gets a session
the way sign-in leaves it, so the journey is about the case.
"""

from __future__ import annotations

import io
import re

import pypdfium2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, expect

from yiwang.accounts.tests.staff_helpers import sign_in_staff
from yiwang.cases import notices
from yiwang.cases.models import Case
from yiwang.cases.tests.helpers import case_world, pdf_bytes

MOBILE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def cases_site(live_server, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return live_server, case_world()


def _context(browser: Browser, server, user, *, staff=False, **options):
    client = Client()
    if staff:
        sign_in_staff(client, user)
    else:
        client.force_login(user)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": server.url,
            }
        ]
    )
    return context.new_page()


def _files(tmp_path, case: Case):
    paths = {}
    for material in case.version.materials.all():
        path = tmp_path / f"{material.pk}.pdf"
        path.write_bytes(pdf_bytes(material.name))
        paths[material.pk] = path
    return paths


def _apply(page, server, item, tmp_path, *, express: bool):
    page.goto(f"{server.url}/items/{item.code}/")
    page.get_by_role("button", name="在线办理").click()
    expect(
        page.get_by_role("heading", name=f"填写申请：{item.current_version.name}")
    ).to_be_visible()
    case = Case.objects.filter(item=item).latest("id")
    page.get_by_label("申请事由").fill("开办社区便民店")
    page.get_by_label("新办").check()
    # choosing the 办理情形 refreshes the material list (htmx): attach files to the new one
    page.wait_for_load_state("networkidle")
    for material_id, path in _files(tmp_path, case).items():
        page.locator(f"#material-{material_id}-file").set_input_files(str(path))
    if express:
        page.get_by_label("邮寄送达").check()
        page.get_by_label("邮寄地址").fill("浙江省宁波市海曙区鼓楼街道中山西路8号")
    return case


def test_fully_online_case_from_application_to_the_parcel(
    cases_site, browser: Browser, shot, tmp_path
):
    server, world = cases_site
    item = world.online_item
    citizen = _context(browser, server, world.citizen, **MOBILE)

    # --- the citizen applies on a phone -----------------------------------------------------
    case = _apply(citizen, server, item, tmp_path, express=True)
    shot(citizen, "case-apply-filled")
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen).to_have_url(re.compile(rf"/my/cases/{case.pk}/$"))
    case.refresh_from_db()
    assert case.number
    expect(citizen.get_by_text(case.number).first).to_be_visible()
    expect(citizen.get_by_text("待受理").first).to_be_visible()
    shot(citizen, "case-submitted")

    # --- the window asks, once, for a corrected material --------------------------------------
    clerk = _context(browser, server, world.clerk, staff=True, **DESKTOP)
    clerk.goto(f"{server.url}/backoffice/cases/?q=pending")
    shot(clerk, "case-queue-pending")
    clerk.get_by_role("link", name=case.number).click()
    clerk.locator("summary", has_text="一次性告知补正").click()
    material = case.version.materials.order_by("order", "id").first()
    clerk.locator(f"#supplement-m-{material.pk}").check()
    clerk.get_by_label(f"“{material.name}”存在的问题").fill("申请表未签名，请签名后重新上传")
    shot(clerk, "case-clerk-supplement")
    clerk.get_by_role("button", name="发出补正告知").click()
    expect(clerk.get_by_text("补正中").first).to_be_visible()

    # --- the citizen supplements online -------------------------------------------------------
    citizen.reload()
    expect(citizen.get_by_role("heading", name="需要补正的材料")).to_be_visible()
    expect(citizen.get_by_text("存在问题：申请表未签名，请签名后重新上传")).to_be_visible()
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(pdf_bytes("signed"))
    citizen.locator(f"#material-{material.pk}-file").set_input_files(str(signed))
    shot(citizen, "case-supplement")
    citizen.get_by_role("button", name="提交补正").click()
    expect(citizen.get_by_text("待受理").first).to_be_visible()

    # --- accepted, reviewed, decided, posted ------------------------------------------------
    clerk.reload()
    clerk.get_by_label("窗口").first.select_option(str(world.window.pk))
    clerk.get_by_role("button", name="受理", exact=True).click()
    expect(clerk.get_by_text("待审查").first).to_be_visible()

    reviewer = _context(browser, server, world.reviewer, staff=True, **DESKTOP)
    reviewer.goto(f"{server.url}/backoffice/cases/{case.pk}/")
    reviewer.get_by_label("审查意见").fill("材料齐全，经营场所符合要求")
    reviewer.get_by_role("button", name="提交审查意见").click()
    expect(reviewer.get_by_text("待决定").first).to_be_visible()

    decider = _context(browser, server, world.decider, staff=True, **DESKTOP)
    decider.goto(f"{server.url}/backoffice/cases/{case.pk}/")
    decider.get_by_label("准予许可").check()
    decider.get_by_label("决定意见").fill("符合条件，准予许可")
    decider.get_by_role("button", name="作出决定").click()
    expect(decider.get_by_text("待送达").first).to_be_visible()

    clerk.reload()
    clerk.get_by_role("button", name="交寄并生成运单").click()
    case.refresh_from_db()
    assert case.status == "in_transit" and case.tracking_number
    expect(clerk.get_by_text(case.tracking_number).first).to_be_visible()
    shot(clerk, "case-clerk-shipped")

    # --- the citizen sees every step, downloads the notice, signs for the parcel -------------
    citizen.reload()
    timeline = citizen.locator("#timeline-title").locator("xpath=..")
    for step in ("提交申请", "一次性告知补正", "补正材料", "受理", "审查", "决定", "办结", "寄送"):
        expect(timeline.get_by_text(step, exact=True).first).to_be_visible()
    expect(timeline).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}|\d{1,2}:\d{2}"))
    shot(citizen, "case-timeline")
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name=re.compile("受理通知书")).click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    text = pypdfium2.PdfDocument(io.BytesIO(pdf))[0].get_textpage().get_text_range()
    expected_url = notices.query_url(case, None)
    assert case.number in text
    assert "受理通知书" in text
    assert expected_url.split("?")[0] in text.replace("\r", "").replace("\n", "")
    citizen.get_by_role("button", name="确认签收").click()
    expect(citizen.get_by_text("已办结").first).to_be_visible()

    # --- the QR code's address: the public query, for anyone ---------------------------------
    anyone = browser.new_context(locale="zh-CN", **MOBILE).new_page()
    anyone.goto(server.url + expected_url)
    expect(anyone.get_by_label("办件编号")).to_have_value(case.number)
    anyone.get_by_label("申请人姓名或身份证号码后4位").fill(world.citizen.name)
    anyone.get_by_role("button", name="查询").click()
    expect(anyone.get_by_text("已办结").first).to_be_visible()
    expect(anyone.get_by_text(case.tracking_number)).to_be_visible()
    expect(anyone.get_by_text("王晓明")).to_have_count(0)  # the name comes back masked
    shot(anyone, "case-public-query")

    out = io.StringIO()
    call_command("audit", "verify", stdout=out)


def test_pre_review_case_takes_two_counted_visits(cases_site, browser: Browser, shot, tmp_path):
    server, world = cases_site
    citizen = _context(browser, server, world.citizen, **DESKTOP)
    case = _apply(citizen, server, world.prereview_item, tmp_path, express=False)
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen).to_have_url(re.compile(rf"/my/cases/{case.pk}/$"))
    expect(citizen.get_by_text("待预审").first).to_be_visible()

    clerk = _context(browser, server, world.clerk, staff=True, **DESKTOP)
    clerk.goto(f"{server.url}/backoffice/cases/?q=pre_review")
    clerk.get_by_role("link", name=Case.objects.get(pk=case.pk).number).click()
    clerk.get_by_role("button", name="预审通过").click()
    expect(clerk.get_by_text("待受理").first).to_be_visible()
    # first visit: the applicant brings the originals and the case is accepted at the window
    clerk.get_by_label("窗口").first.select_option(str(world.window.pk))
    clerk.get_by_role("button", name="受理", exact=True).click()
    expect(clerk.get_by_text("1/2").first).to_be_visible()

    decider = _context(browser, server, world.decider, staff=True, **DESKTOP)
    decider.goto(f"{server.url}/backoffice/cases/{case.pk}/")
    decider.get_by_label("准予许可").check()
    decider.get_by_label("决定意见").fill("准予登记")
    decider.get_by_role("button", name="作出决定").click()

    # second visit: the result collected and signed for
    clerk.reload()
    clerk.get_by_label("签收人").fill("王晓明")
    clerk.get_by_role("button", name="登记领取").click()
    expect(clerk.get_by_text("2/2").first).to_be_visible()
    shot(clerk, "case-prereview-two-visits")
    case.refresh_from_db()
    assert (case.status, case.visits, case.over_visits) == ("completed", 2, False)
    citizen.goto(f"{server.url}/my/cases/{case.pk}/")
    expect(citizen.get_by_text("已办结").first).to_be_visible()
    shot(citizen, "case-prereview-citizen")
    call_command("audit", "verify", stdout=io.StringIO())
