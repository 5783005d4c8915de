"""谁查看了我的信息 and 扫码登录 pages (a second client plays the phone)."""

import pytest
from django.test import Client

from yiwang.accounts.services import personal_data
from yiwang.accounts.tests.staff_helpers import person, staff, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_access_log_page_lists_who_looked_and_why(world, client):
    citizen = person(1, world.haishu.organization)
    personal_data.unmask(world.haishu.clerk, citizen, "phone", reason="电话回访办理结果")
    client.force_login(citizen)
    response = client.get("/account/access-log/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "谁查看了我的信息" in text
    assert world.haishu.organization.name in text
    assert "陈**" in text
    assert "陈窗口" not in text
    assert "查看完整手机号码" in text
    assert "电话回访办理结果" in text


def test_access_log_page_needs_sign_in_and_shows_only_my_own(world, client):
    assert client.get("/account/access-log/").status_code == 302
    mine, other = person(1, world.haishu.organization), person(2, world.haishu.organization)
    personal_data.unmask(world.haishu.clerk, other, "phone", reason="电话回访办理结果")
    client.force_login(mine)
    text = client.get("/account/access-log/").content.decode()
    assert "目前没有工作人员查看过您的个人信息" in text


def _token(response) -> str:
    text = response.content.decode()
    start = text.index("/account/qr/") + len("/account/qr/")
    return text[start : text.index("/", start)]


def test_qr_login_pc_polls_phone_confirms_pc_signs_in_once(db):
    citizen = person(1)
    pc, phone, thief = Client(), Client(), Client()
    fragment = pc.get("/account/qr/new/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<svg" in fragment.content.decode()
    token = _token(fragment)
    poll = f"/account/qr/{token}/status/"
    assert "二维码 2 分钟内有效" in pc.get(poll, headers={"HX-Request": "true"}).content.decode()

    assert phone.get(f"/account/qr/{token}/").status_code == 302  # the phone must be signed in
    phone.force_login(citizen)
    page = phone.get(f"/account/qr/{token}/")
    assert "确认在电脑上登录？" in page.content.decode()
    assert "已扫码" in pc.get(poll, headers={"HX-Request": "true"}).content.decode()
    confirmed = phone.post(f"/account/qr/{token}/", {"decision": "confirm"})
    assert "已确认登录" in confirmed.content.decode()

    thief.cookies["yiwang_qr_browser"] = "guessed"
    assert "二维码已失效" in thief.get(poll, headers={"HX-Request": "true"}).content.decode()
    signed_in = pc.get(poll, headers={"HX-Request": "true"})
    assert signed_in.status_code == 200
    assert signed_in["HX-Redirect"] == "/"
    assert int(pc.session["_auth_user_id"]) == citizen.pk
    assert "HX-Redirect" not in pc.get(poll, headers={"HX-Request": "true"})


def test_staff_cannot_confirm_a_qr_login(db):
    pc, phone = Client(), Client()
    token = _token(pc.get("/account/qr/new/"))
    phone.force_login(staff("clerk"))
    response = phone.get(f"/account/qr/{token}/")
    assert response.status_code == 400
    assert "工作人员账号不能扫码登录" in response.content.decode()
