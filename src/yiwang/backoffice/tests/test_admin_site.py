"""The Django admin signs in through the back office (password + 动态口令) and accepts only the
sessions the back office verified."""

import pytest

from yiwang.accounts.tests.staff_helpers import STAFF_PASSWORD, enrol, sign_in_staff, staff

pytestmark = pytest.mark.django_db


def admin_staff(username="ops", **fields):
    user = staff(username, "运维甲")
    for name, value in {"is_staff": True, **fields}.items():
        setattr(user, name, value)
    user.save()
    return user


def test_admin_login_leads_to_the_back_office_sign_in(client):
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")
    response = client.get("/admin/login/?next=/admin/core/calendarday/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/backoffice/login/?next=%2Fadmin%2Fcore%2Fcalendarday%2F",
    )
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == (
        "/backoffice/login/?next=%2Fadmin%2F"
    )


def test_a_password_only_session_cannot_open_the_admin(client):
    client.force_login(admin_staff(is_superuser=True))  # e.g. the former password-only form
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")
    response = client.post("/admin/login/", {"username": "ops", "password": STAFF_PASSWORD})
    assert (response.status_code, response["Location"]) == (
        302,
        "/backoffice/login/?next=%2Fadmin%2F",
    )


def test_password_and_totp_through_the_back_office_open_the_admin(client):
    totp = enrol(admin_staff(is_superuser=True))
    response = client.get("/admin/login/?next=/admin/")
    response = client.post(
        response["Location"], {"username": "ops", "password": STAFF_PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302  # the password alone is not enough
    response = client.post("/backoffice/login/totp/", {"code": totp.now(), "next": "/admin/"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "一网 · 管理后台" in page.content.decode()


def test_a_verified_session_without_admin_access_gets_the_chinese_403(client):
    sign_in_staff(client, staff("clerk", "窗口乙"))  # is_staff not set
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403
    assert "您的账号没有进入管理后台的权限。" in response.content.decode()


def test_the_initial_password_is_changed_before_the_admin_opens(client):
    sign_in_staff(client, admin_staff(must_change_password=True))
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    response = client.get("/admin/login/?next=/admin/")
    assert (response.status_code, response["Location"]) == (302, "/backoffice/password/")


def test_the_admins_password_change_is_the_back_offices(client):
    sign_in_staff(client, admin_staff(is_superuser=True))
    response = client.get("/admin/password_change/")
    assert (response.status_code, response["Location"]) == (302, "/backoffice/password/")
