"""Idempotency-Key on API writes: a repeat gets the first answer and does nothing twice."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from yiwang.accounts.models import Grant
from yiwang.accounts.tests.enterprise_helpers import PASSWORD, days, enterprise, person
from yiwang.api import idempotency
from yiwang.api.models import IdempotencyRecord

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
KEY = "5c3f1a5e-8f7b-4c1e-9a0d-2b6e7f1c9d42"


@pytest.fixture
def company():
    rep = person("张三", 1)
    return enterprise(rep)


def grant_payload(grantee, days_valid=30):
    return {
        "grantee": grantee.phone,
        "role": "manager",
        "valid_from": days(0).isoformat(),
        "valid_until": days(days_valid).isoformat(),
    }


def post(client, url, payload, key=KEY):
    headers = {"Idempotency-Key": key} if key is not None else {}
    response = client.post(
        url, json.dumps(payload), content_type="application/json", headers=headers
    )
    return response, json.loads(response.content)


def grants_url(company):
    return f"/api/v1/enterprises/{company.uscc}/grants"


def test_a_repeat_gets_the_first_answer_and_creates_nothing(client, company):
    client.force_login(company.legal_representative)
    payload = grant_payload(person("钱经理", 2))
    first, first_body = post(client, grants_url(company), payload)
    again, again_body = post(client, grants_url(company), payload)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again_body == first_body
    assert again.content == first.content
    assert (first.get("Idempotent-Replayed"), again["Idempotent-Replayed"]) == (None, "true")
    assert Grant.objects.filter(enterprise=company).count() == 1


def test_without_a_key_each_request_runs(client, company):
    client.force_login(company.legal_representative)
    manager = person("钱经理", 2)
    post(client, grants_url(company), grant_payload(manager), key=None)
    response, body = post(client, grants_url(company), grant_payload(manager), key=None)
    # the service's own rule answers the second one
    assert (response.status_code, body["detail"]) == (
        409,
        "该人员已获得本企业的授权；如需调整或延长有效期，请变更原授权",
    )
    assert IdempotencyRecord.objects.count() == 0


def test_the_same_key_for_another_request_is_a_422(client, company):
    client.force_login(company.legal_representative)
    post(client, grants_url(company), grant_payload(person("钱经理", 2)))
    response, body = post(client, grants_url(company), grant_payload(person("孙经办", 3)))
    assert (response.status_code, response["Content-Type"], body["detail"]) == (
        422,
        PROBLEM,
        "这个 Idempotency-Key 已用于另一个请求，请换一个新的键",
    )
    assert body["errors"] == [{"field": "Idempotency-Key", "message": body["detail"]}]
    assert Grant.objects.filter(enterprise=company).count() == 1


def test_keys_belong_to_their_caller(client, company):
    other_rep = person("李四", 4)
    other_company = enterprise(other_rep, name="宁波鄞州示例科技有限公司", seed=2)
    client.force_login(company.legal_representative)
    post(client, grants_url(company), grant_payload(person("钱经理", 2)))
    client.force_login(other_rep)
    response, body = post(client, grants_url(other_company), grant_payload(person("孙经办", 3)))
    assert (response.status_code, response.get("Idempotent-Replayed")) == (201, None)
    assert body["level"] == 2
    assert IdempotencyRecord.objects.count() == 2


def test_a_refused_request_keeps_nothing_and_the_key_can_be_used_again(client, company):
    client.force_login(company.legal_representative)
    payload = grant_payload(person("钱经理", 2))
    payload["valid_until"] = days(-1).isoformat()
    response, _ = post(client, grants_url(company), payload)
    assert response.status_code == 400
    assert IdempotencyRecord.objects.count() == 0
    payload["valid_until"] = days(30).isoformat()
    response, _ = post(client, grants_url(company), payload)
    assert response.status_code == 201
    assert IdempotencyRecord.objects.get().status == 201


def test_a_request_still_running_makes_the_repeat_wait(client, company):
    client.force_login(company.legal_representative)
    payload = grant_payload(person("钱经理", 2))
    response, _ = post(client, grants_url(company), payload)
    # as if the first request had only claimed the key and were still running
    IdempotencyRecord.objects.update(status=None, body="")
    response, body = post(client, grants_url(company), payload)
    assert (response.status_code, response["Retry-After"], body["detail"]) == (
        409,
        "1",
        "相同 Idempotency-Key 的请求正在处理，请稍后再查询结果",
    )


def test_a_claim_abandoned_by_a_dead_process_is_released(client, company):
    client.force_login(company.legal_representative)
    post(client, grants_url(company), grant_payload(person("钱经理", 2)))
    # as if a process had claimed the key for another request and died before answering
    IdempotencyRecord.objects.update(
        status=None,
        fingerprint="0" * 64,
        created_at=timezone.now() - idempotency.ABANDONED_AFTER - timedelta(seconds=1),
    )
    response, body = post(client, grants_url(company), grant_payload(person("孙经办", 3)))
    assert (response.status_code, body["grantee"]["name"]) == (201, "孙**")
    assert IdempotencyRecord.objects.get().status == 201


def test_an_answer_expires_after_a_day(client, company):
    client.force_login(company.legal_representative)
    post(client, grants_url(company), grant_payload(person("钱经理", 2)))
    IdempotencyRecord.objects.update(created_at=timezone.now() - idempotency.TTL)
    # expired: a different request may take the key
    response, _ = post(client, grants_url(company), grant_payload(person("孙经办", 3)))
    assert response.status_code == 201
    assert Grant.objects.filter(enterprise=company).count() == 2


@pytest.mark.parametrize("key", ["", "键", "x" * 256, "a\tb"])
def test_a_malformed_key_is_a_400(client, company, key):
    client.force_login(company.legal_representative)
    response, body = post(client, grants_url(company), grant_payload(person("钱经理", 2)), key)
    assert (response.status_code, body["detail"]) == (
        400,
        "Idempotency-Key 应为 1–255 个可见 ASCII 字符，建议用 UUID",
    )
    assert Grant.objects.count() == 0


def test_a_quoted_key_is_the_same_key():
    assert idempotency.parse_key(f'"{KEY}"') == KEY == idempotency.parse_key(f" {KEY} ")


def test_an_answer_that_signs_in_is_not_kept(client, company):
    # the registration/sign-in answers change the session: a replay must not hand it out
    user = person("王五", 9, password=True)
    response, _ = post(
        client,
        "/api/v1/auth/login",
        {"identifier": user.phone, "password": PASSWORD},
    )
    assert response.status_code == 200
    assert IdempotencyRecord.objects.count() == 0


def test_prune_deletes_old_answers(client, company):
    client.force_login(company.legal_representative)
    post(client, grants_url(company), grant_payload(person("钱经理", 2)))
    post(client, grants_url(company), grant_payload(person("孙经办", 3)), key="second")
    IdempotencyRecord.objects.filter(key=KEY).update(
        created_at=timezone.now() - idempotency.TTL - timedelta(minutes=1)
    )
    call_command("idempotency", "prune")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["second"]


def test_the_answer_is_encrypted_at_rest(client, company):
    from django.db import connection

    client.force_login(company.legal_representative)
    post(client, grants_url(company), grant_payload(person("钱经理", 2)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM api_idempotencyrecord")
        (stored,) = cursor.fetchone()
    assert "钱" not in stored and "grantee" not in stored
