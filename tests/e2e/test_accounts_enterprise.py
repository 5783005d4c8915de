"""The legal-person journey in a real browser: register an enterprise, delegate over three
levels, act for the enterprise, and revoke at level 1 — everyone signs in on the real login page.

张三 (legal representative, level 1) registers 宁波海曙示例贸易有限公司 and makes 钱经理 a
管理者 (level 2); 钱经理 re-delegates to 孙主管 (level 3), who is refused a fourth level, acts
for the enterprise (the header says so) — until 张三 revokes 钱经理's grant, which takes 孙主管's
with it at once.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from yiwang.accounts.constants import GrantStatus
from yiwang.accounts.models import Enterprise, Grant
from yiwang.accounts.tests.enterprise_helpers import library_record, person, uscc

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
COMPANY = "宁波海曙示例贸易有限公司"
PASSWORD = "Yiwang-test-2026"


@pytest.fixture
def cast(live_server):
    people = {
        "rep": person("张三", 1, password=True),
        "manager": person("钱经理", 2, password=True),
        "third": person("孙主管", 3, password=True),
        "fourth": person("李四", 4, password=True),
    }
    code = uscc(1)
    library_record(code, COMPANY, people["rep"])
    return people, code


def sign_in(browser: Browser, base: str, who, viewport=DESKTOP) -> Page:
    """A fresh browser context signed in as ``who`` on /account/login/ (ID number, password)."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport)
    page = context.new_page()
    page.goto(base + "/account/login/?next=/account/enterprise/")
    page.get_by_label("身份证号或手机号").fill(who.id_number)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1, name="我的企业")).to_be_visible()
    return page


def grant_to(page: Page, who, role: str) -> None:
    page.get_by_label("被授权人身份证号或手机号").fill(who.id_number)
    page.get_by_role("radio", name=role).check()
    page.get_by_role("button", name="确认授权").click()


def test_register_delegate_three_levels_act_and_revoke(live_server, browser: Browser, cast, shot):
    people, code = cast
    base = live_server.url

    # 1. the legal representative registers the enterprise (a mistyped name first: kept, told)
    rep = sign_in(browser, base, people["rep"])
    expect(rep.get_by_text("您还没有可以办事的企业。")).to_be_visible()
    rep.get_by_role("link", name="法人注册").first.click()
    rep.get_by_label("统一社会信用代码").fill(code)
    rep.get_by_label("企业名称").fill("宁波海曙示例贸易公司")
    rep.get_by_role("button", name="提交注册").click()
    expect(rep.get_by_role("alert")).to_contain_text("企业信息核验未通过")
    expect(rep.get_by_label("统一社会信用代码")).to_have_value(code)
    expect(rep.get_by_label("企业名称")).to_have_value("宁波海曙示例贸易公司")
    shot(rep, "enterprise-register-mismatch")
    rep.get_by_label("企业名称").fill(COMPANY)
    rep.get_by_role("button", name="提交注册").click()
    expect(rep.get_by_role("status").first).to_have_text(
        f"“{COMPANY}”法人用户注册成功，已与您的账号绑定"
    )
    card = rep.locator(".ea-card").filter(has_text=COMPANY)
    expect(card.locator(".ea-badge")).to_have_text("法定代表人")
    shot(rep, "enterprise-my-enterprises")

    # 2. level 2: the legal representative makes 钱经理 a manager
    card.get_by_role("link", name=re.compile("^授权管理")).click()
    grant_to(rep, people["manager"], "管理者")
    expect(rep.get_by_role("status").first).to_contain_text("已授权钱**为管理者（第2级）")

    # 3. level 3: 钱经理 re-delegates to 孙主管, as a manager too
    manager = sign_in(browser, base, people["manager"])
    manager.get_by_role("link", name=re.compile("^授权管理")).click()
    expect(manager.get_by_text("您授权的有效期和范围不能超出您本人的授权")).to_be_visible()
    grant_to(manager, people["third"], "管理者")
    expect(manager.get_by_role("status").first).to_contain_text("已授权孙**为管理者（第3级）")

    # 4. a fourth level is refused: 孙主管 is offered no grant form, and told why
    third = sign_in(browser, base, people["third"], viewport=PHONE)
    expect(third.locator(".ea-card .ea-badge")).to_have_text("管理者 · 第3级")
    third.get_by_role("link", name=re.compile("^授权管理")).click()
    expect(third.get_by_text(re.compile("^授权层级不能超过三级"))).to_be_visible()
    expect(third.get_by_role("button", name="确认授权")).to_have_count(0)
    assert Grant.objects.filter(grantee=people["fourth"]).count() == 0

    # 5. the third level acts for the enterprise: every page's header says so
    third.get_by_role("navigation", name="法人用户").get_by_role("link", name="我的企业").click()
    third.get_by_role("button", name=re.compile("^以企业身份办事")).click()
    header = third.locator(".acting-identity")
    expect(header).to_have_text(re.compile(rf"当前身份：{COMPANY}（管理者）\s*切换回个人"))
    assert third.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    shot(third, "enterprise-acting-phone")
    third.goto(base + "/")
    expect(third.locator(".acting-identity")).to_contain_text(f"当前身份：{COMPANY}（管理者）")

    # the representative's tree shows the three levels
    rep.reload()
    expect(rep.locator(".ea-tree .ea-level")).to_have_text(["第2级", "第3级"])
    shot(rep, "enterprise-grant-tree")

    # 6. revocation at level 1: the confirmation lists level 3, then both go at once
    node = rep.locator(".ea-node").filter(has_text="钱**").first
    node.get_by_role("link", name=re.compile("^撤销")).first.click()
    expect(rep.get_by_role("list", name="一并撤销的下级授权")).to_have_text(
        re.compile(r"第3级 孙\*\*（管理者")
    )
    shot(rep, "enterprise-revoke-confirm")
    rep.get_by_role("button", name=re.compile("^确认撤销")).click()
    expect(rep.get_by_role("alert")).to_contain_text("撤销原因")  # the reason is required
    rep.get_by_label("撤销原因").fill("钱经理离职")
    rep.get_by_role("button", name="确认撤销（共 2 项）").click()
    expect(rep.get_by_role("status").first).to_have_text("已撤销 2 项授权")
    expect(rep.get_by_text("还没有授权。")).to_be_visible()
    assert sorted(Grant.objects.values_list("status", flat=True)) == [
        GrantStatus.REVOKED,
        GrantStatus.REVOKED,
    ]

    # the third level's very next page no longer acts for the enterprise
    third.reload()
    expect(third.locator(".acting-identity")).to_have_count(0)
    third.goto(base + "/account/enterprise/")
    expect(third.get_by_text("您还没有可以办事的企业。")).to_be_visible()
    assert Enterprise.objects.get(uscc=code).legal_representative == people["rep"]


def test_grant_page_on_a_phone_in_elder_mode(live_server, browser: Browser, cast, shot):
    people, code = cast
    from yiwang.accounts import services

    services.register_enterprise(
        people["rep"], uscc=code, name=COMPANY, legal_representative_name="张三"
    )
    page = sign_in(browser, live_server.url, people["rep"], viewport=PHONE)
    page.get_by_role("button", name="长者模式").click()
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "21px"
    page.get_by_role("link", name=re.compile("^授权管理")).click()
    grant_to(page, people["manager"], "经办人")
    expect(page.get_by_role("status").first).to_contain_text("已授权钱**为经办人（第2级）")
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    shot(page, "enterprise-grants-phone-elder")
