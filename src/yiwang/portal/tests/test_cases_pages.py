"""The citizen's pages of online application: 在线办理 from the guide, the draft (typed values
kept, messages next to fields and materials), submission, 我的办件, the case page with 补正,
撤回 and 签收, notices, 我的材料, downloads only of one's own files, and the public 办件查询."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from yiwang.accounts.constants import ACTING_ENTERPRISE_SESSION_KEY
from yiwang.accounts.tests.enterprise_helpers import enterprise
from yiwang.accounts.tests.persons_helpers import account, citizen
from yiwang.cases import services
from yiwang.cases.constants import CaseStatus, DeliveryMethod
from yiwang.cases.models import Case, CaseEvent, StoredFile
from yiwang.cases.services import query
from yiwang.cases.tests.helpers import case_world, pdf_bytes
from yiwang.catalog import services as catalog
from yiwang.catalog.constants import OnlineDepth
from yiwang.catalog.tests.factories import ItemVersionFactory

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
EXECUTABLE_REFUSED = "「申请表.pdf」不是 PDF、JPG、PNG 或 OFD 文件：内容是可执行程序，已拒绝"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def world(db):
    return case_world()


@pytest.fixture
def applicant(client, world):
    client.force_login(world.citizen)
    return client


def _text(response) -> str:
    return response.content.decode()


def _pdf(name: str = "申请表.pdf", text: str = "form") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _materials(case):
    form, card = case.version.materials.order_by("order", "id")
    return form, card


def _complete(case, **overrides) -> dict:
    """Everything the draft page posts for a complete application of the online item."""
    data = {
        "submission_token": str(case.submission_token),
        "form-applicant_name": "王晓明",
        "form-phone": "13912340001",
        "form-address": "宁波市海曙区测试路8号",
        "form-reason": "开办餐饮店",
        "delivery_method": DeliveryMethod.EXPRESS,
        "delivery_address": "宁波市海曙区测试路8号 王晓明 13912340001",
        "action": "save",
    }
    if "handling_item" not in overrides:
        data["handling_item"] = str(case.version.handling_items.get().pk)
    data.update(overrides)
    return data


def _start(client, item) -> Case:
    response = client.post(f"/items/{item.code}/apply/")
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/my/cases/{case.pk}/edit/"
    return case


def _submitted(world, item=None) -> Case:
    """A case submitted through the services, every material attached."""
    item = item or world.online_item
    case = services.start_application(world.citizen, item)
    services.save_draft(
        case.pk,
        world.citizen,
        form={**case.form, "reason": "开办餐饮店"},
        handling_item_id=case.version.handling_items.get().pk,
        delivery_method=DeliveryMethod.EXPRESS,
        delivery_address="宁波市海曙区测试路8号",
    )
    for material in case.version.materials.all():
        services.attach_material(
            case.pk, world.citizen, material_id=material.pk, upload=pdf_bytes(), file_name="a.pdf"
        )
    return services.submit(case.pk, world.citizen)


# --- 在线办理 from the guide -------------------------------------------------------------------


def test_urls_are_where_the_other_pages_and_the_notices_expect_them():
    from django.urls import reverse

    assert reverse("portal:my-cases") == "/my/cases/"
    assert reverse("portal:case", args=[7]) == "/my/cases/7/"
    assert reverse("portal:case-edit", args=[7]) == "/my/cases/7/edit/"
    assert reverse("portal:case-notice", args=[7, "not_accepted"]) == (
        "/my/cases/7/notices/not_accepted.pdf"
    )
    assert reverse("portal:my-materials") == "/my/materials/"
    assert reverse("portal:case-query") == "/cases/query/"


def test_a_visitor_is_sent_to_sign_in_and_comes_back_to_start(client, world):
    code = world.online_item.code
    guide = _text(client.get(f"/items/{code}/"))
    assert f'<a class="btn btn-primary" href="/items/{code}/apply/">在线办理</a>' in guide

    response = client.get(f"/items/{code}/apply/")
    assert response.status_code == 302
    assert response["Location"] == f"/account/login/?next=/items/{code}/apply/"

    client.force_login(world.citizen)
    page = _text(client.get(f"/items/{code}/apply/"))
    assert "<h1>在线办理：食品经营许可</h1>" in page
    assert "全程网办：网上申请、受理和办理，结果邮寄或电子送达，无需到现场。" in page
    assert "申请人：王**（个人）" in page
    assert '<button type="submit" class="btn btn-primary">开始填写申请</button>' in page
    assert Case.objects.count() == 0  # a GET starts nothing


def test_the_signed_in_guide_button_starts_a_draft(applicant, world):
    code = world.online_item.code
    guide = _text(applicant.get(f"/items/{code}/"))
    assert f'method="post" action="/items/{code}/apply/">' in guide
    assert 'name="csrfmiddlewaretoken"' in guide

    case = _start(applicant, world.online_item)
    assert (case.status, case.applicant, case.enterprise) == (
        CaseStatus.DRAFT,
        world.citizen,
        None,
    )
    page = _text(applicant.get(f"/items/{code}/apply/"))
    assert f'<a href="/my/cases/{case.pk}/edit/">继续填写' in page


def test_an_item_not_applied_for_online_says_why(applicant, world):
    version = ItemVersionFactory(published=True, online_depth=[OnlineDepth.CONSULT])
    code = version.item.code
    guide = _text(applicant.get(f"/items/{code}/"))
    assert f"/items/{code}/apply/" not in guide
    assert "<strong>暂不支持在线办理：</strong>该事项的网上办理深度不含网上申报" in guide

    response = applicant.post(f"/items/{code}/apply/")
    assert response.status_code == 400
    assert "<p>该事项暂不支持网上办理，请按办事指南到窗口办理</p>" in _text(response)
    assert Case.objects.count() == 0


def test_acting_for_an_enterprise_the_enterprise_applies(applicant, world):
    firm = enterprise(world.citizen)
    session = applicant.session
    session[ACTING_ENTERPRISE_SESSION_KEY] = firm.pk
    session.save()
    page = _text(applicant.get(f"/items/{world.online_item.code}/apply/"))
    assert "申请人：宁波海曙示例贸易有限公司（以企业身份办理，经办人 王**）" in page

    case = _start(applicant, world.online_item)
    assert (case.enterprise, case.applicant_name) == (firm, "宁波海曙示例贸易有限公司")
    listing = _text(applicant.get("/my/cases/"))
    assert "宁波海曙示例贸易有限公司的办件（您以企业身份办事）。" in listing
    assert f'<a href="/my/cases/{case.pk}/edit/">继续填写</a>' in listing


def test_a_staff_account_cannot_apply(client, world):
    client.force_login(world.clerk)
    assert client.post(f"/items/{world.online_item.code}/apply/").status_code == 403
    assert client.get("/my/cases/").status_code == 403


def test_an_account_with_its_initial_password_must_change_it_first(client, world):
    user = account(citizen(2, name="李四"), must_change_password=True)
    client.force_login(user)
    response = client.get("/my/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/account/password/?next=%2Fmy%2Fcases%2F"


# --- the draft ---------------------------------------------------------------------------------


def test_the_draft_page_is_prefilled_and_lists_the_materials(applicant, world):
    case = _start(applicant, world.online_item)
    page = _text(applicant.get(f"/my/cases/{case.pk}/edit/"))
    assert "<h1>填写申请：食品经营许可</h1>" in page
    assert 'name="form-applicant_name" value="王晓明"' in page
    assert 'name="form-phone" value="13912340001"' in page
    assert page.count('<span class="tag tag-required">必要</span>') == 2
    form, _ = _materials(case)
    assert f'<input type="file" id="material-{form.pk}-file" name="file_{form.pk}"' in page
    assert f'name="submission_token" value="{case.submission_token}"' in page
    assert 'id="delivery-express" name="delivery_method" value="express" checked' in page
    # 全程网办: nobody is asked to come for the result
    assert 'value="pickup"' not in page


def test_choosing_the_handling_item_refreshes_the_material_list(applicant, world):
    item = ItemVersionFactory(published=True, fully_online=True).item
    draft = catalog.start_draft(item)
    form = draft.materials.get(name="申请表")
    replacement = catalog.add_handling_item(draft, name="补办", materials=[form])
    catalog.publish(draft)
    item.refresh_from_db()
    case = _start(applicant, item)
    assert _text(applicant.get(f"/my/cases/{case.pk}/edit/")).count('<li class="material-row') == 2

    response = applicant.post(
        f"/my/cases/{case.pk}/edit/",
        _complete(case, action="refresh", handling_item=str(replacement.pk)),
        headers={"HX-Request": "true"},
    )
    assert response["Location"] == f"/my/cases/{case.pk}/edit/"
    page = _text(applicant.get(response["Location"]))
    assert page.count('<li class="material-row') == 1
    assert f'id="material-{form.pk}"' in page
    assert (
        f'id="handling-{replacement.pk}" name="handling_item" value="{replacement.pk}" checked'
        in (page)
    )
    assert "草稿已保存" not in page  # a refresh is not a save the applicant asked for
    # without a script the same button refreshes; with htmx the fieldset swaps #materials
    assert 'hx-select="#materials"' in page
    assert '<button type="submit" name="action" value="refresh"' in page


def test_a_failed_submission_keeps_everything_and_says_what_is_wrong(applicant, world):
    case = _start(applicant, world.online_item)
    data = _complete(
        case,
        action="submit",
        **{"form-applicant_name": "", "form-phone": "123", "delivery_address": ""},
    )
    del data["handling_item"]
    response = applicant.post(f"/my/cases/{case.pk}/edit/", data)

    page = _text(response)
    assert response.status_code == 200
    form, card = _materials(case)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', summary) == [
        ("id_form-applicant_name", "请填写申请人姓名"),
        ("id_form-phone", "联系电话格式不正确"),
        (f"material-{form.pk}-file", "请上传“申请表”"),
        (f"material-{card.pk}-file", "请上传“居民身份证”"),
        ("id_delivery_address", "选择邮寄送达时请填写收件地址"),
    ]
    # each message next to its field, the input pointing at it
    assert (
        '<p class="field-error" id="id_form-phone_error"><span class="visually-hidden">错误：'
        "</span>联系电话格式不正确</p>"
    ) in page
    assert re.search(
        r'<input type="text" name="form-phone" value="123"[^>]*'
        r'aria-describedby="id_form-phone_helptext id_form-phone_error"[^>]*aria-invalid="true"'
        r'|<input type="text" name="form-phone" value="123"[^>]*aria-invalid="true"[^>]*'
        r'aria-describedby="id_form-phone_helptext id_form-phone_error"',
        page,
    )
    assert (
        f'<p class="field-error" id="material-{card.pk}-error"><span class="visually-hidden">'
        "错误：</span>请上传“居民身份证”</p>"
    ) in page
    # what was typed is still there, and saved with the draft
    assert "\n开办餐饮店</textarea>" in page
    assert 'name="form-address" value="宁波市海曙区测试路8号"' in page
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    assert case.form == {
        "address": "宁波市海曙区测试路8号",
        "phone": "123",
        "reason": "开办餐饮店",
    }


def test_an_executable_renamed_pdf_is_refused_and_nothing_else_is_lost(applicant, world):
    case = _start(applicant, world.online_item)
    form, card = _materials(case)
    data = _complete(
        case,
        **{
            f"file_{form.pk}": SimpleUploadedFile("申请表.pdf", EXECUTABLE),
            f"file_{card.pk}": _pdf("身份证.pdf"),
        },
    )
    response = applicant.post(f"/my/cases/{case.pk}/edit/", data)

    page = _text(response)
    assert response.status_code == 200
    assert (
        f'<p class="field-error" id="material-{form.pk}-error"><span class="visually-hidden">'
        f"错误：</span>{EXECUTABLE_REFUSED}</p>"
    ) in page
    assert f'<li><a href="#material-{form.pk}-file">申请表：{EXECUTABLE_REFUSED}</a></li>' in page
    # the other material, the form, the choices: all kept
    assert [(m.material_id, m.file.name) for m in case.materials.all()] == [(card.pk, "身份证.pdf")]
    assert "\n开办餐饮店</textarea>" in page
    case.refresh_from_db()
    assert case.form["reason"] == "开办餐饮店"
    assert case.handling_item == case.version.handling_items.get()
    assert case.delivery_address == "宁波市海曙区测试路8号 王晓明 13912340001"
    assert StoredFile.objects.filter(owner=world.citizen).count() == 1


def test_a_png_named_pdf_is_kept_as_the_png_it_is_and_said_so(applicant, world):
    case = _start(applicant, world.online_item)
    form, _ = _materials(case)
    upload = SimpleUploadedFile("申请表.pdf", _png())
    response = applicant.post(
        f"/my/cases/{case.pk}/edit/", _complete(case, **{f"file_{form.pk}": upload})
    )
    assert response.status_code == 302
    page = _text(applicant.get(response["Location"]))
    notice = "文件名是 .pdf，但内容是 PNG 图片，已按实际内容保存为“申请表.png”"
    assert f'<p class="upload-notice" role="status">{notice}</p>' in page
    assert '<ul class="flash" role="status"><li>草稿已保存。</li></ul>' in page
    given = case.materials.get()
    assert (given.file.name, given.file.content_type) == ("申请表.png", "image/png")


def test_a_file_of_my_materials_can_be_chosen_and_removed_again(applicant, world):
    case = _start(applicant, world.online_item)
    kept = services.store_file(world.citizen, pdf_bytes(), name="申请表-已签名.pdf", label="申请表")
    form, _ = _materials(case)
    page = _text(applicant.get(f"/my/cases/{case.pk}/edit/"))
    assert f'<option value="{kept.pk}">申请表-已签名.pdf（申请表），' in page

    response = applicant.post(
        f"/my/cases/{case.pk}/edit/", _complete(case, **{f"stored_{form.pk}": str(kept.pk)})
    )
    assert response.status_code == 302
    given = case.materials.get()
    assert (given.material_id, given.file_id) == (form.pk, kept.pk)

    page = _text(applicant.get(f"/my/cases/{case.pk}/edit/"))
    assert (
        f'已上传：<a href="/my/cases/{case.pk}/materials/{given.pk}/">申请表-已签名.pdf</a>' in page
    )
    response = applicant.post(
        f"/my/cases/{case.pk}/edit/", _complete(case, action=f"detach:{given.pk}")
    )
    assert response.status_code == 302
    assert case.materials.count() == 0
    assert StoredFile.objects.get(pk=kept.pk).in_drive  # still in 我的材料


def test_another_persons_file_cannot_be_chosen(applicant, world):
    case = _start(applicant, world.online_item)
    other = account(citizen(3, name="赵六"))
    theirs = services.store_file(other, pdf_bytes(), name="别人的.pdf")
    form, _ = _materials(case)
    response = applicant.post(
        f"/my/cases/{case.pk}/edit/",
        _complete(case, **{f"stored_{form.pk}": str(theirs.pk)}),
    )
    assert response.status_code == 200
    assert f'<li><a href="#material-{form.pk}-file">申请表：我的材料中没有这个文件</a></li>' in (
        _text(response)
    )
    assert case.materials.count() == 0


def test_submit_leads_to_the_case_page_with_its_number_and_a_double_click_changes_nothing(
    applicant, world
):
    case = _start(applicant, world.online_item)
    form, card = _materials(case)
    data = _complete(
        case,
        action="submit",
        **{f"file_{form.pk}": _pdf(), f"file_{card.pk}": _pdf("身份证.pdf")},
    )
    response = applicant.post(f"/my/cases/{case.pk}/edit/", data)
    case.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/my/cases/{case.pk}/"
    assert case.status == CaseStatus.PENDING_ACCEPTANCE
    page = _text(applicant.get(response["Location"]))
    assert f"<li>申请已提交，办件编号 {case.number}。</li>" in page
    assert f'办件编号 <strong class="num">{case.number}</strong>' in page
    assert '<span class="status status-pending">待受理</span>' in page

    again = applicant.post(f"/my/cases/{case.pk}/edit/", _complete(case, action="submit"))
    assert again["Location"] == f"/my/cases/{case.pk}/"
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(case=case, action="submit").count() == 1
    assert applicant.get(f"/my/cases/{case.pk}/edit/")["Location"] == f"/my/cases/{case.pk}/"


def test_a_stale_submission_token_submits_nothing(applicant, world):
    case = _start(applicant, world.online_item)
    response = applicant.post(
        f"/my/cases/{case.pk}/edit/", _complete(case, action="submit", submission_token="x")
    )
    assert "<li>页面已过期：请核对下面的内容后再提交一次</li>" in _text(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT


# --- 我的办件 and the case page ----------------------------------------------------------------


def test_my_cases_lists_filters_and_pages(applicant, world):
    submitted = _submitted(world)
    for _ in range(20):
        services.start_application(world.citizen, world.check_item)

    page = _text(applicant.get("/my/cases/"))
    assert "第 1 / 2 页" in page
    assert page.count("<tr>") == 21  # the header and 20 rows
    assert 'href="?page=2">下一页</a>' in page

    second = _text(applicant.get("/my/cases/?page=2"))
    assert f'<a href="/my/cases/{submitted.pk}/">{submitted.number}</a>' in second
    assert '<span class="status status-pending">待受理</span>' in second

    active = _text(applicant.get("/my/cases/?status=active"))
    assert active.count("<tr>") == 2
    assert submitted.number in active
    assert '<td data-label="提交日期">' + submitted.submitted_at.strftime("%Y-%m-%d") in active
    drafts = _text(applicant.get("/my/cases/?status=draft"))
    assert drafts.count("继续填写</a>") == 20
    assert "第 1 / 1 页" not in drafts and 'aria-current="page">草稿</a>' in drafts
    assert "没有已办结的办件。" in _text(applicant.get("/my/cases/?status=done"))


def test_another_persons_case_and_files_do_not_exist_for_me(client, world):
    case = _submitted(world)
    services.accept(case.pk, world.clerk, window=world.window)
    given = case.materials.first()
    client.force_login(account(citizen(4, name="钱七")))
    for path in (
        f"/my/cases/{case.pk}/",
        f"/my/cases/{case.pk}/edit/",
        f"/my/cases/{case.pk}/withdraw/",
        f"/my/cases/{case.pk}/materials/{given.pk}/",
        f"/my/cases/{case.pk}/notices/accepted.pdf",
        f"/my/materials/{given.file_id}/",
    ):
        assert (path, client.get(path).status_code) == (path, 404)
    assert client.post(f"/my/cases/{case.pk}/receipt/").status_code == 404
    assert client.post(f"/my/materials/{given.file_id}/remove/").status_code == 404
    assert StoredFile.objects.get(pk=given.file_id).in_drive


def test_own_material_downloads_as_an_attachment_of_its_checked_type(applicant, world):
    case = _submitted(world)
    given = case.materials.first()
    response = applicant.get(f"/my/cases/{case.pk}/materials/{given.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"a.pdf\"; filename*=UTF-8''a.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert applicant.get(f"/my/cases/{case.pk}/materials/999999/").status_code == 404


def test_the_case_page_shows_the_timeline_with_staff_masked_and_the_notices(applicant, world):
    case = _submitted(world)
    services.accept(case.pk, world.clerk, window=world.window)
    page = _text(applicant.get(f"/my/cases/{case.pk}/"))
    assert '<span class="what">提交申请</span>（申请）' in page
    assert '<span class="what">受理</span>' in page
    assert "窗口受理员 孙**" in page
    assert "孙丽华" not in page
    assert "· A01号窗口" in page
    assert f'href="/my/cases/{case.pk}/notices/accepted.pdf">受理通知书（PDF）</a>' in page
    assert "撤回申请" not in page  # accepted: no longer withdrawn by the applicant

    pdf = applicant.get(f"/my/cases/{case.pk}/notices/accepted.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # old clients get the number (the ASCII part of the name); browsers the Chinese title
    assert pdf["Content-Disposition"].startswith(f'attachment; filename="{case.number}.pdf"')
    assert applicant.get(f"/my/cases/{case.pk}/notices/concluded.pdf").status_code == 404
    services.review(case.pk, world.reviewer, opinion="内部审查意见")
    services.decide(case.pk, world.decider, decision="approved", opinion="符合条件，准予许可")
    page = _text(applicant.get(f"/my/cases/{case.pk}/"))
    assert '<p class="note">符合条件，准予许可</p>' in page  # the decision is told
    assert "内部审查意见" not in page  # the reviewer's opinion is not


def test_supplement_flow(applicant, world):
    case = _submitted(world)
    form, _ = _materials(case)
    services.request_supplement(
        case.pk, world.clerk, items=[{"material_id": form.pk, "problem": "未签名"}]
    )
    page = _text(applicant.get(f"/my/cases/{case.pk}/"))
    assert '<h2 id="supplement-title">需要补正的材料</h2>' in page
    assert "<p>存在问题：未签名</p>" in page
    assert f'name="file_{form.pk}"' in page
    assert f'href="/my/cases/{case.pk}/notices/supplement.pdf"' in page

    missing = applicant.post(f"/my/cases/{case.pk}/supplement/", {"action": "submit"})
    assert missing.status_code == 200
    assert f'<li><a href="#material-{form.pk}-file">请重新上传“申请表”</a></li>' in _text(missing)

    refused = applicant.post(
        f"/my/cases/{case.pk}/supplement/",
        {"action": "submit", f"file_{form.pk}": SimpleUploadedFile("申请表.pdf", EXECUTABLE)},
    )
    assert f"申请表：{EXECUTABLE_REFUSED}" in _text(refused)

    done = applicant.post(
        f"/my/cases/{case.pk}/supplement/",
        {"action": "submit", f"file_{form.pk}": _pdf("申请表-已签名.pdf")},
    )
    assert done["Location"] == f"/my/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING_ACCEPTANCE
    assert case.materials.get(material=form).file.name == "申请表-已签名.pdf"
    page = _text(applicant.get(f"/my/cases/{case.pk}/"))
    assert "<li>补正材料已提交，办件继续办理。</li>" in page
    assert "需要补正的材料" not in page


def test_withdraw_asks_to_confirm_then_withdraws(applicant, world):
    case = _submitted(world)
    page = _text(applicant.get(f"/my/cases/{case.pk}/"))
    assert f'<a class="btn btn-plain" href="/my/cases/{case.pk}/withdraw/">撤回申请</a>' in page

    confirm = _text(applicant.get(f"/my/cases/{case.pk}/withdraw/"))
    assert "确定撤回“食品经营许可”的申请" in confirm
    too_long = applicant.post(f"/my/cases/{case.pk}/withdraw/", {"reason": "长" * 301})
    assert "撤回原因不能超过 300 个字" in _text(too_long)
    assert ">" + "长" * 301 + "</textarea>" in _text(too_long)

    response = applicant.post(f"/my/cases/{case.pk}/withdraw/", {"reason": "信息填错了"})
    assert response["Location"] == f"/my/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    assert case.events.get(action="withdraw").opinion == "信息填错了"
    page = _text(applicant.get(f"/my/cases/{case.pk}/"))
    assert "<li>申请已撤回。</li>" in page
    assert "/withdraw/" not in page


def test_a_page_left_open_while_the_clerk_accepted_shows_the_409(applicant, world):
    case = _submitted(world)
    services.accept(case.pk, world.clerk, window=world.window)
    response = applicant.post(f"/my/cases/{case.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 409
    message = re.search(
        r'<div class="conflict" role="alert" id="conflict"><p>([^<]+)</p>', (_text(response))
    ).group(1)
    assert message.startswith("该办件已由孙丽华于")
    assert message.endswith(
        "受理。办件当前状态为“待审查”，不能撤回申请；现在可以进行的操作：审查、暂停计时、"
        "恢复计时、申请延期、批准延期、不批准延期、登记到现场"
    )
    assert CaseStatus(Case.objects.get().status) == CaseStatus.REVIEWING


def test_receipt_of_the_posted_result_is_confirmed(applicant, world):
    case = _submitted(world)
    services.accept(case.pk, world.clerk, window=world.window)
    services.review(case.pk, world.reviewer, opinion="符合条件")
    services.decide(case.pk, world.decider, decision="approved", opinion="准予许可")
    case = services.ship(case.pk, world.clerk)
    page = _text(applicant.get(f"/my/cases/{case.pk}/"))
    assert (
        f'<dt>快递单号</dt><dd>{case.carrier} <span class="num">{case.tracking_number}</span>'
        in (page)
    )
    assert f'action="/my/cases/{case.pk}/receipt/">' in page
    assert "办结通知书（PDF）" in page

    response = applicant.post(f"/my/cases/{case.pk}/receipt/")
    assert response["Location"] == f"/my/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    again = applicant.post(f"/my/cases/{case.pk}/receipt/")
    assert again.status_code == 409


# --- 我的材料 ----------------------------------------------------------------------------------


def test_my_materials_upload_list_download_and_remove(applicant, world):
    response = applicant.post("/my/materials/", {"label": "营业执照", "file": _pdf("营业执照.pdf")})
    assert response["Location"] == "/my/materials/"
    stored = StoredFile.objects.get()
    page = _text(applicant.get("/my/materials/"))
    assert "<li>已保存“营业执照.pdf”到我的材料。</li>" in page
    assert f'<a href="/my/materials/{stored.pk}/">营业执照.pdf</a>' in page
    assert '<td data-label="材料名称">营业执照</td>' in page

    download = applicant.get(f"/my/materials/{stored.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")

    refused = applicant.post(
        "/my/materials/", {"label": "申请表", "file": SimpleUploadedFile("申请表.pdf", EXECUTABLE)}
    )
    text = _text(refused)
    assert refused.status_code == 200
    assert f'<li><a href="#id_file">{EXECUTABLE_REFUSED}</a></li>' in text
    assert 'name="label" value="申请表"' in text
    assert StoredFile.objects.count() == 1

    removed = applicant.post(f"/my/materials/{stored.pk}/remove/")
    assert removed["Location"] == "/my/materials/"
    page = _text(applicant.get("/my/materials/"))
    assert "<li>已将“营业执照.pdf”移出我的材料；已提交的申请中仍保留该文件。</li>" in page
    assert "还没有保存的材料。" in page
    assert applicant.get(f"/my/materials/{stored.pk}/").status_code == 404


def test_the_user_space_and_the_footer_link_the_new_pages(applicant, world):
    center = _text(applicant.get("/account/"))
    assert '<a href="/my/cases/">我的办件</a>' in center
    assert '<a href="/my/materials/">我的材料</a>' in center
    assert '<li><a href="/cases/query/">办件查询</a></li>' in _text(applicant.get("/"))


# --- 办件查询 ----------------------------------------------------------------------------------


def test_public_query_with_the_name_or_the_last_four_of_the_id_number(client, world):
    case = _submitted(world)
    services.accept(case.pk, world.clerk, window=world.window)
    prefilled = _text(client.get(f"/cases/query/?number={case.number}"))
    assert f'name="number" type="text" value="{case.number}"' in prefilled

    found = client.post("/cases/query/", {"number": case.number, "who": "王晓明"})
    page = _text(found)
    assert found.status_code == 200
    assert f'<dd class="num">{case.number}</dd>' in page
    assert "<dt>申请人</dt><dd>王**</dd>" in page
    assert '<span class="status status-reviewing">待审查</span>' in page
    assert '<span class="what">受理</span>' in page
    assert "孙" not in page.split('id="result"')[1]  # handlers by organisation only

    by_id = client.post(
        "/cases/query/", {"number": case.number, "who": world.citizen.id_number[-4:]}
    )
    assert by_id.status_code == 200


def test_public_query_answers_a_wrong_name_like_a_missing_case_and_stops_guessing(client, world):
    case = _submitted(world)
    wrong = client.post("/cases/query/", {"number": case.number, "who": "张三"})
    assert wrong.status_code == 404
    assert "没有找到办件：请核对办件编号和申请人信息" in _text(wrong)
    assert 'value="张三"' in _text(wrong)

    malformed = client.post("/cases/query/", {"number": "12ab", "who": "张三"})
    assert malformed.status_code == 400
    assert "办件编号由数字组成，请核对后重新输入" in _text(malformed)

    for _ in range(query.MISS_LIMIT_PER_NUMBER - 1):
        assert client.post("/cases/query/", {"number": case.number, "who": "1234"}).status_code == (
            404
        )
    busy = client.post("/cases/query/", {"number": case.number, "who": "王晓明"})
    assert busy.status_code == 429
    assert "查询未成功的次数过多，请60分钟后再试" in _text(busy)


def test_a_number_below_its_least_value_is_named_as_such(applicant, world):
    # the number field of a real form: 资金数额 of at least 0
    from yiwang.catalog import services as catalog

    draft = catalog.start_draft(world.online_item)
    catalog.update_draft(
        draft,
        application_form={
            "type": "object",
            "properties": {
                "capital": {"type": "number", "title": "资金数额（万元）", "minimum": 0},
            },
            "required": ["capital"],
        },
    )
    catalog.publish(draft)
    world.online_item.refresh_from_db()
    response = applicant.post(f"/items/{world.online_item.code}/apply/")
    case = Case.objects.filter(item=world.online_item).latest("id")
    assert response.status_code == 302
    page = _text(
        applicant.post(
            f"/my/cases/{case.pk}/edit/",
            {
                "action": "submit",
                "form-capital": "-5",
                "submission_token": str(case.submission_token),
            },
        )
    )
    assert "不能小于 0" in page
    assert "应为数字" not in page
    assert 'value="-5"' in page
