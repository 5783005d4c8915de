"""/api/v1/auth/…: the same rules as the pages, as problem+json with field names and 429s."""

from __future__ import annotations

import pytest

from yiwang.accounts.models import User
from yiwang.accounts.tests.persons_helpers import (  # noqa: F401  (fixtures)
    PASSWORD,
    account,
    citizen,
    sms_outbox,
)
from yiwang.notifications.testing import sms_codes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

PROBLEM = "application/problem+json"


def _post(client, path, data):
    return client.post(f"/api/v1/auth/{path}", data, content_type="application/json")


def _registration(person, code):
    return {
        "name": person.name,
        "id_number": person.id_number,
        "phone": person.phone,
        "sms_code": code,
        "second_factor_kind": "bank_card",
        "second_factor_value": person.bank_card,
        "password": PASSWORD,
        "agreement_version": "1",
    }


def test_agreement_in_force(client):
    body = client.get("/api/v1/auth/agreement").json()
    assert (body["version"], body["title"]) == ("1", "一网政务服务平台网上服务协议")


def test_sms_code_then_429_with_retry_after(client):
    sent = _post(client, "sms-codes", {"purpose": "register", "phone": "13912340001"})

    assert sent.status_code == 202
    assert sent.json()["masked_phone"] == "139****0001"
    assert sent.json()["resend_after"] == 60
    again = _post(client, "sms-codes", {"purpose": "register", "phone": "13912340001"})
    assert again.status_code == 429
    assert again["Content-Type"] == PROBLEM
    assert 1 <= int(again["Retry-After"]) <= 60
    body = again.json()
    assert body["type"] == "/api/v1/problems/rate-limited"
    assert body["errors"] == [{"field": "phone", "message": body["detail"]}]


def test_malformed_phone_is_a_400_on_the_phone_field(client):
    response = _post(client, "sms-codes", {"purpose": "register", "phone": "12345"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "phone", "message": "手机号码格式不正确：应为1开头的11位数字"}
    ]


def test_register_signs_in_and_returns_the_masked_person(client):
    person = citizen(1)
    _post(client, "sms-codes", {"purpose": "register", "phone": person.phone})

    response = _post(client, "register", _registration(person, sms_codes(person.phone)[-1]))

    assert response.status_code == 201
    user = User.objects.get()
    assert response.json() == {
        "uid": str(user.uid),
        "name": "王**",
        "id_number": person.id_number[:6] + "********" + person.id_number[-4:],
        "phone": "139****0001",
        "must_change_password": False,
    }
    assert int(client.session["_auth_user_id"]) == user.pk


def test_register_errors_name_their_field(client):
    person = citizen(2)
    account(person, phone="13600000002")
    _post(client, "sms-codes", {"purpose": "register", "phone": person.phone})

    duplicate = _post(client, "register", _registration(person, sms_codes(person.phone)[-1]))
    assert duplicate.status_code == 409
    assert duplicate.json()["errors"] == [{"field": "id_number", "message": "该身份证号已注册"}]

    bad_id = _post(client, "register", {**_registration(person, "123456"), "id_number": "1"})
    assert bad_id.status_code == 400
    assert bad_id.json()["errors"] == [
        {"field": "id_number", "message": "长度错误：应为18位，实为1位"}
    ]


def test_mismatch_is_one_generic_400_without_a_field(client):
    person = citizen(3)
    _post(client, "sms-codes", {"purpose": "register", "phone": person.phone})
    data = {**_registration(person, sms_codes(person.phone)[-1]), "name": "王小明"}

    response = _post(client, "register", data)

    assert response.status_code == 400
    assert response.json()["detail"] == "实名信息核验未通过，请核对后重试"
    assert "errors" not in response.json()


def test_login_with_password_and_sms(client):
    person = citizen(4)
    user = account(person)

    wrong = _post(client, "login", {"identifier": person.phone, "password": "nope"})
    assert (wrong.status_code, wrong.json()["detail"]) == (400, "账号或密码错误")
    ok = _post(client, "login", {"identifier": person.id_number, "password": PASSWORD})
    assert ok.status_code == 200 and ok.json()["uid"] == str(user.uid)

    assert client.post("/api/v1/auth/logout").status_code == 204
    assert "_auth_user_id" not in client.session
    _post(client, "sms-codes", {"purpose": "login", "phone": person.phone})
    by_sms = _post(
        client,
        "login",
        {"method": "sms", "phone": person.phone, "sms_code": sms_codes(person.phone)[-1]},
    )
    assert by_sms.status_code == 200


def test_locked_account_is_429_with_retry_after(client):
    person = citizen(5)
    account(person)
    for _ in range(4):
        _post(client, "login", {"identifier": person.phone, "password": "nope"})

    locked = _post(client, "login", {"identifier": person.phone, "password": "nope"})

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert locked.json()["detail"].startswith("密码错误次数过多，账号已锁定，请15分钟后再试")


def test_missing_fields_are_a_422_naming_them(client):
    response = _post(client, "register", {"name": "王晓明"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"payload.id_number", "payload.phone", "payload.password"} <= fields


def test_a_window_opened_account_changes_its_initial_password_through_the_api():
    from django.test import Client

    person = citizen(20)
    account(person, must_change_password=True)
    app = Client(enforce_csrf_checks=True)  # an app keeps the cookies, CSRF token included
    signed_in = _post(app, "login", {"identifier": person.phone, "password": PASSWORD})
    assert signed_in.json()["must_change_password"] is True
    closed = app.get("/api/v1/me/enterprises")
    assert (closed.status_code, closed.json()["detail"]) == (
        403,
        "请先修改初始密码：窗口开户时短信发送的初始密码修改前，账号只能用来修改密码或退出",
    )
    # what anyone may read stays open
    assert app.get("/api/v1/themes").status_code == 200
    assert app.get("/api/v1/items?limit=1").status_code == 200

    body = {"old_password": "wrong", "new_password": "Xin-mima-2027"}
    no_token = app.post("/api/v1/auth/password", body, content_type="application/json")
    assert no_token.status_code == 403  # a session write needs the CSRF token
    token = {"X-CSRFToken": app.cookies["csrftoken"].value}  # set by the sign-in answer
    wrong = app.post("/api/v1/auth/password", body, content_type="application/json", headers=token)
    assert (wrong.status_code, wrong.json()["errors"]) == (
        400,
        [{"field": "old_password", "message": "原密码不正确"}],
    )
    body["old_password"] = PASSWORD
    changed = app.post(
        "/api/v1/auth/password", body, content_type="application/json", headers=token
    )
    assert (changed.status_code, changed.json()["must_change_password"]) == (200, False)
    assert app.get("/api/v1/me/enterprises").status_code == 200  # still signed in, now open


def test_change_password_needs_a_signed_in_person(client):
    response = _post(client, "password", {"old_password": "a", "new_password": "b"})
    assert (response.status_code, response.json()["detail"]) == (401, "请先登录")


def test_password_reset_by_sms_through_the_api(client):
    person = citizen(21)
    user = account(person)
    sent = _post(
        client,
        "sms-codes",
        {"purpose": "reset_password", "phone": person.phone, "id_number": person.id_number},
    )
    assert sent.status_code == 202
    reset = {
        "id_number": person.id_number,
        "phone": person.phone,
        "sms_code": "000000",
        "new_password": "Xin-mima-2027",
    }
    wrong = _post(client, "password-reset", reset)
    assert (wrong.status_code, wrong.json()["errors"][0]["field"]) == (400, "sms_code")
    reset["sms_code"] = sms_codes(person.phone)[-1]
    assert _post(client, "password-reset", reset).status_code == 204
    user.refresh_from_db()
    assert user.check_password("Xin-mima-2027")
    again = _post(client, "login", {"identifier": person.phone, "password": "Xin-mima-2027"})
    assert again.status_code == 200
