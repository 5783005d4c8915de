"""/api/v1/items, /themes, /departments: exact bodies, problem+json errors."""

import json

import pytest
from django.core.files.base import ContentFile

from yiwang.catalog import services

from .conftest import HAISHU
from .factories import ItemVersionFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def get(client, url):
    response = client.get(url)
    return response.status_code, response["Content-Type"], json.loads(response.content)


def choice(code, name):
    return {"code": code, "name": name}


@pytest.fixture
def published(orgs, basic):
    return ItemVersionFactory(
        item__basic_item=basic, item__organization=orgs["haishu"], published=True, themes=["P06"]
    )


def summary(version, org):
    return {
        "code": version.item.code,
        "name": "食品经营许可",
        "basic_code": "000117009000",
        "item_type": choice("XK", "行政许可"),
        "organization": {"id": org.pk, "name": "宁波市海曙区市场监督管理局"},
        "region_code": HAISHU,
        "region_name": "海曙区",
        "exercise_level": choice("4", "县级"),
        "service_objects": [choice("person", "自然人")],
        "themes": [choice("P06", "就业创业")],
        "handling_forms": [choice("window", "窗口办理"), choice("online", "网上办理")],
        "is_fully_online": False,
        "max_visits": 1,
        "handling_scope": choice("city", "全市"),
        "promised_time_limit": 5,
        "version": 1,
    }


def test_items_list(client, published, orgs):
    ItemVersionFactory(item__organization=orgs["yuyao"], published=True)
    assert get(client, f"/api/v1/items?region={HAISHU}&object=person&theme=P06&type=XK") == (
        200,
        "application/json; charset=utf-8",
        {"items": [summary(published, orgs["haishu"])], "count": 1},
    )
    assert get(client, "/api/v1/items?limit=1")[2]["count"] == 2
    assert get(client, "/api/v1/items?object=enterprise")[2] == {"items": [], "count": 0}


def test_items_list_bounds_its_page(client, published):
    assert get(client, "/api/v1/items?offset=10000000")[2] == {"items": [], "count": 1}
    status, _, body = get(client, "/api/v1/items?offset=99999999999999999999999")
    assert (status, body["detail"]) == (422, "offset：数值过大")
    status, _, body = get(client, "/api/v1/items?limit=101")
    assert (status, body["detail"]) == (422, "limit：数值过大")
    # found by schemathesis in CI: an id past 64 bits was a 500 on SQLite
    status, _, body = get(client, "/api/v1/items?department=-119240309097170390591510975348736")
    assert (status, body["detail"]) == (422, "department：数值过小")
    status, _, body = get(client, "/api/v1/items?department=1000000000000000000")
    assert (status, body["detail"]) == (422, "department：数值过大")
    code = published.item.code
    assert get(client, f"/api/v1/items/{code}/versions/99999999999999999999")[0] == 404


def test_item_guide(client, published, orgs):
    code = published.item.code
    status, _, body = get(client, f"/api/v1/items/{code.lower()}")
    assert status == 200
    assert body == {
        "code": code,
        "basic_code": "000117009000",
        "name": "食品经营许可",
        "item_type": choice("XK", "行政许可"),
        "basic_legal_basis": "《中华人民共和国行政许可法》第十二条",
        "organization": {"id": orgs["haishu"].pk, "name": "宁波市海曙区市场监督管理局"},
        "region_code": HAISHU,
        "exercise_level": choice("4", "县级"),
        "version": 1,
        "published_at": body["published_at"],
        "service_objects": [choice("person", "自然人")],
        "themes": [choice("P06", "就业创业")],
        "legal_basis": "《中华人民共和国行政许可法》第二十九条",
        "conditions": "申请人为具有完全民事行为能力的自然人。",
        "review_criteria": "材料齐全、符合法定形式。",
        "handling_forms": [choice("window", "窗口办理"), choice("online", "网上办理")],
        "online_depth": [
            choice("consult", "互联网咨询"),
            choice("receive", "互联网收件"),
            choice("pre_review", "互联网预审"),
        ],
        "depth_level": 2,
        "is_fully_online": False,
        "max_visits": 1,
        "handling_scope": choice("city", "全市"),
        "appointment_supported": True,
        "online_payment_supported": False,
        "express_delivery_supported": False,
        "statutory_time_limit": 20,
        "promised_time_limit": 5,
        "is_free": True,
        "fees": [],
        "result_name": "准予许可决定书",
        "result_type": choice("approval", "批文"),
        "result_sample": None,
        "materials": [
            {
                "name": "申请表",
                "kind": choice("original", "原件"),
                "source": choice("applicant", "申请人自备"),
                "issuing_department": "",
                "copies": 1,
                "paper_format": "A4",
                "blank_form": None,
                "sample": None,
                "electronic_required": False,
                "requirement": choice("always", "必要"),
                "condition": "",
                "acceptance_standard": "",
                "notes": "",
                "legal_basis": "《中华人民共和国行政许可法》第二十九条",
            },
            {
                "name": "居民身份证",
                "kind": choice("original", "原件"),
                "source": choice("government", "政府部门核发"),
                "issuing_department": "公安机关",
                "copies": 0,
                "paper_format": "",
                "blank_form": None,
                "sample": None,
                "electronic_required": True,
                "requirement": choice("always", "必要"),
                "condition": "",
                "acceptance_standard": "",
                "notes": "",
                "legal_basis": "《中华人民共和国居民身份证法》第十四条",
            },
        ],
        "steps": [
            {
                "name": "受理",
                "role": choice("accept", "受理"),
                "time_limit": 1,
                "description": "",
                "review_method": None,
                "on_the_spot": False,
            },
            {
                "name": "决定",
                "role": choice("decide", "决定"),
                "time_limit": 4,
                "description": "",
                "review_method": choice("written", "书面审查"),
                "on_the_spot": False,
            },
        ],
        "handling_items": [
            {"name": "新办", "description": "", "materials": ["申请表", "居民身份证"]}
        ],
        "halls": [],
        "windows": [],
        "handling_address": "宁波市海曙区测试路1号行政服务中心二楼",
        "working_hours": "周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）",
        "consultation_phone": "0574-87000001",
        "supervision_phone": "0574-12345",
    }


def test_versions_and_diff(client, published):
    item = published.item
    draft = services.start_draft(item)
    services.update_draft(draft, promised_time_limit=3)
    services.publish(draft)
    status, _, body = get(client, f"/api/v1/items/{item.code}/versions")
    assert status == 200
    assert [(v["number"], v["status"]) for v in body] == [
        (2, choice("published", "已发布")),
        (1, choice("superseded", "已被替代")),
    ]
    status, _, body = get(client, f"/api/v1/items/{item.code}/versions/2")
    assert (status, body["previous_version"], body["changes"]) == (
        200,
        1,
        [{"field": "承诺办结时限（工作日）", "old": "5", "new": "3"}],
    )
    status, _, body = get(client, f"/api/v1/items/{item.code}/versions/1")
    assert (status, body["promised_time_limit"], body["previous_version"], body["changes"]) == (
        200,
        5,
        None,
        [],
    )


def test_unknown_item_and_version_are_404_problems(client, published):
    code = published.item.code
    unknown = code[:-1] + ("1" if code[-1] != "1" else "2")
    assert get(client, f"/api/v1/items/{unknown}") == (
        404,
        PROBLEM,
        {
            "type": "/api/v1/problems/not-found",
            "title": "未找到",
            "status": 404,
            "detail": f"实施编码为 {unknown} 的事项不存在或未发布",
            "instance": f"/api/v1/items/{unknown}",
            "errors": [{"field": "code", "message": f"实施编码为 {unknown} 的事项不存在或未发布"}],
        },
    )
    status, content_type, body = get(client, f"/api/v1/items/{code}/versions/7")
    assert (status, content_type, body["detail"]) == (
        404,
        PROBLEM,
        f"事项 {code} 没有已发布的第7版",
    )


def test_drafts_are_not_served(client, orgs):
    draft = ItemVersionFactory(item__organization=orgs["haishu"])
    status, _, body = get(client, f"/api/v1/items/{draft.item.code}/versions")
    assert (status, body["detail"]) == (404, f"实施编码为 {draft.item.code} 的事项不存在或未发布")


def test_search_path_is_not_an_item_code(client, published):
    import re

    from yiwang.catalog.api import ImplementationCodeConverter

    assert re.fullmatch(ImplementationCodeConverter.regex, "search") is None
    assert re.fullmatch(ImplementationCodeConverter.regex, published.item.code.lower())


def test_themes(client, db):
    status, _, body = get(client, "/api/v1/themes?audience=enterprise")
    assert (status, len(body), body[0]) == (
        200,
        34,
        {"code": "E01", "name": "设立变更", "audience": "enterprise", "order": 1},
    )


def test_departments(client, published, orgs):
    assert get(client, "/api/v1/departments?region=330203") == (
        200,
        "application/json; charset=utf-8",
        [
            {
                "id": orgs["haishu"].pk,
                "name": "宁波市海曙区市场监督管理局",
                "region_code": HAISHU,
                "region_name": "海曙区",
                "item_count": 1,
            }
        ],
    )
    status, content_type, body = get(client, "/api/v1/departments?region=330299")
    assert (status, content_type, body["errors"]) == (
        404,
        PROBLEM,
        [{"field": "region", "message": "行政区划代码 330299000000 不存在"}],
    )


def test_file_links_are_absolute_addresses_of_the_portal_downloads(
    client, published, settings, tmp_path
):
    # The files live under MEDIA_ROOT, which the application does not serve: the links go to the
    # portal's download views, the current guide's and each replaced version's own.
    settings.MEDIA_ROOT = tmp_path
    item = published.item
    draft = services.start_draft(item)
    material = draft.materials.get(name="申请表")
    material.blank_form.save("form.pdf", ContentFile(b"%PDF-1.4 blank"), save=False)
    material.sample.save("sample.pdf", ContentFile(b"%PDF-1.4 sample"), save=False)
    services.update_material(material, blank_form=material.blank_form, sample=material.sample)
    draft.result_sample.save("result.pdf", ContentFile(b"%PDF-1.4 result"), save=False)
    services.update_draft(draft, result_sample=draft.result_sample)
    services.publish(services.submit_for_review(draft), opinion="同意")

    base = f"http://testserver/items/{item.code}"
    guide = get(client, f"/api/v1/items/{item.code}")[2]
    form = guide["materials"][0]
    assert (form["name"], form["blank_form"], form["sample"]) == (
        "申请表",
        f"{base}/materials/{material.pk}/form/",
        f"{base}/materials/{material.pk}/sample/",
    )
    assert guide["materials"][1]["blank_form"] is None
    assert guide["result_sample"] == f"{base}/result-sample/"
    for url, content in (
        (form["blank_form"], b"%PDF-1.4 blank"),
        (form["sample"], b"%PDF-1.4 sample"),
        (guide["result_sample"], b"%PDF-1.4 result"),
    ):
        response = client.get(url)
        assert (response.status_code, b"".join(response.streaming_content)) == (200, content)

    # Version 3 replaces version 2: version 2's files stay reachable at its own addresses.
    services.publish(services.submit_for_review(services.start_draft(item)), opinion="同意")
    old = get(client, f"/api/v1/items/{item.code}/versions/2")[2]
    assert (old["materials"][0]["blank_form"], old["result_sample"]) == (
        f"{base}/versions/2/materials/{material.pk}/form/",
        f"{base}/versions/2/result-sample/",
    )
    response = client.get(old["materials"][0]["blank_form"])
    assert (response.status_code, b"".join(response.streaming_content)) == (200, b"%PDF-1.4 blank")
    assert client.get(f"{base}/versions/1/result-sample/").status_code == 404
