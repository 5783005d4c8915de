"""A person's account in a real browser: register online with the SMS code from the outbox,
sign out, sign in with the password, sign in with an SMS code; the registration page on a
375-px phone; 获取验证码 without JavaScript.

The person comes from the population library (人口库); the test writes that record directly, as
``yiwang baselib import`` and the demo loader do.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from yiwang.accounts.models import Throttle, User
from yiwang.accounts.tests.persons_helpers import citizen, ensure_agreement
from yiwang.notifications.testing import sms_codes

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "Zheli-ban-2026"


@pytest.fixture
def person(live_server, settings):
    settings.SMS_BACKEND = "outbox"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ensure_agreement()
    return citizen(1)


def _forget_resend_wait() -> None:
    # Stands for the minute that passes between two codes to one phone (60 s rule), so that the
    # journey need not sleep.
    Throttle.objects.filter(key__startswith="sms:resend:").delete()


def _fill_registration(page: Page, person) -> None:
    page.get_by_label("姓名").fill(person.name)
    page.get_by_label("公民身份号码").fill(person.id_number)
    page.get_by_label("手机号码").fill(person.phone)


def test_register_sign_out_sign_in_with_password_and_with_sms(live_server, person, page, shot):
    page.set_viewport_size(DESKTOP)
    base = live_server.url
    page.goto(base + "/")
    page.get_by_role("navigation", name="账号", exact=True).get_by_role("link", name="注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("个人用户注册")

    # 1. the code: htmx swaps the box, the button counts down from 60
    _fill_registration(page, person)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("status").filter(has_text="验证码已发送")).to_have_text(
        "验证码已发送至139****0001，5分钟内有效。60秒后可重新获取。"
    )
    countdown = page.locator("[data-sms-box] button")
    expect(countdown).to_be_disabled()
    expect(countdown).to_have_text(re.compile(r"^(60|59|58|57)秒后可重新获取$"))
    expect(page.get_by_label("短信验证码")).to_be_focused()
    code = sms_codes(person.phone)[-1]

    # 2. a mistyped bank card: one generic message, everything typed still there but secrets
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("radio", name="银行卡号").check()
    page.get_by_label("所选证件或账户的号码").fill("6222021001999999999")
    page.get_by_label("登录密码").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="同意协议并注册").click()
    expect(page.get_by_role("alert")).to_contain_text("实名信息核验未通过，请核对后重试")
    expect(page.get_by_label("公民身份号码")).to_have_value(person.id_number)
    expect(page.get_by_label("所选证件或账户的号码")).to_have_value("6222021001999999999")
    expect(page.get_by_role("radio", name="银行卡号")).to_be_checked()
    expect(page.get_by_label("登录密码")).to_have_value("")
    expect(page.get_by_label("短信验证码")).to_have_value("")
    shot(page, "person-register-mismatch")

    # 3. corrected: the same code is still good (a refused form does not use it up)
    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("所选证件或账户的号码").fill(person.bank_card)
    page.get_by_label("登录密码").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_role("button", name="同意协议并注册").click()
    expect(page).to_have_url(base + "/account/")
    expect(page.get_by_role("status").first).to_have_text("注册成功，欢迎使用一网政务服务平台。")
    expect(page.get_by_role("heading", level=1)).to_have_text("个人中心")
    masked_id = person.id_number[:6] + "********" + person.id_number[-4:]
    expect(page.get_by_text(masked_id)).to_be_visible()
    account_nav = page.get_by_role("navigation", name="账号", exact=True)
    expect(account_nav.get_by_role("link")).to_have_text("王**")
    assert User.objects.get().id_number == person.id_number
    shot(page, "person-account-centre")

    # 4. sign out, then in with ID number + password
    account_nav.get_by_role("button", name="退出").click()
    expect(page).to_have_url(base + "/")
    page.get_by_role("navigation", name="账号", exact=True).get_by_role("link", name="登录").click()
    page.get_by_label("身份证号或手机号").fill(person.id_number)
    page.get_by_label("密码").fill("Wrong-pass-1")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("账号或密码错误")
    expect(page.get_by_label("身份证号或手机号")).to_have_value(person.id_number)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("个人中心")
    history = page.locator("table.history tbody tr")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("成功")
    expect(history.nth(1)).to_contain_text("失败（密码错误）")

    # 5. sign out, then in with phone + SMS code
    page.get_by_role("navigation", name="账号", exact=True).get_by_role(
        "button", name="退出"
    ).click()
    page.goto(base + "/account/login/")
    page.get_by_role("link", name="短信登录").click()
    expect(page.get_by_role("link", name="短信登录")).to_have_attribute("aria-current", "page")
    _forget_resend_wait()
    page.get_by_label("绑定手机号").fill(person.phone)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("status").filter(has_text="验证码已发送")).to_be_visible()
    page.get_by_label("短信验证码").fill(sms_codes(person.phone)[-1])
    shot(page, "person-login-sms")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("个人中心")
    expect(page.locator("table.history tbody tr").first).to_contain_text("短信验证码")


def test_registration_page_on_a_phone(live_server, person, page: Page, shot):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/account/register/")

    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    button = page.get_by_role("button", name="获取验证码").bounding_box()
    phone_input = page.get_by_label("手机号码").bounding_box()
    # the button goes under the phone field and is as wide as it, easy to tap
    assert button["y"] >= phone_input["y"] + phone_input["height"]
    assert button["height"] >= 44
    shot(page, "person-register-phone")

    page.get_by_role("button", name="同意协议并注册").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("请修改以下问题")
    expect(summary.get_by_role("link", name="请输入姓名")).to_have_attribute("href", "#id_name")
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    shot(page, "person-register-phone-errors")


def test_elder_mode_registration_page(live_server, person, page: Page, shot):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/account/register/")
    page.get_by_role("button", name="长者模式").click()

    assert page.evaluate("getComputedStyle(document.body).fontSize") == "21px"
    assert page.get_by_label("姓名").bounding_box()["height"] >= 52
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    shot(page, "person-register-elder")


def test_sms_code_without_javascript(live_server, person, browser: Browser, shot):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/account/register/")
    _fill_registration(page, person)

    page.get_by_role("button", name="获取验证码").click()

    expect(page.get_by_role("status").filter(has_text="验证码已发送")).to_have_text(
        "验证码已发送至139****0001，5分钟内有效。60秒后可重新获取。"
    )
    expect(page.get_by_label("公民身份号码")).to_have_value(person.id_number)
    expect(page.get_by_label("手机号码")).to_have_value(person.phone)
    assert len(sms_codes(person.phone)) == 1
    page.get_by_role("button", name="重新获取验证码").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile(r"验证码已发送，请\d+秒后再重新获取"))
    shot(page, "person-register-nojs")
    context.close()
