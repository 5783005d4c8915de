"""The authorization page in Chinese, including the refusals django-oauth-toolkit renders itself."""

import pytest

from yiwang.accounts.tests.persons_helpers import account, citizen

pytestmark = pytest.mark.django_db


def test_an_unregistered_system_is_named_as_the_reason(client):
    client.force_login(account(citizen(30)))
    response = client.get(
        "/oauth/authorize/",
        {
            "client_id": "no-such-system",
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": "https://evil.example/cb",
            "code_challenge": "x" * 43,
            "code_challenge_method": "S256",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert '<h1 id="consent-title">无法完成授权登录</h1>' in html
    assert "该系统未在本平台登记，或已停用。请返回原系统重试" in html
    assert "evil.example" not in response.get("Location", "")
