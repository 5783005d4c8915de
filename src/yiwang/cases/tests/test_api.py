"""/api/v1/cases, /api/v1/me/materials, /api/v1/case-query: exact bodies and refusals."""

from __future__ import annotations

import json
from datetime import date

import pytest

from yiwang.accounts.tests.enterprise_helpers import enterprise, uscc
from yiwang.accounts.tests.persons_helpers import account, citizen, clock  # noqa: F401  (fixture)
from yiwang.cases import services
from yiwang.cases.constants import CaseStatus, DeliveryMethod
from yiwang.cases.models import Case, CaseMaterial, StoredFile
from yiwang.cases.numbers import format_number, validate_number
from yiwang.cases.services import query
from yiwang.cases.tests.helpers import pdf_bytes

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
KEY = "0b7e3c55-3f0a-4d0e-8f52-1c9d7a6b2e41"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


def call(client, method, url, body=None, *, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    if body is None:
        response = getattr(client, method)(url, headers=headers)
    else:
        response = getattr(client, method)(
            url, json.dumps(body), content_type="application/json", headers=headers
        )
    content = json.loads(response.content) if response.content else None
    return response, content


def upload(client, url, data: bytes, name: str, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {**fields, "file": SimpleUploadedFile(name, data)})
    return response, json.loads(response.content)


@pytest.fixture
def me(client, world):
    client.force_login(world.citizen)
    return world.citizen


def start(client, item) -> dict:
    response, body = call(client, "post", "/api/v1/cases", {"item_code": item.code})
    assert response.status_code == 201, body
    return body


def fill(client, world, item, **draft) -> dict:
    """A draft of ``item`` complete enough to submit, made through the API."""
    body = start(client, item)
    case = Case.objects.get(pk=body["id"])
    response, _ = call(
        client,
        "patch",
        f"/api/v1/cases/{case.pk}",
        {
            "form": {**case.form, "reason": "开办餐饮店"},
            "handling_item_id": case.version.handling_items.get().pk,
            **draft,
        },
    )
    assert response.status_code == 200
    for material in case.version.materials.order_by("order", "id"):
        response, _ = upload(
            client,
            f"/api/v1/cases/{case.pk}/materials",
            pdf_bytes(),
            "申请.pdf",
            material_id=material.pk,
        )
        assert response.status_code == 201
    return body


def submitted(client, world, item=None) -> Case:
    body = fill(client, world, item or world.check_item)
    response, _ = call(client, "post", f"/api/v1/cases/{body['id']}/submit")
    assert response.status_code == 200
    return Case.objects.get(pk=body["id"])


# --- authentication ---------------------------------------------------------------------------


def test_signed_out_is_a_401_problem(client, world):
    response, body = call(client, "get", "/api/v1/cases")
    assert (response.status_code, response["Content-Type"], body["detail"]) == (
        401,
        PROBLEM,
        "请先登录",
    )


def test_a_staff_session_is_not_a_person(client, world):
    client.force_login(world.clerk)
    response, body = call(client, "get", "/api/v1/me/materials")
    assert (response.status_code, body["title"]) == (401, "需要登录")


# --- starting and saving a draft -------------------------------------------------------------


def test_start_opens_a_prefilled_draft(client, world, me):
    item = world.online_item
    body = start(client, item)
    case = Case.objects.get()
    version = item.current_version
    materials = list(version.materials.order_by("order", "id"))
    assert (case.pk, case.status, case.channel, case.applicant) == (
        body["id"],
        CaseStatus.DRAFT,
        "api",
        me,
    )
    assert body["number"] is None
    assert body["item"] == {"code": item.code, "name": "食品经营许可", "version": version.number}
    assert body["status"] == {"code": "draft", "name": "草稿"}
    assert body["mode"] == {"code": "fully_online", "name": "全程网办"}
    assert (body["applicant_name"], body["enterprise_uscc"]) == ("王晓明", None)
    assert body["form"] == case.form
    assert body["form"]["applicant_name"] == "王晓明"
    assert body["form_schema"]["type"] == "object"
    # the guide has one 办理情形: it is chosen already
    assert body["handling_item"] == {"id": version.handling_items.get().pk, "name": "新办"}
    assert body["handling_items"] == [
        {"id": h.pk, "name": "新办"} for h in version.handling_items.all()
    ]
    assert body["delivery_method"] == {"code": "express", "name": "邮寄送达"}
    assert body["delivery_methods"] == [
        {"code": "express", "name": "邮寄送达"},
        {"code": "electronic", "name": "电子送达"},
    ]
    assert body["required_materials"] == [
        {
            "id": m.pk,
            "name": m.name,
            "requirement": {"code": "always", "name": "必要"},
            "mandatory": True,
            "given": False,
        }
        for m in materials
    ]
    assert body["materials"] == []
    assert body["allowed_actions"] == [{"code": "submit", "name": "提交申请"}]
    assert (body["supplement"], body["notices"], body["timeline"]) == (None, [], [])
    assert (body["due_on"], body["submitted_at"], body["visits"], body["max_visits"]) == (
        None,
        None,
        0,
        0,
    )


def test_start_an_unknown_item_names_the_field(client, world, me):
    code = "1" * 31
    response, body = call(client, "post", "/api/v1/cases", {"item_code": code})
    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)
    assert body["errors"] == [
        {"field": "item_code", "message": f"实施编码为 {code} 的事项不存在或未发布"}
    ]


def test_start_with_a_malformed_code_is_a_422(client, world, me):
    response, body = call(client, "post", "/api/v1/cases", {"item_code": "abc"})
    assert response.status_code == 422
    assert body["errors"] == [{"field": "payload.item_code", "message": "格式不正确"}]


def test_start_for_an_enterprise_needs_that_identity(client, world, me):
    payload = {"item_code": world.online_item.code, "enterprise_uscc": "91330203MA2AAAAAAX"}
    response, body = call(client, "post", "/api/v1/cases", payload)
    assert (response.status_code, body["detail"]) == (
        409,
        "当前办事身份是个人，与 enterprise_uscc 不一致；"
        "请先切换办事身份（PUT /api/v1/me/acting-enterprise）再申请",
    )
    assert Case.objects.count() == 0


def test_starting_twice_with_one_key_opens_one_draft(client, world, me):
    payload = {"item_code": world.online_item.code}
    first, _ = call(client, "post", "/api/v1/cases", payload, key=KEY)
    again, _ = call(client, "post", "/api/v1/cases", payload, key=KEY)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_a_draft_keeps_what_is_sent_and_only_that(client, world, me):
    body = start(client, world.online_item)
    case = Case.objects.get()
    handling = case.version.handling_items.get()
    url = f"/api/v1/cases/{case.pk}"
    response, body = call(
        client,
        "patch",
        url,
        {
            "form": {"reason": "开办餐饮店", "phone": 13912340001},
            "handling_item_id": handling.pk,
            "delivery_method": "electronic",
        },
    )
    assert response.status_code == 200
    assert body["form"] == {"phone": 13912340001, "reason": "开办餐饮店"}
    assert body["handling_item"] == {"id": handling.pk, "name": "新办"}
    assert body["delivery_method"] == {"code": "electronic", "name": "电子送达"}

    response, body = call(
        client, "patch", url, {"handling_item_id": None, "delivery_address": " 测试路8号 "}
    )
    assert response.status_code == 200
    assert body["handling_item"] is None  # null clears the choice
    assert body["delivery_address"] == "测试路8号"
    assert body["form"] == {"phone": 13912340001, "reason": "开办餐饮店"}
    assert body["delivery_method"] == {"code": "electronic", "name": "电子送达"}


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"handling_item_id": 999999}, "handling_item", "所选办理情形不属于该事项"),
        ({"delivery_method": "pickup"}, "delivery_method", "该事项不支持所选送达方式"),
    ],
)
def test_a_draft_refuses_what_the_item_does_not_offer(client, world, me, payload, field, message):
    case_id = start(client, world.online_item)["id"]
    response, body = call(client, "patch", f"/api/v1/cases/{case_id}", payload)
    assert (response.status_code, response["Content-Type"], body["detail"]) == (
        400,
        PROBLEM,
        message,
    )
    assert body["errors"] == [{"field": field, "message": message}]


def test_a_form_value_that_is_not_a_scalar_is_a_422(client, world, me):
    case_id = start(client, world.online_item)["id"]
    response, body = call(client, "patch", f"/api/v1/cases/{case_id}", {"form": {"x": [1]}})
    assert (response.status_code, body["errors"]) == (
        422,
        [{"field": "payload.form.x", "message": "取值无效"}],
    )
    response, body = call(client, "patch", f"/api/v1/cases/{case_id}", {"form": {"x": "字" * 2001}})
    assert (response.status_code, body["errors"]) == (
        422,
        [{"field": "payload.form.x", "message": "长度超出限制"}],
    )


# --- materials ---------------------------------------------------------------------------------


def test_upload_a_material_and_download_it(client, world, me):
    case_id = start(client, world.online_item)["id"]
    material = Case.objects.get().version.materials.order_by("order", "id").first()
    data = pdf_bytes("form")
    response, body = upload(
        client, f"/api/v1/cases/{case_id}/materials", data, "申请表.pdf", material_id=material.pk
    )
    entry = CaseMaterial.objects.get()
    stored = entry.file
    assert response.status_code == 201
    assert body == {
        "id": entry.pk,
        "material_id": material.pk,
        "name": material.name,
        "state": {"code": "submitted", "name": "已提交"},
        "problem": "",
        "attached_at": body["attached_at"],
        "file": {
            "id": stored.pk,
            "name": "申请表.pdf",
            "label": material.name,
            "kind": "pdf",
            "content_type": "application/pdf",
            "size": len(data),
            "created_at": body["file"]["created_at"],
            "download_url": f"http://testserver/api/v1/cases/{case_id}/materials/{entry.pk}/file",
        },
        "notice": "",
    }
    assert stored.in_drive  # kept in 我的材料 for later applications

    download = client.get(body["file"]["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf"
    )
    assert b"".join(download.streaming_content) == data

    detail = call(client, "get", f"/api/v1/cases/{case_id}")[1]
    assert [m["given"] for m in detail["required_materials"]] == [True, False]
    assert detail["materials"] == [body]


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_kept(client, world, me):
    case_id = start(client, world.online_item)["id"]
    material = Case.objects.get().version.materials.order_by("order", "id").first()
    response, body = upload(
        client, f"/api/v1/cases/{case_id}/materials", ELF, "setup.pdf", material_id=material.pk
    )
    message = "「setup.pdf」不是 PDF、JPG、PNG 或 OFD 文件：内容是可执行程序，已拒绝"
    assert (response.status_code, response["Content-Type"], body["detail"]) == (
        400,
        PROBLEM,
        message,
    )
    assert body["errors"] == [{"field": "file", "message": message}]
    assert (CaseMaterial.objects.count(), StoredFile.objects.count()) == (0, 0)


def test_a_multipart_without_a_file_says_so(client, world, me):
    case_id = start(client, world.online_item)["id"]
    response = client.post(f"/api/v1/cases/{case_id}/materials", {"material_id": "1"})
    body = json.loads(response.content)
    assert (response.status_code, body["errors"]) == (
        400,
        [{"field": "file", "message": "请选择要上传的文件"}],
    )


def test_a_material_of_another_item_is_refused(client, world, me):
    case_id = start(client, world.online_item)["id"]
    other = world.check_item.current_version.materials.first()
    response, body = upload(
        client,
        f"/api/v1/cases/{case_id}/materials",
        pdf_bytes(),
        "a.pdf",
        material_id=other.pk,
    )
    assert (response.status_code, body["errors"]) == (
        400,
        [{"field": "material", "message": "该材料不属于此事项的申请材料"}],
    )


def test_a_bad_material_id_in_a_multipart_is_a_422(client, world, me):
    case_id = start(client, world.online_item)["id"]
    response, body = upload(
        client, f"/api/v1/cases/{case_id}/materials", pdf_bytes(), "a.pdf", material_id="x"
    )
    assert (response.status_code, body["errors"]) == (
        422,
        [{"field": "material_id", "message": "应为整数"}],
    )


def test_choose_a_file_from_my_materials(client, world, me):
    stored = services.store_file(me, pdf_bytes(), name="身份证.pdf", label="居民身份证")
    case_id = start(client, world.online_item)["id"]
    material = Case.objects.get().version.materials.order_by("order", "id").last()
    response, body = call(
        client,
        "post",
        f"/api/v1/cases/{case_id}/materials",
        {"material_id": material.pk, "stored_file_id": stored.pk},
    )
    assert response.status_code == 201
    assert (body["material_id"], body["name"], body["file"]["id"]) == (
        material.pk,
        material.name,
        stored.pk,
    )
    assert StoredFile.objects.count() == 1


def test_another_persons_file_cannot_be_chosen(client, world, me):
    stranger = account(citizen(2, name="李四"))
    theirs = services.store_file(stranger, pdf_bytes(), name="x.pdf")
    case_id = start(client, world.online_item)["id"]
    response, body = call(
        client, "post", f"/api/v1/cases/{case_id}/materials", {"stored_file_id": theirs.pk}
    )
    assert (response.status_code, body["errors"]) == (
        400,
        [{"field": "stored_file", "message": "我的材料中没有这个文件"}],
    )


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        (b"{", [{"field": "request", "message": "不是有效的 JSON"}]),
        (b"{}", [{"field": "stored_file_id", "message": "必填项缺失"}]),
        (b'{"stored_file_id": 0}', [{"field": "stored_file_id", "message": "数值过小"}]),
    ],
)
def test_a_bad_json_body_is_a_422(client, world, me, raw, errors):
    case_id = start(client, world.online_item)["id"]
    response = client.post(
        f"/api/v1/cases/{case_id}/materials", raw, content_type="application/json"
    )
    assert (response.status_code, json.loads(response.content)["errors"]) == (422, errors)


def test_detach_a_material(client, world, me):
    body = fill(client, world, world.online_item)
    entry = CaseMaterial.objects.filter(case_id=body["id"]).first()
    url = f"/api/v1/cases/{body['id']}/materials/{entry.pk}"
    response, content = call(client, "delete", url)
    assert (response.status_code, content) == (204, None)
    assert CaseMaterial.objects.filter(pk=entry.pk).count() == 0
    assert StoredFile.objects.filter(pk=entry.file_id, in_drive=True).count() == 1
    response, content = call(client, "delete", url)
    assert (response.status_code, content["detail"]) == (404, "材料不存在")


# --- submitting ------------------------------------------------------------------------------


def test_submit_names_everything_missing_at_once(client, world, me):
    case_id = start(client, world.online_item)["id"]
    call(client, "patch", f"/api/v1/cases/{case_id}", {"form": {}})
    materials = list(Case.objects.get().version.materials.order_by("order", "id"))
    response, body = call(client, "post", f"/api/v1/cases/{case_id}/submit", key=KEY)
    assert (response.status_code, response["Content-Type"]) == (422, PROBLEM)
    assert body["errors"] == [
        {"field": "form.applicant_name", "message": "请填写申请人姓名"},
        {"field": "form.phone", "message": "请填写联系电话"},
        {"field": "form.reason", "message": "请填写申请事由"},
        *({"field": f"material.{m.pk}", "message": f"请上传“{m.name}”"} for m in materials),
        {"field": "delivery_address", "message": "选择邮寄送达时请填写收件地址"},
    ]
    assert body["detail"] == (
        "有 6 处需要修改：请填写申请人姓名；请填写联系电话；请填写申请事由；"
        "请上传“申请表”；请上传“居民身份证”；选择邮寄送达时请填写收件地址"
    )
    assert Case.objects.get().status == CaseStatus.DRAFT
    # a refused request keeps nothing under its key: sent again, it runs again
    again, _ = call(client, "post", f"/api/v1/cases/{case_id}/submit", key=KEY)
    assert (again.status_code, again.get("Idempotent-Replayed")) == (422, None)


def test_submit_twice_with_one_key_files_one_case(client, world, me):
    body = fill(
        client,
        world,
        world.online_item,
        delivery_method=DeliveryMethod.EXPRESS,
        delivery_address="宁波市海曙区测试路8号",
    )
    url = f"/api/v1/cases/{body['id']}/submit"
    first, first_body = call(client, "post", url, {}, key=KEY)
    again, _ = call(client, "post", url, {}, key=KEY)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.content == first.content
    assert (first.get("Idempotent-Replayed"), again["Idempotent-Replayed"]) == (None, "true")
    case = Case.objects.get()
    assert first_body["number"] == case.number == validate_number(case.number)
    assert first_body["status"] == {"code": "pending", "name": "待受理"}
    assert first_body["allowed_actions"] == [{"code": "withdraw", "name": "撤回申请"}]
    assert [e["action"]["code"] for e in first_body["timeline"]] == ["submit"]
    assert first_body["timeline"][0] | {"at": None} == {
        "action": {"code": "submit", "name": "提交申请"},
        "step": "申请",
        "from_status": "draft",
        # 互联网收件 is part of the submission: the case waits for acceptance at once
        "to_status": "pending",
        "actor": "王**",
        "role": "",
        "organization": "",
        "window": "",
        "at": None,
    }

    changed, changed_body = call(client, "post", url, {"form": {"reason": "另一个"}}, key=KEY)
    assert (changed.status_code, changed["Content-Type"], changed_body["detail"]) == (
        422,
        PROBLEM,
        "这个 Idempotency-Key 已用于另一个请求，请换一个新的键",
    )
    # without a key a repeat is refused: the case is submitted already
    repeat, repeat_body = call(client, "post", url)
    assert (repeat.status_code, repeat_body["case_status"]) == (409, "pending")
    assert Case.objects.count() == 1


def test_a_submitted_draft_cannot_be_edited(client, world, me):
    case = submitted(client, world)
    response, body = call(client, "patch", f"/api/v1/cases/{case.pk}", {"delivery_address": "x"})
    assert (response.status_code, body["errors"]) == (
        400,
        [{"field": "action", "message": "申请已提交，不能再修改草稿"}],
    )


# --- reading ---------------------------------------------------------------------------------


def test_my_cases_are_paginated_and_filtered(client, world, me):
    done = submitted(client, world)
    drafts = [start(client, world.online_item)["id"] for _ in range(2)]
    response, body = call(client, "get", "/api/v1/cases?limit=2")
    assert response.status_code == 200
    assert body["count"] == 3
    assert [c["id"] for c in body["items"]] == [drafts[1], drafts[0]]
    response, body = call(client, "get", "/api/v1/cases?status=pending")
    assert body["count"] == 1
    assert body["items"] == [
        {
            "id": done.pk,
            "number": done.number,
            "item": {
                "code": world.check_item.code,
                "name": "药品零售许可",
                "version": done.version.number,
            },
            "status": {"code": "pending", "name": "待受理"},
            "mode": {"code": "originals_check", "name": "原件核验"},
            "applicant_name": "王晓明",
            "enterprise_uscc": None,
            "created_at": body["items"][0]["created_at"],
            "submitted_at": body["items"][0]["submitted_at"],
            "due_on": done.due_on.isoformat(),
            "closed_at": None,
        }
    ]
    response, body = call(client, "get", "/api/v1/cases?status=nonsense")
    assert (response.status_code, body["errors"]) == (
        422,
        [{"field": "status", "message": "取值不在允许范围内"}],
    )


def test_another_persons_case_is_not_found(client, world, me):
    case = submitted(client, world)
    stranger = account(citizen(2, name="李四"))
    client.force_login(stranger)
    entry = case.materials.first()
    for method, url, payload in [
        ("get", f"/api/v1/cases/{case.pk}", None),
        ("patch", f"/api/v1/cases/{case.pk}", {"delivery_address": "x"}),
        ("post", f"/api/v1/cases/{case.pk}/withdraw", {}),
        ("post", f"/api/v1/cases/{case.pk}/submit", None),
        ("post", f"/api/v1/cases/{case.pk}/materials", {"stored_file_id": entry.file_id}),
        ("get", f"/api/v1/cases/{case.pk}/materials/{entry.pk}/file", None),
        ("get", f"/api/v1/cases/{case.pk}/notices/accepted", None),
    ]:
        response, body = call(client, method, url, payload)
        assert (response.status_code, body["detail"]) == (404, "办件不存在"), url
    assert Case.objects.get().status == CaseStatus.PENDING_ACCEPTANCE


# --- after submission ------------------------------------------------------------------------


def test_withdraw_and_then_a_409_naming_what_is_allowed(client, world, me):
    case = submitted(client, world)
    url = f"/api/v1/cases/{case.pk}/withdraw"
    response, body = call(client, "post", url, {"reason": "不再需要"})
    assert response.status_code == 200
    assert body["status"] == {"code": "withdrawn", "name": "已撤回"}
    assert body["allowed_actions"] == []
    assert body["closed_at"] is not None
    response, body = call(client, "post", url)
    assert (response.status_code, response["Content-Type"]) == (409, PROBLEM)
    assert body["detail"] == (
        "办件当前状态为“已撤回”，不能撤回申请；现在可以进行的操作：无（办件已结束）"
    )
    assert (body["case_status"], body["allowed_actions"]) == ("withdrawn", [])


def test_supplement_through_the_api(client, world, me):
    case = submitted(client, world)
    material = case.version.materials.order_by("order", "id").first()
    services.request_supplement(
        case.pk, world.clerk, items=[{"material_id": material.pk, "problem": "未签名"}]
    )
    detail = call(client, "get", f"/api/v1/cases/{case.pk}")[1]
    request = case.supplements.get()
    assert detail["status"] == {"code": "supplement", "name": "补正中"}
    assert detail["paused"] is True
    assert detail["supplement"] == {
        "document_number": request.document_number,
        "items": [{"material_id": material.pk, "name": material.name, "problem": "未签名"}],
        "note": "",
        "requested_at": detail["supplement"]["requested_at"],
        "due_on": request.due_on.isoformat(),
    }
    assert [m["state"]["code"] for m in detail["materials"]] == ["to_supplement", "submitted"]
    assert detail["allowed_actions"] == [
        {"code": "supplement", "name": "补正材料"},
        {"code": "withdraw", "name": "撤回申请"},
    ]
    assert [n["kind"] for n in detail["notices"]] == ["supplement"]

    url = f"/api/v1/cases/{case.pk}/supplement"
    response, body = call(client, "post", url)
    assert (response.status_code, body["errors"]) == (
        422,
        [{"field": f"material.{material.pk}", "message": f"请重新上传“{material.name}”"}],
    )
    upload(
        client,
        f"/api/v1/cases/{case.pk}/materials",
        pdf_bytes("signed"),
        "signed.pdf",
        material_id=material.pk,
    )
    response, body = call(client, "post", url)
    assert response.status_code == 200
    assert body["status"] == {"code": "pending", "name": "待受理"}
    assert (body["supplement"], body["paused"]) == (None, False)
    assert [e["actor"] for e in body["timeline"]] == ["王**", "孙**", "王**"]
    assert [e["role"] for e in body["timeline"]] == ["", "窗口受理员", ""]


def test_the_whole_loop_ends_with_the_receipt_and_notices(client, world, me):
    body = fill(
        client,
        world,
        world.online_item,
        delivery_method=DeliveryMethod.EXPRESS,
        delivery_address="宁波市海曙区测试路8号",
    )
    case_id = body["id"]
    call(client, "post", f"/api/v1/cases/{case_id}/submit")
    response, early = call(client, "post", f"/api/v1/cases/{case_id}/receipt")
    assert (response.status_code, early["allowed_actions"], early["case_status"]) == (
        409,
        ["accept", "not_accept", "record_visit", "request_supplement", "withdraw"],
        "pending",
    )
    services.accept(case_id, world.clerk, window=world.window)
    services.review(case_id, world.reviewer, opinion="符合条件")
    services.decide(case_id, world.decider, decision="approved", opinion="准予许可")
    services.ship(case_id, world.clerk)

    response, detail = call(client, "get", f"/api/v1/cases/{case_id}")
    case = Case.objects.get()
    assert detail["status"] == {"code": "in_transit", "name": "送达中"}
    assert detail["allowed_actions"] == [{"code": "confirm_receipt", "name": "签收"}]
    assert (detail["tracking_number"], detail["carrier"]) == (case.tracking_number, case.carrier)
    assert detail["decision"] == {"code": "approved", "name": "准予许可"}
    assert [(n["kind"], n["title"]) for n in detail["notices"]] == [
        ("accepted", "受理通知书"),
        ("concluded", "办结通知书"),
    ]
    accept_step = detail["timeline"][1]
    assert (accept_step["actor"], accept_step["organization"], accept_step["window"]) == (
        "孙**",
        "海曙区政务服务中心",
        f"A01 {world.window.name}",
    )

    response, body = call(client, "post", f"/api/v1/cases/{case_id}/receipt", key=KEY)
    assert response.status_code == 200
    assert body["status"] == {"code": "completed", "name": "已办结"}

    pdf = client.get(detail["notices"][0]["url"])
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment; filename*=utf-8''")


def test_a_notice_the_case_does_not_have_is_a_404(client, world, me):
    case = submitted(client, world)
    response, body = call(client, "get", f"/api/v1/cases/{case.pk}/notices/concluded")
    assert (response.status_code, body["detail"]) == (404, "该办件没有这份文书")
    response, body = call(client, "get", f"/api/v1/cases/{case.pk}/notices/other")
    assert (response.status_code, body["errors"]) == (
        422,
        [{"field": "kind", "message": "取值不在允许范围内"}],
    )
    draft = start(client, world.online_item)["id"]
    response, body = call(client, "get", f"/api/v1/cases/{draft}/notices/accepted")
    assert (response.status_code, body["detail"]) == (404, "该办件没有这份文书")


# --- 我的材料 ---------------------------------------------------------------------------------


def test_my_materials_upload_list_download_remove(client, world, me):
    data = pdf_bytes("licence")
    response, body = upload(client, "/api/v1/me/materials", data, "执照.pdf", label="营业执照")
    stored = StoredFile.objects.get()
    assert response.status_code == 201
    assert body == {
        "id": stored.pk,
        "name": "执照.pdf",
        "label": "营业执照",
        "kind": "pdf",
        "content_type": "application/pdf",
        "size": len(data),
        "created_at": body["created_at"],
        "download_url": f"http://testserver/api/v1/me/materials/{stored.pk}/file",
    }
    response, listing = call(client, "get", "/api/v1/me/materials")
    assert listing == {"items": [body], "count": 1}
    download = client.get(body["download_url"])
    assert b"".join(download.streaming_content) == data

    response, content = call(client, "delete", f"/api/v1/me/materials/{stored.pk}")
    assert (response.status_code, content) == (204, None)
    assert call(client, "get", "/api/v1/me/materials")[1] == {"items": [], "count": 0}
    response, body = call(client, "get", f"/api/v1/me/materials/{stored.pk}/file")
    assert (response.status_code, body["detail"]) == (404, "文件不存在")
    StoredFile.objects.get(pk=stored.pk)  # only hidden


def test_an_executable_is_not_kept_in_my_materials(client, world, me):
    response, body = upload(client, "/api/v1/me/materials", ELF, "a.pdf")
    assert (response.status_code, body["detail"]) == (
        400,
        "「a.pdf」不是 PDF、JPG、PNG 或 OFD 文件：内容是可执行程序，已拒绝",
    )
    assert StoredFile.objects.count() == 0


def test_another_persons_material_is_not_found(client, world, me):
    theirs = services.store_file(account(citizen(2, name="李四")), pdf_bytes(), name="x.pdf")
    response, body = call(client, "delete", f"/api/v1/me/materials/{theirs.pk}")
    assert (response.status_code, body["detail"]) == (404, "文件不存在")
    response, body = call(client, "get", f"/api/v1/me/materials/{theirs.pk}/file")
    assert (response.status_code, body["detail"]) == (404, "文件不存在")
    assert StoredFile.objects.get(pk=theirs.pk).in_drive


# --- public query ----------------------------------------------------------------------------


def test_public_query_by_number_and_name(client, world, me):
    case = submitted(client, world)
    client.logout()
    response, body = call(client, "get", f"/api/v1/case-query?number={case.number}&who=王晓明")
    assert response.status_code == 200
    assert body == {
        "number": case.number,
        "item_name": "药品零售许可",
        "applicant": "王**",
        "status": {"code": "pending", "name": "待受理"},
        "submitted_at": body["submitted_at"],
        "accepting_org": "海曙区政务服务中心",
        "competent_org": "宁波市海曙区市场监督管理局",
        "due_on": case.due_on.isoformat(),
        "due_label": "受理期限",
        "tracking": "",
        "steps": [
            {"action": "提交申请", "step": "申请", "at": body["steps"][0]["at"], "organization": ""}
        ],
    }
    last4 = me.id_number[-4:]
    response, body = call(client, "get", f"/api/v1/case-query?number={case.number}&who={last4}")
    assert (response.status_code, body["number"]) == (200, case.number)


def test_public_query_misses_look_alike(client, world, me):
    case = submitted(client, world)
    client.logout()
    unknown = format_number("330203000000", date(2026, 1, 5), 999)
    for url in (
        f"/api/v1/case-query?number={case.number}&who=李四",
        f"/api/v1/case-query?number={unknown}&who=王晓明",
    ):
        response, body = call(client, "get", url)
        assert (response.status_code, body["detail"]) == (
            404,
            "没有找到办件：请核对办件编号和申请人信息",
        )
    response, body = call(client, "get", "/api/v1/case-query?number=123456789012&who=王晓明")
    assert (response.status_code, body["errors"]) == (
        400,
        [{"field": "number", "message": "办件编号有误（校验位不符），请核对后重新输入"}],
    )


def test_public_query_stops_guessing_on_one_number(client, world, me, clock):  # noqa: F811
    case = submitted(client, world)
    client.logout()
    url = f"/api/v1/case-query?number={case.number}&who="
    for guess in range(query.MISS_LIMIT_PER_NUMBER):
        response, _ = call(client, "get", f"{url}{guess:04d}")
        assert response.status_code == 404
    # from another address: the number itself is protected
    response = client.get(f"{url}王晓明", REMOTE_ADDR="10.0.0.9")
    body = json.loads(response.content)
    assert (response.status_code, body["detail"], response["Retry-After"]) == (
        429,
        "查询未成功的次数过多，请60分钟后再试；也可以拨打 12345 或办理窗口的咨询电话查询",
        "3600",
    )


def test_public_query_stops_guessing_from_one_address(client, world, me):
    case = submitted(client, world)
    client.logout()
    for seq in range(query.MISS_LIMIT_PER_ADDRESS):
        number = format_number("330203000000", date(2026, 1, 5), seq + 1)
        response, _ = call(client, "get", f"/api/v1/case-query?number={number}&who=王晓明")
        assert response.status_code == 404
    response, body = call(client, "get", f"/api/v1/case-query?number={case.number}&who=王晓明")
    assert (response.status_code, body["title"]) == (429, "操作过于频繁")
    response = client.get(
        f"/api/v1/case-query?number={case.number}&who=王晓明", REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 200


# --- 办事身份 --------------------------------------------------------------------------------


def test_cases_follow_the_acting_enterprise(client, world, me):
    company = enterprise(me)
    personal = start(client, world.online_item)["id"]
    response, _ = call(client, "put", "/api/v1/me/acting-enterprise", {"uscc": company.uscc})
    assert response.status_code == 200

    payload = {"item_code": world.online_item.code, "enterprise_uscc": company.uscc.lower()}
    response, body = call(client, "post", "/api/v1/cases", payload)
    assert response.status_code == 201
    assert (body["applicant_name"], body["enterprise_uscc"]) == (company.name, company.uscc)
    listing = call(client, "get", "/api/v1/cases")[1]
    assert [c["id"] for c in listing["items"]] == [body["id"]]
    response, refused = call(client, "get", f"/api/v1/cases/{personal}")
    assert (response.status_code, refused["detail"]) == (404, "办件不存在")

    payload["enterprise_uscc"] = uscc(2)
    response, refused = call(client, "post", "/api/v1/cases", payload)
    assert (response.status_code, refused["detail"]) == (
        409,
        f"当前办事身份是“{company.name}”，与 enterprise_uscc 不一致；"
        "请先切换办事身份（PUT /api/v1/me/acting-enterprise）再申请",
    )
    assert Case.objects.count() == 2


def test_public_query_shares_its_count_with_the_portal_page(client, world, me):
    case = submitted(client, world)
    client.logout()
    for guess in range(query.MISS_LIMIT_PER_NUMBER):
        page = client.post("/cases/query/", {"number": case.number, "who": f"{guess:04d}"})
        assert page.status_code == 404
    response, body = call(client, "get", f"/api/v1/case-query?number={case.number}&who=王晓明")
    assert (response.status_code, body["title"]) == (429, "操作过于频繁")


def test_a_session_write_without_the_csrf_header_is_told_why_in_chinese(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.citizen)
    response = client.post(
        "/api/v1/cases", {"item_code": world.online_item.code}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "CSRF 校验未通过：以登录会话调用写操作时，请带上 X-CSRFToken 请求头"
    )
    assert Case.objects.count() == 0
