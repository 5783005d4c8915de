"""The whole OpenID Connect flow, as a department system sees it, against a live server.

A real client library (authlib over httpx) discovers the provider, sends the person to the
authorize endpoint with PKCE, the person (signed in to the portal) approves on the consent page,
the client exchanges the code, verifies the ID token's signature with the published JWKS and
reads userinfo — once as a person, once while acting for an enterprise. Then what must be
refused is: an unregistered redirect URI, a request without PKCE, a code used twice.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.test import Client
from joserfc import jwt
from joserfc.jwk import KeySet

from yiwang.accounts.constants import ACTING_ENTERPRISE_SESSION_KEY, UserKind
from yiwang.accounts.models import Enterprise, User
from yiwang.core.models import AuditEvent
from yiwang.demo import people
from yiwang.identity.models import AuthorizationContext
from yiwang.identity.services import register_client

pytestmark = pytest.mark.django_db(transaction=True)

REDIRECT_URI = "https://gongan.example.gov.cn/oidc/callback"
CITIZEN = people.CITIZENS[0]  # 陈明, legal representative of the demo enterprise


@pytest.fixture
def person(db):
    return User.objects.create_user(
        "demo-person-1",
        people.DEMO_PASSWORD,
        kind=UserKind.PERSON,
        name=CITIZEN.name,
        id_number=CITIZEN.id_number,
        phone=CITIZEN.phone,
        real_name_verified_at=datetime(2025, 1, 1, tzinfo=UTC),
    )


@pytest.fixture
def enterprise(person):
    record = people.citizen_enterprise()
    return Enterprise.objects.create(
        uscc=record["uscc"], name=record["name"], legal_representative=person
    )


@pytest.fixture
def department_system(db):
    return register_client(name="宁波市公安局户政业务系统", redirect_uris=[REDIRECT_URI])


@pytest.fixture
def portal(live_server, person):
    """An HTTP client carrying the person's portal session (signed in)."""
    django_client = Client()
    django_client.force_login(person)
    session_key = django_client.cookies[settings.SESSION_COOKIE_NAME].value
    with httpx.Client(base_url=live_server.url, follow_redirects=False) as http:
        http.cookies.set(settings.SESSION_COOKIE_NAME, session_key)
        http.session_key = session_key
        yield http


def discover(live_server) -> dict:
    response = httpx.get(f"{live_server.url}/.well-known/openid-configuration")
    assert response.status_code == 200
    return response.json()


def oidc_client(system) -> OAuth2Client:
    return OAuth2Client(
        client_id=system.client_id,
        client_secret=system.client_secret,
        scope="openid profile",
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
    )


def approve(portal, authorize_url: str) -> tuple[str, str]:
    """Open the consent page and press 同意并登录; return (page html, redirect location)."""
    page = portal.get(authorize_url)
    assert page.status_code == 200, page.text
    html = page.text
    fields = {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    }
    fields["allow"] = "Authorize"
    done = portal.post(
        authorize_url.split("?")[0],
        data=fields,
        headers={"Referer": authorize_url},
    )
    assert done.status_code == 302, done.text
    return html, done.headers["location"]


def run_flow(live_server, portal, system):
    meta = discover(live_server)
    client = oidc_client(system)
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = client.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    html, location = approve(portal, url)
    assert location.startswith(REDIRECT_URI + "?")
    assert parse_qs(urlsplit(location).query)["state"] == [state]
    token = client.fetch_token(
        meta["token_endpoint"], authorization_response=location, code_verifier=verifier
    )
    jwks = httpx.get(meta["jwks_uri"]).json()
    # the signature is checked with the published key set; alg "none" or HS256 would fail here
    decoded = jwt.decode(token["id_token"], KeySet.import_key_set(jwks), algorithms=["RS256"])
    assert decoded.header["alg"] == "RS256"
    assert decoded.header["kid"] in {key["kid"] for key in jwks["keys"]}
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": meta["issuer"]},
        aud={"essential": True, "value": system.client_id},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
    ).validate(decoded.claims)
    claims = decoded.claims
    userinfo = client.get(meta["userinfo_endpoint"])
    assert userinfo.status_code == 200
    return html, claims, userinfo.json(), client, location, verifier, meta


def test_discovery_document(live_server):
    meta = discover(live_server)
    base = live_server.url
    assert meta["issuer"] == base
    assert meta["authorization_endpoint"] == f"{base}/oauth/authorize/"
    assert meta["token_endpoint"] == f"{base}/oauth/token/"
    assert meta["userinfo_endpoint"] == f"{base}/oauth/userinfo/"
    assert meta["jwks_uri"] == f"{base}/oauth/jwks.json"
    assert meta["response_types_supported"] == ["code"]
    assert "S256" in meta["code_challenge_methods_supported"]
    assert sorted(meta["scopes_supported"]) == ["openid", "profile"]
    assert meta["id_token_signing_alg_values_supported"][0] == "RS256"
    assert sorted(meta["claims_supported"]) == [
        "acting_enterprise",
        "acting_enterprise_uscc",
        "id_number_masked",
        "name",
        "sub",
        "user_type",
    ]


def test_person_signs_in_to_a_department_system(live_server, portal, person, department_system):
    html, claims, userinfo, *_ = run_flow(live_server, portal, department_system)
    # the consent page names the system and lists what it will receive
    assert "授权“宁波市公安局户政业务系统”使用您的" in html
    assert "3302**********3657" in html or person.masked_id_number in html
    assert CITIZEN.id_number not in html
    expected = {
        "sub": str(person.uid),
        "name": "陈明",
        "id_number_masked": person.masked_id_number,
        "user_type": "person",
    }
    assert {k: claims[k] for k in expected} == expected
    assert set(claims) == {
        *expected,
        "aud",
        "iss",
        "exp",
        "iat",
        "auth_time",
        "jti",
        "nonce",
        "at_hash",
    }
    assert userinfo == expected
    event = AuditEvent.objects.filter(action="identity.authorize").get()
    assert event.actor == f"user:{person.pk}"
    assert event.acting_for == ""
    assert event.after == {
        "client": "宁波市公安局户政业务系统",
        "scopes": ["openid", "profile"],
        "allowed": True,
    }
    assert_audit_chain_intact()


def test_person_acting_for_an_enterprise(
    live_server, portal, person, enterprise, department_system
):
    session = SessionStore(session_key=portal.session_key)
    session[ACTING_ENTERPRISE_SESSION_KEY] = enterprise.pk
    session.save()
    html, claims, userinfo, *_ = run_flow(live_server, portal, department_system)
    assert "您正在以<strong>宁波甬江智能科技有限公司</strong>的身份办事" in html
    expected = {
        "sub": str(person.uid),
        "name": "陈明",
        "id_number_masked": person.masked_id_number,
        "user_type": "enterprise",
        "acting_enterprise": "宁波甬江智能科技有限公司",
        "acting_enterprise_uscc": enterprise.uscc,
    }
    assert {k: claims.get(k) for k in expected} == expected
    assert userinfo == expected
    context = AuthorizationContext.objects.get()
    assert (context.user, context.enterprise, context.grant) == (person, enterprise, None)
    assert context.access_token is not None
    event = AuditEvent.objects.filter(action="identity.authorize").get()
    assert event.acting_for == f"enterprise:{enterprise.uscc}"
    assert_audit_chain_intact()


def test_code_cannot_be_used_twice(live_server, portal, department_system):
    _, _, _, client, location, verifier, meta = run_flow(live_server, portal, department_system)
    with pytest.raises(OAuthError) as excinfo:
        client.fetch_token(
            meta["token_endpoint"], authorization_response=location, code_verifier=verifier
        )
    assert excinfo.value.error == "invalid_grant"
    assert_audit_chain_intact()


def test_wrong_code_verifier_is_refused(live_server, portal, department_system):
    meta = discover(live_server)
    client = oidc_client(department_system)
    verifier = generate_token(48)
    url, _ = client.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=verifier, nonce="n"
    )
    _, location = approve(portal, url)
    with pytest.raises(OAuthError) as excinfo:
        client.fetch_token(
            meta["token_endpoint"],
            authorization_response=location,
            code_verifier=generate_token(48),
        )
    assert excinfo.value.error == "invalid_grant"


def test_unregistered_redirect_uri_is_refused_without_redirecting(
    live_server, portal, department_system
):
    meta = discover(live_server)
    client = OAuth2Client(
        client_id=department_system.client_id,
        scope="openid profile",
        redirect_uri="https://evil.example.com/callback",
        code_challenge_method="S256",
    )
    url, _ = client.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=generate_token(48)
    )
    page = portal.get(url)
    # never sent to the unregistered address (RFC 6749 §4.1.2.1): an error page instead
    assert page.status_code == 400
    assert "无法完成授权登录" in page.text
    assert "evil.example.com" not in page.headers.get("location", "")


def test_request_without_pkce_is_refused(live_server, portal, department_system):
    meta = discover(live_server)
    client = OAuth2Client(
        client_id=department_system.client_id,
        scope="openid profile",
        redirect_uri=REDIRECT_URI,
    )
    url, _ = client.create_authorization_url(meta["authorization_endpoint"])
    assert "code_challenge" not in url
    page = portal.get(url)
    assert page.status_code == 302
    query = parse_qs(urlsplit(page.headers["location"]).query)
    assert query["error"] == ["invalid_request"]
    assert "code" not in query


def test_signed_out_visitor_is_sent_to_the_portal_sign_in(live_server, department_system):
    meta = discover(live_server)
    client = oidc_client(department_system)
    url, _ = client.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=generate_token(48)
    )
    response = httpx.get(url)
    assert response.status_code == 302
    assert response.headers["location"].startswith("/account/login/?next=/oauth/authorize/")


def test_refusing_is_audited_and_returns_access_denied(
    live_server, portal, person, department_system
):
    meta = discover(live_server)
    client = oidc_client(department_system)
    url, _ = client.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=generate_token(48)
    )
    page = portal.get(url)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    fields = {k: unescape(v) for k, v in fields.items()}
    done = portal.post("/oauth/authorize/", data=fields)
    assert done.status_code == 302
    assert parse_qs(urlsplit(done.headers["location"]).query)["error"] == ["access_denied"]
    event = AuditEvent.objects.filter(action="identity.authorize").get()
    assert event.after["allowed"] is False


def assert_audit_chain_intact():
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().startswith("审计链完整：共 ")


def test_consent_page_on_a_phone(live_server, person, enterprise, department_system, page, shot):
    """What the person sees on a 375-px phone while acting for the enterprise."""
    django_client = Client()
    django_client.force_login(person)
    session_key = django_client.cookies[settings.SESSION_COOKIE_NAME].value
    session = SessionStore(session_key=session_key)
    session[ACTING_ENTERPRISE_SESSION_KEY] = enterprise.pk
    session.save()
    host = urlsplit(live_server.url).hostname
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "domain": host, "path": "/"}]
    )
    page.set_viewport_size({"width": 375, "height": 812})
    client = oidc_client(department_system)
    url, _ = client.create_authorization_url(
        f"{live_server.url}/oauth/authorize/", code_verifier=generate_token(48), nonce="n"
    )
    page.goto(url)
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "授权“宁波市公安局户政业务系统”使用您的一网政务服务平台账号登录"
    assert page.evaluate("document.documentElement.scrollWidth") == 375
    assert page.get_by_role("button", name="同意并登录").is_visible()
    assert page.get_by_role("button", name="拒绝").is_visible()
    shot(page, "oidc-consent-phone")
    # the department system is not really there: answer its callback in the browser
    page.route(
        "https://gongan.example.gov.cn/**",
        lambda route: route.fulfill(status=200, body="ok", content_type="text/plain"),
    )
    page.get_by_role("button", name="同意并登录").click()
    page.wait_for_url(re.compile(r"^https://gongan\.example\.gov\.cn/oidc/callback\?code="))
