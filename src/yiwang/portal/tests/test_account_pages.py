"""The person account pages: typed values kept on every refusal (never passwords or codes),
error summary linked to fields, 获取验证码 with and without htmx, sign-in, self-service."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from yiwang.accounts.models import User
from yiwang.accounts.tests.persons_helpers import (  # noqa: F401  (fixtures)
    PASSWORD,
    account,
    citizen,
    sms_outbox,
)
from yiwang.notifications.testing import sms_codes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

REGISTER = "/account/register/"
LOGIN = "/account/login/"


def _text(response) -> str:
    return response.content.decode()


def _form(person, **overrides):
    data = {
        "action": "register",
        "name": person.name,
        "id_number": person.id_number,
        "phone": person.phone,
        "sms_code": "",
        "second_factor_kind": "bank_card",
        "second_factor_value": person.bank_card,
        "password": PASSWORD,
        "password2": PASSWORD,
        "agreement": "1",
    }
    data.update(overrides)
    return data


def test_urls_are_where_the_header_and_other_pages_expect_them():
    assert reverse("portal:account") == "/account/"
    assert reverse("portal:account-register") == REGISTER
    assert reverse("portal:account-login") == LOGIN
    assert reverse("portal:account-logout") == "/account/logout/"
    assert reverse("portal:account-forgot") == "/account/password/forgot/"


def test_register_page_shows_the_agreement_and_the_fields(client):
    page = _text(client.get(REGISTER))

    assert "<h1>个人用户注册</h1>" in page
    assert '<label for="id_id_number">公民身份号码' in page
    assert "第一条 实名注册" in page
    assert 'name="agreement" value="1"' in page
    assert "我已阅读并同意《一网政务服务平台网上服务协议》（第1版）" in page
    assert page.count('name="second_factor_kind"') == 4
    assert ">获取验证码</button>" in page


def test_header_offers_sign_in_and_registration_to_visitors(client):
    page = _text(client.get("/"))
    assert '<nav class="account-nav" aria-label="账号">' in page
    assert ">登录</a>" in page and ">注册</a>" in page


def test_send_code_without_javascript_keeps_everything_typed_except_secrets(client):
    person = citizen(1)
    response = client.post(REGISTER, _form(person, action="send_code", sms_code="123456"))

    page = _text(response)
    assert response.status_code == 200
    assert "验证码已发送至139****0001，5分钟内有效。60秒后可重新获取。" in page
    assert 'data-countdown="60"' in page
    assert f'value="{person.id_number}"' in page
    assert f'value="{person.bank_card}"' in page
    assert 'value="王晓明"' in page
    assert PASSWORD not in page and 'value="123456"' not in page
    assert len(sms_codes(person.phone)) == 1


def test_send_code_with_htmx_returns_only_the_box(client):
    person = citizen(2)
    response = client.post(
        "/account/sms-code/",
        {"sms_purpose": "register", "phone": person.phone},
        headers={"HX-Request": "true"},
    )

    page = _text(response)
    assert page.strip().startswith('<div class="sms-box" data-sms-box>')
    assert "验证码已发送至139****0002" in page
    assert 'data-countdown="60"' in page
    again = client.post(
        "/account/sms-code/",
        {"sms_purpose": "register", "phone": person.phone},
        headers={"HX-Request": "true"},
    )
    assert re.search(r"验证码已发送，请\d+秒后再重新获取", _text(again))


def test_sms_code_endpoint_needs_htmx(client):
    response = client.post("/account/sms-code/", {"sms_purpose": "register", "phone": "1"})
    assert response.status_code == 400


def test_register_refusal_keeps_typed_values_and_links_the_summary_to_the_field(client):
    person = citizen(3)
    wrong = person.id_number[:17] + ("0" if person.id_number[17] != "0" else "1")

    response = client.post(REGISTER, _form(person, id_number=wrong, sms_code="654321"))

    page = _text(response)
    assert response.status_code == 200
    assert "<title>错误：个人用户注册" in page
    message = f"校验码错误：应为{person.id_number[17]}，实为{wrong[17]}"
    assert f'<li><a href="#id_id_number">{message}</a></li>' in page
    assert 'aria-invalid="true" aria-describedby="id_id_number-hint id_id_number-error"' in page
    assert f'value="{wrong}"' in page and f'value="{person.phone}"' in page
    assert 'value="bank_card" checked' in page
    assert 'name="agreement" value="1" checked' in page
    assert PASSWORD not in page and "654321" not in page


def test_mismatched_password_confirmation_is_caught_before_the_service(client):
    person = citizen(4)
    page = _text(client.post(REGISTER, _form(person, password2="Other-pass-1")))
    assert '<a href="#id_password2">两次输入的密码不一致</a>' in page


def test_registration_signs_in_and_lands_in_the_personal_centre(client):
    person = citizen(5)
    client.post(REGISTER, _form(person, action="send_code"))
    code = sms_codes(person.phone)[-1]

    response = client.post(REGISTER, _form(person, sms_code=code))

    assert response.status_code == 302 and response["Location"] == "/account/"
    centre = _text(client.get("/account/"))
    assert "注册成功，欢迎使用一网政务服务平台。" in centre
    assert person.id_number[:6] + "********" + person.id_number[-4:] in centre
    assert "139****0005" in centre
    assert person.id_number not in centre and person.phone not in centre
    assert "已实名（网上注册" in centre
    header = _text(client.get("/"))
    assert ">王**</a>" in header and ">退出</button>" in header


def test_duplicate_registration_offers_password_recovery(client):
    person = citizen(6)
    account(person, phone="13600000006")
    client.post(REGISTER, _form(person, action="send_code"))

    page = _text(client.post(REGISTER, _form(person, sms_code=sms_codes(person.phone)[-1])))

    assert '<a href="#id_id_number">该身份证号已注册</a>' in page
    assert '<a href="/account/password/forgot/">通过短信找回密码</a>' in page


def test_real_name_mismatch_shows_the_generic_message(client):
    person = citizen(7)
    client.post(REGISTER, _form(person, action="send_code"))
    code = sms_codes(person.phone)[-1]

    page = _text(client.post(REGISTER, _form(person, name="王小明", sms_code=code)))

    assert "<li>实名信息核验未通过，请核对后重试</li>" in page
    assert 'value="王小明"' in page


# --- sign-in ----------------------------------------------------------------------------------


def test_login_page_has_three_tabs_with_the_current_one_marked(client):
    page = _text(client.get(LOGIN))
    assert re.findall(r'<li><a href="\?method=(\w+)"', page) == ["password", "sms", "qr"]
    assert 'aria-current="page" class="is-active">密码登录</a>' in page
    assert '<label for="id_identifier">身份证号或手机号</label>' in page
    qr = _text(client.get(LOGIN + "?method=qr"))
    assert "扫码登录" in qr


def test_wrong_password_keeps_the_identifier_and_never_echoes_the_password(client):
    person = citizen(8)
    account(person)

    page = _text(
        client.post(
            LOGIN, {"method": "password", "identifier": person.phone, "password": "Wrong-secret-9"}
        )
    )

    assert "<li>账号或密码错误</li>" in page
    assert f'value="{person.phone}"' in page
    assert "Wrong-secret-9" not in page


def test_password_sign_in_goes_to_next(client):
    person = citizen(9)
    account(person)

    response = client.post(
        LOGIN,
        {
            "method": "password",
            "identifier": person.id_number,
            "password": PASSWORD,
            "next": "/search/?q=社保",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/search/?q=%E7%A4%BE%E4%BF%9D"
    evil = client.post(
        LOGIN,
        {
            "method": "password",
            "identifier": person.id_number,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert evil["Location"] == "/account/"


def test_first_sign_in_with_an_initial_password_forces_the_change(client):
    person = citizen(10)
    account(person, must_change_password=True)

    response = client.post(
        LOGIN, {"method": "password", "identifier": person.phone, "password": PASSWORD}
    )

    assert response["Location"] == "/account/password/?next=%2Faccount%2F"
    assert client.get("/account/")["Location"] == "/account/password/?next=%2Faccount%2F"
    page = _text(client.get("/account/password/"))
    assert "首次登录请修改密码" in page
    assert '<a href="/account/password/forgot/">用绑定手机的短信验证码重设密码</a>' in page
    done = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password": "Xin-mima-2027",
            "new_password2": "Xin-mima-2027",
            "next": "/account/",
        },
    )
    assert done["Location"] == "/account/"
    assert client.get("/account/").status_code == 200  # still signed in


def test_until_the_initial_password_is_changed_the_account_can_do_nothing_else(client):
    person = citizen(12)
    user = account(person, must_change_password=True)
    client.force_login(user)
    closed = [
        "/account/enterprise/",
        "/account/access-log/",
        "/account/profile/",
        "/items/330203000000000000000000000001/apply/",
        "/oauth/authorize/?client_id=x&response_type=code",
    ]
    for path in closed:
        response = client.get(path)
        assert (path, response.status_code) == (path, 302)
        assert response["Location"].startswith("/account/password/?next=%2F")
    # a form posted elsewhere is refused without a "next" that would repeat it
    assert client.post("/account/profile/", {"email": "a@b.cn"})["Location"] == "/account/password/"
    api = client.get("/api/v1/me/enterprises")
    assert (api.status_code, api["Content-Type"], api.json()["detail"]) == (
        403,
        "application/problem+json",
        "请先修改初始密码：窗口开户时短信发送的初始密码修改前，账号只能用来修改密码或退出",
    )
    # public pages, the change page and sign-out stay open
    assert client.get("/").status_code == 200
    assert client.get("/account/password/").status_code == 200
    assert client.post("/account/logout/")["Location"] == "/"
    assert client.get("/account/")["Location"].startswith(LOGIN)


def test_an_account_with_its_own_password_is_not_stopped(client):
    client.force_login(account(citizen(13)))
    assert client.get("/account/access-log/").status_code == 200
    assert client.get("/api/v1/me/enterprises").status_code == 200


def test_sms_sign_in_without_javascript(client):
    person = citizen(11)
    user = account(person)
    sent = client.post(LOGIN, {"method": "sms", "action": "send_code", "phone": person.phone})
    assert "验证码已发送至139****0011" in _text(sent)

    response = client.post(
        LOGIN, {"method": "sms", "phone": person.phone, "sms_code": sms_codes(person.phone)[-1]}
    )

    assert response["Location"] == "/account/"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_logout_signs_out(client):
    person = citizen(12)
    account(person)
    client.post(LOGIN, {"method": "password", "identifier": person.phone, "password": PASSWORD})

    response = client.post("/account/logout/")

    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert client.get("/account/")["Location"] == "/account/login/?next=/account/"


# --- self-service -----------------------------------------------------------------------------


def test_forgot_password_page_resets_by_sms(client):
    person = citizen(13)
    user = account(person)
    data = {"id_number": person.id_number, "phone": person.phone}
    client.post("/account/password/forgot/", {**data, "action": "send_code"})

    response = client.post(
        "/account/password/forgot/",
        {
            **data,
            "sms_code": sms_codes(person.phone)[-1],
            "new_password": "Xin-mima-2027",
            "new_password2": "Xin-mima-2027",
        },
    )

    assert response["Location"] == "/account/login/"
    user.refresh_from_db()
    assert user.check_password("Xin-mima-2027")
    assert "密码已重置，请使用新密码登录。" in _text(client.get(LOGIN))


def test_change_phone_in_two_steps(client):
    person = citizen(14)
    user = account(person)
    client.force_login(user)
    client.post("/account/phone/", {"action": "send_code"})
    step_two = client.post("/account/phone/", {"sms_code": sms_codes(person.phone)[-1]})
    assert step_two["Location"] == "/account/phone/"
    assert "验证新手机号" in _text(client.get("/account/phone/"))

    sent = client.post("/account/phone/", {"action": "send_code", "new_phone": "13800000014"})
    assert 'value="13800000014"' in _text(sent)
    done = client.post(
        "/account/phone/",
        {"new_phone": "13800000014", "sms_code": sms_codes("13800000014")[-1]},
    )

    assert done["Location"] == "/account/"
    user.refresh_from_db()
    assert user.phone == "13800000014"
    assert "绑定手机号已更换为138****0014。" in _text(client.get("/account/"))


def test_profile_change_keeps_typed_values_on_a_wrong_code(client):
    person = citizen(15)
    user = account(person)
    client.force_login(user)
    client.post("/account/profile/", {"action": "send_code", "email": "a@example.cn"})

    page = _text(
        client.post(
            "/account/profile/",
            {
                "email": "a@example.cn",
                "address": "宁波市鄞州区",
                "sms_code": "000000" if sms_codes(person.phone)[-1] != "000000" else "111111",
            },
        )
    )

    assert "验证码错误，还可尝试4次" in page
    assert 'value="a@example.cn"' in page and 'value="宁波市鄞州区"' in page
    assert User.objects.get(pk=user.pk).email == ""


def test_personal_centre_lists_the_sign_in_history(client):
    person = citizen(16)
    account(person)
    client.post(LOGIN, {"method": "password", "identifier": person.phone, "password": "nope-1"})
    client.post(LOGIN, {"method": "password", "identifier": person.phone, "password": PASSWORD})

    page = _text(client.get("/account/"))

    assert '<h2 id="history-title">登录记录</h2>' in page
    assert page.count("<td>密码</td>") == 2
    assert "失败</span>（密码错误）" in page
    assert '<a href="/account/access-log/">谁查看了我的信息</a>' in page


def test_staff_accounts_are_sent_to_the_back_office_sign_in(client):
    person = citizen(17)
    account(person, kind="staff")

    page = _text(
        client.post(LOGIN, {"method": "password", "identifier": person.phone, "password": PASSWORD})
    )

    assert "<li>工作人员账号请从工作人员登录入口登录（需动态口令）</li>" in page
    assert '<a href="/backoffice/login/">前往工作人员登录入口</a>' in page
    assert "_auth_user_id" not in client.session
