"""A clerk registers a citizen at the window; the citizen then signs in on a PC by scanning the
QR code with a signed-in phone (a second browser context)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, expect

from yiwang.accounts.models import QrLogin, User
from yiwang.accounts.tests.staff_helpers import STAFF_PASSWORD, build_world, enrol
from yiwang.core.identifiers import generate_person_id
from yiwang.notifications.testing import last_sms, sms_codes

PHONE_NUMBER = "13655550099"
MOBILE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def staff_site(live_server, transactional_db):
    return live_server, build_world()


def test_window_registration_then_qr_login(staff_site, browser: Browser, shot):
    server, world = staff_site
    totp = enrol(world.haishu.clerk)

    # --- the clerk signs in: password, then the TOTP code ---------------------------------
    clerk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    page = clerk.new_page()
    page.goto(server.url + "/backoffice/window/register/")
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    page.get_by_label("账号").fill("haishu-clerk")
    page.get_by_label("密码").fill(STAFF_PASSWORD)
    shot(page, "staff-login")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name="输入动态口令")).to_be_visible()
    page.get_by_label("动态口令").fill(totp.now())
    page.get_by_role("button", name="登录").click()

    # --- window registration ---------------------------------------------------------------
    expect(page.get_by_role("heading", name="窗口注册（自然人）")).to_be_visible()
    expect(page.locator(".bo-user")).to_contain_text("陈窗口")
    expect(page.locator(".bo-user")).to_contain_text("窗口受理员")
    id_number = generate_person_id(region="330203")
    page.get_by_label("姓名").fill("赵六")
    page.get_by_label("公民身份号码").fill(id_number)
    page.get_by_label("手机号码").fill(PHONE_NUMBER)
    page.get_by_role("button", name="发送验证码").click()
    expect(page.get_by_role("alert")).to_contain_text("请先核验申请人的身份证原件")
    expect(page.get_by_label("姓名")).to_have_value("赵六")  # typed data kept
    page.get_by_label("已核验身份证原件").check()
    page.get_by_role("button", name="发送验证码").click()
    expect(page.get_by_role("status")).to_contain_text("验证码已发送至136****0099")
    page.get_by_label("短信验证码（申请人手机收到）").fill(sms_codes(PHONE_NUMBER)[-1])
    shot(page, "staff-window-register-code")
    page.get_by_role("button", name="完成注册").click()
    expect(page.get_by_role("status")).to_contain_text("已为赵*（")
    shot(page, "staff-window-register-done")
    citizen = User.objects.by_id_number(id_number).get()
    assert citizen.registration_channel == "window"
    assert "初始密码为" in last_sms(PHONE_NUMBER)
    assert id_number not in page.content()
    clerk.close()

    # --- the citizen's phone is signed in (the app's session) ------------------------------
    signed_in = Client()
    signed_in.force_login(citizen)
    mobile = browser.new_context(locale="zh-CN", **MOBILE)
    host = re.sub(r"^https?://", "", server.url).split(":")[0]
    mobile.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": signed_in.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )

    # --- on the PC: the login page's 扫码登录 tab -----------------------------------------
    pc = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    pc_page = pc.new_page()
    pc_page.goto(server.url + "/account/qr/")
    expect(pc_page.locator(".qr-code svg")).to_be_visible()
    expect(pc_page.locator("#qr-status")).to_contain_text("二维码 2 分钟内有效")
    shot(pc_page, "qr-login-pc")
    token = QrLogin.objects.latest("id").token

    # the account is closed until the initial password from the SMS is changed: scanning leads
    # to the change page first, then back to the confirmation
    initial = re.search(r"初始密码为(\S+?)，", last_sms(PHONE_NUMBER)).group(1)
    phone_page = mobile.new_page()
    phone_page.goto(f"{server.url}/account/qr/{token}/")
    expect(phone_page.get_by_role("heading", name="首次登录请修改密码")).to_be_visible()
    shot(phone_page, "qr-login-phone-initial-password")
    phone_page.locator("#id_old_password").fill(initial)
    phone_page.locator("#id_new_password").fill("Ziji-mima-2026")
    phone_page.locator("#id_new_password2").fill("Ziji-mima-2026")
    phone_page.get_by_role("button", name="确认修改").click()
    expect(phone_page.get_by_role("heading", name="确认在电脑上登录？")).to_be_visible()
    expect(pc_page.locator("#qr-status")).to_contain_text("已扫码", timeout=5000)
    shot(phone_page, "qr-login-phone-confirm")
    shot(pc_page, "qr-login-pc-scanned")
    phone_page.get_by_role("button", name="确认登录").click()
    expect(phone_page.get_by_role("heading", name="已确认登录")).to_be_visible()

    # the PC page polls every 2 s and is signed in once
    pc_page.wait_for_url(server.url + "/", timeout=8000)
    shot(pc_page, "qr-login-pc-signed-in")
    assert QrLogin.objects.get(token=token).status == "used"
    session_cookie = next(c for c in pc.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    from django.contrib.sessions.models import Session

    session = Session.objects.get(session_key=session_cookie["value"]).get_decoded()
    assert int(session["_auth_user_id"]) == citizen.pk
    pc.close()
    mobile.close()
