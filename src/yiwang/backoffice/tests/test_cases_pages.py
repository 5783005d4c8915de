"""办件 pages of the back office: queues per role, the case page and every action through its
form, refusals that keep what was typed, the 409 banner, material previews, search, and a queue
page whose number of queries does not grow with its rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yiwang.accounts.constants import Role
from yiwang.accounts.permissions import grant_role
from yiwang.accounts.tests.staff_helpers import sign_in_staff
from yiwang.backoffice.views.cases import LAST_WINDOW_KEY, duration_text
from yiwang.cases import clock, services
from yiwang.cases.constants import CaseStatus, DeliveryMethod, MaterialState
from yiwang.cases.models import Case, Extension, SupplementRequest
from yiwang.cases.tests.helpers import case_world, pdf_bytes
from yiwang.catalog import services as catalog
from yiwang.catalog.constants import StepRole
from yiwang.catalog.tests.factories import StaffFactory
from yiwang.core import workdays
from yiwang.core.tests.test_uploads import make_ofd, make_png
from yiwang.regions.tests.factories import OrganizationFactory, ServiceHallFactory, WindowFactory

pytestmark = pytest.mark.django_db

QUEUE = "/backoffice/cases/"


@pytest.fixture
def world(db):
    return case_world()


def _staff(username: str, name: str, role: Role, organization):
    user = StaffFactory(username=username, name=name)
    grant_role(user, role, organization=organization)
    return user


def _signed_in(user) -> Client:
    return sign_in_staff(Client(), user)


def _filled(world, item, *, id_card: bytes = b"", **draft) -> Case:
    """A draft with its form and 办理情形, 申请表 as a PDF and 居民身份证 as a PDF, or as the
    image ``id_card`` (PNG bytes) when given. The result goes the item's default way (by post
    for 全程网办, to this address) unless ``draft`` says otherwise."""
    if "delivery_method" not in draft:
        draft["delivery_address"] = "宁波市海曙区测试路8号"
    case = services.start_application(world.citizen, item)
    services.save_draft(
        case.pk,
        world.citizen,
        form={**case.form, "reason": "开办餐饮店"},
        handling_item_id=case.version.handling_items.get().pk,
        **draft,
    )
    form, card = case.version.materials.order_by("order", "id")
    services.attach_material(
        case.pk, world.citizen, material_id=form.pk, upload=pdf_bytes(), file_name="申请表.pdf"
    )
    services.attach_material(
        case.pk,
        world.citizen,
        material_id=card.pk,
        upload=id_card or pdf_bytes("ID"),
        file_name="身份证.png" if id_card else "身份证.pdf",
    )
    return case


def _submitted(world, item, **draft) -> Case:
    return services.submit(_filled(world, item, **draft).pk, world.citizen)


def _reviewing(world, **draft) -> Case:
    case = _submitted(world, world.online_item, **draft)
    return services.accept(case.pk, world.clerk, window=world.window)


def _case(case) -> Case:
    return Case.objects.get(pk=case.pk)


def _text(response) -> str:
    return response.content.decode()


# --- menu and queues ---------------------------------------------------------------------------


def test_the_menu_shows_cases_to_those_who_work_them(world):
    assert 'href="/backoffice/cases/"' in _text(_signed_in(world.reviewer).get("/backoffice/"))
    admin = _staff("admin", "管理员", Role.DEPARTMENT_ADMIN, world.market)
    text = _text(_signed_in(admin).get("/backoffice/"))
    assert 'href="/backoffice/cases/"' not in text
    assert _signed_in(admin).get(QUEUE).status_code == 403


def test_each_role_sees_the_tabs_it_works_with_their_counts(world):
    pending = _submitted(world, world.check_item)
    pre_review = _submitted(world, world.prereview_item)
    reviewing = _reviewing(world)

    clerk = _text(_signed_in(world.clerk).get(QUEUE))
    for label, count in (
        ("待预审", 1),
        ("待受理", 1),
        ("补正中", 0),
        ("待送达", 0),
        ("即将超期", 0),
        ("已超期", 0),
    ):
        assert f'{label} <span class="count">{count}</span>' in clerk
    assert "待审查 <span" not in clerk
    assert "待决定 <span" not in clerk
    # the first tab (待预审) is shown: its case, masked applicant, mode
    assert f'href="/backoffice/cases/{pre_review.pk}/">{pre_review.number}</a>' in clerk
    assert f">{pending.number}</a>" not in clerk
    assert "<td>王**</td>" in clerk
    assert "王晓明" not in clerk
    assert '<td class="nowrap">原件预审</td>' in clerk

    pending_tab = _text(_signed_in(world.clerk).get(QUEUE, {"q": "pending"}))
    assert f">{pending.number}</a>" in pending_tab
    assert f">{pre_review.number}</a>" not in pending_tab

    reviewer = _text(_signed_in(world.reviewer).get(QUEUE))
    assert '待审查 <span class="count">1</span>' in reviewer
    assert "待受理 <span" not in reviewer
    assert "待决定 <span" not in reviewer
    assert f">{reviewing.number}</a>" in reviewer

    decider = _signed_in(world.decider)
    text = _text(decider.get(QUEUE))
    assert '待决定 <span class="count">0</span>' in text
    assert "待审查 <span" not in text
    assert decider.get(QUEUE, {"q": "pending"}).status_code == 404
    assert decider.get(QUEUE, {"q": "nonsense"}).status_code == 404


def test_a_supervisor_sees_only_the_deadline_tabs(world):
    supervisor = _staff("sup", "监察甲", Role.SUPERVISOR, world.hall.organization)
    text = _text(_signed_in(supervisor).get(QUEUE))
    assert '即将超期 <span class="count">0</span>' in text
    assert '已超期 <span class="count">0</span>' in text
    assert "待受理 <span" not in text
    assert "待预审 <span" not in text


def test_remaining_working_days_are_coloured_and_paused_cases_say_so(world, monkeypatch):
    case = _submitted(world, world.check_item)
    due = case.due_on
    clerk = _signed_in(world.clerk)

    def seen_on(day: datetime.date) -> str:
        monkeypatch.setattr(clock, "local_date", lambda moment=None: day)
        return _text(clerk.get(QUEUE, {"q": "pending"}))

    assert due == workdays.add_working_days(clock.local_date(), 5)
    two_left = workdays.add_working_days(clock.local_date(), 3)
    assert '<span class="days days-soon">2</span>' in seen_on(two_left)
    assert '<span class="days days-overdue">今日到期</span>' in seen_on(due)
    late = workdays.add_working_days(due, 3)
    assert '<span class="days days-overdue">超期 3</span>' in seen_on(late)
    monkeypatch.undo()

    far = _text(clerk.get(QUEUE, {"q": "pending"}))
    assert '<span class="days">5</span>' in far

    services.request_supplement(
        case.pk, world.clerk, items=[{"material_id": None, "name": "租赁合同", "problem": "缺"}]
    )
    supplement = _text(clerk.get(QUEUE, {"q": "supplement"}))
    assert '<span class="days">暂停</span>' in supplement


def test_visits_beyond_the_maximum_are_flagged(world):
    case = _submitted(world, world.online_item)  # 全程网办: no visit at all
    services.record_visit(case.pk, world.clerk, purpose="咨询材料要求")
    text = _text(_signed_in(world.clerk).get(QUEUE, {"q": "pending"}))
    assert '1/0 <span class="tag tag-danger">超次</span>' in text


def test_the_queue_page_makes_as_many_queries_for_20_cases_as_for_1(world):
    clerk = _signed_in(world.clerk)
    first = _submitted(world, world.check_item)
    # the drive keeps the uploaded files: the other cases reuse them (quicker than 38 uploads)
    given = [(m.material_id, m.file_id) for m in first.materials.all()]
    clerk.get(QUEUE, {"q": "pending"})  # the working-day calendar is loaded once per process
    with CaptureQueriesContext(connection) as one:
        assert clerk.get(QUEUE, {"q": "pending"}).status_code == 200
    for _ in range(19):
        case = services.start_application(world.citizen, world.check_item)
        services.save_draft(
            case.pk,
            world.citizen,
            form={**case.form, "reason": "开办药店"},
            handling_item_id=case.version.handling_items.get().pk,
        )
        for material_id, file_id in given:
            services.attach_material(
                case.pk, world.citizen, material_id=material_id, stored_file_id=file_id
            )
        services.submit(case.pk, world.citizen)
    with CaptureQueriesContext(connection) as twenty:
        response = clerk.get(QUEUE, {"q": "pending"})
    assert _text(response).count('<tr>\n    <td class="nowrap"><a href="/backoffice/cases/') == 20
    assert len(twenty.captured_queries) == len(one.captured_queries)


# --- search ------------------------------------------------------------------------------------


def test_search_filters_by_number_applicant_item_and_date(world):
    check = _submitted(world, world.check_item)
    online = _submitted(world, world.online_item)
    clerk = _signed_in(world.clerk)

    def found(**filters) -> set[str]:
        text = _text(clerk.get("/backoffice/cases/search/", filters))
        return {c.number for c in (check, online) if f">{c.number}</a>" in text}

    assert found() == {check.number, online.number}
    assert found(number=online.number) == {online.number}
    assert found(applicant="王晓明") == {check.number, online.number}
    assert found(applicant="李") == set()
    assert found(item="药品零售") == {check.number}
    assert found(item=world.online_item.code.lower()) == {online.number}
    today = clock.local_date()
    assert found(**{"from": today.isoformat(), "to": today.isoformat()}) == {
        check.number,
        online.number,
    }
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert found(**{"from": tomorrow}) == set()


def test_search_refuses_a_bad_date_and_keeps_the_filters(world):
    response = _signed_in(world.clerk).get(
        "/backoffice/cases/search/", {"applicant": "王晓明", "from": "2025-13-01"}
    )
    assert response.status_code == 400
    text = _text(response)
    assert "请按“年-月-日”填写日期，如 2025-03-01" in text
    assert 'value="王晓明"' in text
    assert 'value="2025-13-01"' in text


def test_search_finds_nothing_of_another_organisation(world):
    case = _submitted(world, world.check_item)
    other = _staff("other-clerk", "外窗口", Role.WINDOW_CLERK, OrganizationFactory())
    text = _text(_signed_in(other).get("/backoffice/cases/search/", {"number": case.number}))
    assert f">{case.number}</a>" not in text
    assert "没有符合条件的办件。" in text


# --- the case page -----------------------------------------------------------------------------


def test_a_clerk_of_another_organisation_gets_404_everywhere(world):
    case = services.accept(_submitted(world, world.check_item).pk, world.clerk)
    material = case.materials.order_by("id").first()
    other = _signed_in(_staff("other-clerk", "外窗口", Role.WINDOW_CLERK, OrganizationFactory()))
    for url in (
        f"/backoffice/cases/{case.pk}/",
        f"/backoffice/cases/{case.pk}/materials/{material.pk}/",
        f"/backoffice/cases/{case.pk}/notices/accepted.pdf",
    ):
        response = other.get(url)
        assert response.status_code == 404
        assert "办件不存在" in _text(response)
    refused = other.post(f"/backoffice/cases/{case.pk}/decide/", {"decision": "approved"})
    assert refused.status_code == 404
    assert _case(case).status == CaseStatus.DECIDING


def test_the_case_page_shows_header_form_materials_and_timeline(world):
    case = _submitted(world, world.check_item, id_card=make_png())
    case = services.accept(case.pk, world.clerk, window=world.window, opinion="材料齐全")
    text = _text(_signed_in(world.clerk).get(f"/backoffice/cases/{case.pk}/"))
    assert f"办件 {case.number}" in text
    assert f"药品零售许可（{case.item.code}，第 {case.version.number} 版指南）" in text
    assert "<dd>原件核验</dd>" in text
    assert f"{world.hall.organization.name} → {world.market.name}" in text
    assert f"<dd>{case.due_on:%Y-%m-%d}（承诺 {case.promised_days} 个工作日）</dd>" in text
    assert "<dd>0/1 次</dd>" in text
    # the form's values under the titles of its schema
    assert (
        '<th scope="row" style="width:14em">申请事由</th>'
        '<td style="white-space:pre-wrap">开办餐饮店</td>'
    ) in text
    # materials: the PDF in a frame, the image as an image, both from the staff-only view
    pdf, png = case.materials.order_by("id")
    assert f'<iframe src="/backoffice/cases/{case.pk}/materials/{pdf.pk}/"' in text
    assert f'<img src="/backoffice/cases/{case.pk}/materials/{png.pk}/" alt="居民身份证"' in text
    # the timeline names who did what, in which role and window, and how long it took
    assert "<td>孙丽华</td><td>窗口受理员</td>" in text
    assert f"<br>{world.window}</td>" in text
    assert '<td class="nowrap">不到 1 分钟</td>' in text
    assert "材料齐全" in text
    # the notice of acceptance, and the decider's action is not the clerk's
    assert f'href="/backoffice/cases/{case.pk}/notices/accepted.pdf">受理通知书（PDF）</a>' in text
    assert f'action="/backoffice/cases/{case.pk}/decide/"' not in text


def test_the_panel_offers_only_what_the_state_and_the_role_allow(world):
    case = _submitted(world, world.check_item)
    clerk = _text(_signed_in(world.clerk).get(f"/backoffice/cases/{case.pk}/"))
    for segment in ("accept", "supplement", "not-accept", "visit"):
        assert f'action="/backoffice/cases/{case.pk}/{segment}/"' in clerk
    assert f'action="/backoffice/cases/{case.pk}/pre-review-pass/"' not in clerk
    assert '<details class="action primary" open>\n    <summary>受理</summary>' in clerk
    reviewer = _text(_signed_in(world.reviewer).get(f"/backoffice/cases/{case.pk}/"))
    assert 'id="actions"' not in reviewer
    assert 'action="/backoffice/cases/' not in reviewer
    forbidden = _signed_in(world.reviewer).post(f"/backoffice/cases/{case.pk}/accept/")
    assert forbidden.status_code == 403
    assert f"您没有窗口受理员权限（{world.hall.organization.name}）" in _text(forbidden)


def test_duration_text_reads_in_chinese():
    assert duration_text(0) == "不到 1 分钟"
    assert duration_text(59) == "不到 1 分钟"
    assert duration_text(45 * 60) == "45 分钟"
    assert duration_text(3 * 3600 + 5 * 60) == "3 小时 5 分钟"
    assert duration_text(2 * 86400 + 3 * 3600 + 59 * 60) == "2 天 3 小时"
    assert duration_text(86400) == "1 天"


# --- materials and notices ---------------------------------------------------------------------


def test_materials_are_served_inline_with_nosniff_and_ofd_only_as_download(world):
    case = _submitted(world, world.check_item, id_card=make_png())
    clerk = _signed_in(world.clerk)
    pdf, png = case.materials.order_by("id")
    response = clerk.get(f"/backoffice/cases/{case.pk}/materials/{pdf.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf"
    )
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf.file.file.open("rb").read()
    image = clerk.get(f"/backoffice/cases/{case.pk}/materials/{png.pk}/")
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"].startswith("inline; ")
    assert clerk.get(f"/backoffice/cases/{case.pk}/materials/999999/").status_code == 404

    ofd_case = _filled(world, world.check_item)
    form = ofd_case.version.materials.order_by("order", "id").first()
    services.attach_material(
        ofd_case.pk, world.citizen, material_id=form.pk, upload=make_ofd(), file_name="申请表.ofd"
    )
    ofd_case = services.submit(ofd_case.pk, world.citizen)
    ofd = ofd_case.materials.get(material=form)
    download = clerk.get(f"/backoffice/cases/{ofd_case.pk}/materials/{ofd.pk}/")
    assert download["Content-Type"] == "application/ofd"
    assert download["Content-Disposition"].startswith("attachment; ")
    page = _text(clerk.get(f"/backoffice/cases/{ofd_case.pk}/"))
    assert f'<iframe src="/backoffice/cases/{ofd_case.pk}/materials/{ofd.pk}/"' not in page
    assert "（OFD，" in page and "，仅可下载）" in page


def test_a_notice_downloads_as_pdf_and_an_unissued_one_is_404(world):
    case = services.accept(_submitted(world, world.check_item).pk, world.clerk)
    clerk = _signed_in(world.clerk)
    response = clerk.get(f"/backoffice/cases/{case.pk}/notices/accepted.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert clerk.get(f"/backoffice/cases/{case.pk}/notices/concluded.pdf").status_code == 404


# --- the window's actions ----------------------------------------------------------------------


def test_pre_review_pass_through_its_form(world):
    case = _submitted(world, world.prereview_item)
    clerk = _signed_in(world.clerk)
    response = clerk.post(
        f"/backoffice/cases/{case.pk}/pre-review-pass/",
        {"opinion": "", "window": world.window.pk},
        follow=True,
    )
    assert response.redirect_chain == [(f"/backoffice/cases/{case.pk}/", 302)]
    assert "预审通过，申请人携带原件到窗口即可受理。办件现为“待受理”。" in _text(response)
    assert _case(case).status == CaseStatus.PENDING_ACCEPTANCE
    assert clerk.session[LAST_WINDOW_KEY] == world.window.pk


def test_supplement_lists_ticked_materials_and_other_rows(world):
    case = _submitted(world, world.check_item)
    form, card = case.version.materials.order_by("order", "id")
    response = _signed_in(world.clerk).post(
        f"/backoffice/cases/{case.pk}/supplement/",
        {
            "m": [str(form.pk)],
            f"problem_{form.pk}": "未签名",
            f"problem_{card.pk}": "",
            "other_name_1": "房屋租赁合同",
            "other_problem_1": "未提交",
            "note": "请一并补正",
        },
        follow=True,
    )
    assert response.status_code == 200
    request = SupplementRequest.objects.get(case=case)
    assert request.items == [
        {"material_id": form.pk, "name": "申请表", "problem": "未签名"},
        {"material_id": None, "name": "房屋租赁合同", "problem": "未提交"},
    ]
    assert request.note == "请一并补正"
    assert f"已一次性告知补正（{request.document_number}），共 2 项" in _text(response)
    case = _case(case)
    assert case.status == CaseStatus.SUPPLEMENT
    assert case.materials.get(material=form).state == MaterialState.TO_SUPPLEMENT


def test_a_refused_supplement_shows_each_message_by_its_row_and_keeps_the_input(world):
    case = _submitted(world, world.check_item)
    form, card = case.version.materials.order_by("order", "id")
    response = _signed_in(world.clerk).post(
        f"/backoffice/cases/{case.pk}/supplement/",
        {
            "m": [str(form.pk), str(card.pk)],
            f"problem_{card.pk}": "已过期",
            "other_name_2": "",
            "other_problem_2": "复印件不清晰",
            "note": "请尽快",
        },
    )
    assert response.status_code == 422  # FieldErrors: every field at once
    text = _text(response)
    assert (
        f'<p class="error" id="supplement-problem-{form.pk}-error" role="alert">'
        "请写明“申请表”存在的问题</p>"
    ) in text
    assert (
        '<p class="error" id="supplement-other-2-error" role="alert">请填写需补正的材料名称</p>'
    ) in text
    assert f'name="problem_{card.pk}" value="已过期"' in text
    assert 'name="other_problem_2" value="复印件不清晰"' in text
    assert f'name="m" value="{card.pk}" checked' in text
    assert ">请尽快</textarea>" in text
    assert '<details class="action" open>\n    <summary>一次性告知补正</summary>' in text
    assert _case(case).status == CaseStatus.PENDING_ACCEPTANCE
    assert SupplementRequest.objects.count() == 0


def test_not_accept_needs_reason_and_legal_basis(world):
    case = _submitted(world, world.check_item)
    clerk = _signed_in(world.clerk)
    url = f"/backoffice/cases/{case.pk}/not-accept/"
    empty = clerk.post(url, {"reason": "不属于本机关职权范围", "legal_basis": " "})
    assert empty.status_code == 422
    text = _text(empty)
    assert (
        '<p class="error" id="not_accept-legal_basis-error" role="alert">'
        "请填写不予受理的法律依据</p>"
    ) in text
    assert ">不属于本机关职权范围</textarea>" in text
    assert _case(case).status == CaseStatus.PENDING_ACCEPTANCE

    done = clerk.post(
        url,
        {
            "reason": "不属于本机关职权范围",
            "legal_basis": "《行政许可法》第三十二条第一款第（二）项",
        },
        follow=True,
    )
    assert "已作出不予受理决定，已通知申请人；可下载不予受理决定书。" in _text(done)
    assert _case(case).status == CaseStatus.NOT_ACCEPTED
    assert "不予受理决定书（PDF）" in _text(done)


def test_accept_with_a_window_then_the_other_clerk_gets_the_409_banner(world):
    other = _staff("clerk2", "周明", Role.WINDOW_CLERK, world.hall.organization)
    case = _submitted(world, world.online_item)
    first, second = _signed_in(world.clerk), _signed_in(other)
    second.get(f"/backoffice/cases/{case.pk}/")  # both have the case open
    done = first.post(
        f"/backoffice/cases/{case.pk}/accept/",
        {"window": world.window.pk, "opinion": "材料齐全"},
        follow=True,
    )
    assert "已受理，已通知申请人。办件现为“待审查”。" in _text(done)
    case = _case(case)
    assert case.status == CaseStatus.REVIEWING
    assert case.window == world.window

    late = second.post(f"/backoffice/cases/{case.pk}/accept/", {"window": world.window.pk})
    assert late.status_code == 409
    text = _text(late)
    assert (
        '<div class="error-box" role="alert"><strong>操作未完成：</strong>该办件已由孙丽华于'
        in text
    )
    assert "受理。办件当前状态为“待审查”，不能受理；" in text
    # the page shows the case as it now is: no accept form any more
    assert '<span class="tag tag-status">待审查</span>' in text
    assert f'action="/backoffice/cases/{case.pk}/accept/"' not in text


def test_a_window_of_another_hall_is_refused_next_to_the_select(world):
    case = _submitted(world, world.check_item)
    elsewhere = WindowFactory(hall=ServiceHallFactory(), number="B09")
    response = _signed_in(world.clerk).post(
        f"/backoffice/cases/{case.pk}/accept/", {"window": elsewhere.pk, "opinion": "齐全"}
    )
    assert response.status_code == 400
    text = _text(response)
    assert (
        '<p class="error" id="accept-window-error" role="alert">所选窗口不属于受理机构的大厅</p>'
    ) in text
    assert ">齐全</textarea>" in text
    assert _case(case).status == CaseStatus.PENDING_ACCEPTANCE


def test_accept_with_an_on_the_spot_decision(world):
    item = world.check_item
    draft = catalog.start_draft(item)
    catalog.update_step(draft.steps.get(role=StepRole.ACCEPT), on_the_spot=True)
    catalog.publish(draft)
    item.refresh_from_db()
    case = _submitted(world, item)
    clerk = _signed_in(world.clerk)
    url = f"/backoffice/cases/{case.pk}/accept/"
    assert 'name="decide_now" value="approved"' in _text(clerk.get(f"/backoffice/cases/{case.pk}/"))

    missing = clerk.post(url, {"decide_now": "approved", "decision_opinion": ""})
    assert missing.status_code == 400
    text = _text(missing)
    assert "当场决定请填写决定意见" in text
    assert 'name="decide_now" value="approved" checked' in text
    assert _case(case).status == CaseStatus.PENDING_ACCEPTANCE
    # a refusal's reasons are checked as in 决定, and shown by the 决定意见 of this form
    short = clerk.post(url, {"decide_now": "denied", "decision_opinion": "不行", "opinion": "齐全"})
    assert short.status_code == 400
    text = _text(short)
    assert (
        '<p class="error" id="accept-decision_opinion-error" role="alert">不予许可须写明理由</p>'
    ) in text
    assert 'id="accept-opinion-error"' not in text
    assert ">齐全</textarea>" in text

    done = clerk.post(url, {"decide_now": "approved", "decision_opinion": "符合条件"}, follow=True)
    assert "已受理并当场决定：准予许可。办件现为“待送达”。" in _text(done)
    case = _case(case)
    assert case.status == CaseStatus.DELIVERING
    assert case.decision == "approved"


def test_record_visit_needs_a_purpose(world):
    case = _submitted(world, world.check_item)
    clerk = _signed_in(world.clerk)
    url = f"/backoffice/cases/{case.pk}/visit/"
    empty = clerk.post(url, {"purpose": " ", "window": world.window.pk})
    assert empty.status_code == 400
    assert '<p class="error" id="visit-purpose-error" role="alert">请填写到现场的事由</p>' in _text(
        empty
    )
    done = clerk.post(url, {"purpose": "补交原件", "window": world.window.pk}, follow=True)
    assert "已登记到现场：第 1 次（最多 1 次）。" in _text(done)
    assert _case(case).visits == 1


# --- the department's actions and the clock ---------------------------------------------------


def test_review_then_decide_through_their_forms(world):
    case = _reviewing(world)
    reviewer = _signed_in(world.reviewer)
    empty = reviewer.post(f"/backoffice/cases/{case.pk}/review/", {"opinion": ""})
    assert empty.status_code == 400
    assert '<p class="error" id="review-opinion-error" role="alert">请填写审查意见</p>' in _text(
        empty
    )
    done = reviewer.post(
        f"/backoffice/cases/{case.pk}/review/", {"opinion": "材料齐全，符合条件"}, follow=True
    )
    assert "审查意见已提交。办件现为“待决定”。" in _text(done)
    assert _case(case).status == CaseStatus.DECIDING

    decider = _signed_in(world.decider)
    url = f"/backoffice/cases/{case.pk}/decide/"
    undecided = decider.post(url, {"opinion": "同意"})
    assert undecided.status_code == 400
    text = _text(undecided)
    assert "请选择准予许可或不予许可" in text
    assert ">同意</textarea>" in text
    short = decider.post(url, {"decision": "denied", "opinion": "不行"})
    assert short.status_code == 400
    assert "不予许可须写明理由" in _text(short)
    assert 'name="decision" value="denied" checked' in _text(short)
    done = decider.post(url, {"decision": "approved", "opinion": "准予许可"}, follow=True)
    assert "已作出决定：准予许可，办件已办结。办件现为“待送达”。" in _text(done)
    assert _case(case).status == CaseStatus.DELIVERING


def test_pause_and_resume_the_clock(world):
    case = _reviewing(world)
    reviewer = _signed_in(world.reviewer)
    empty = reviewer.post(f"/backoffice/cases/{case.pk}/pause/", {"reason": ""})
    assert empty.status_code == 400
    assert "请填写暂停计时的原因" in _text(empty)
    done = reviewer.post(f"/backoffice/cases/{case.pk}/pause/", {"reason": "专家评审"}, follow=True)
    assert "已暂停计时；暂停期间不计入办理时限。" in _text(done)
    assert _case(case).is_paused
    page = _text(done)
    assert f'action="/backoffice/cases/{case.pk}/resume/"' in page
    assert f'action="/backoffice/cases/{case.pk}/pause/"' not in page
    assert "办件正在暂停计时：恢复计时后才能审查或决定。" in page
    resumed = reviewer.post(f"/backoffice/cases/{case.pk}/resume/", follow=True)
    assert "已恢复计时，暂停的工作日已顺延到办结期限。" in _text(resumed)
    assert not _case(case).is_paused


def test_an_extension_is_asked_for_and_approved_through_the_forms(world):
    case = _reviewing(world)
    reviewer = _signed_in(world.reviewer)
    url = f"/backoffice/cases/{case.pk}/extension/"
    bad = reviewer.post(url, {"days": "三", "reason": "需现场核查"})
    assert bad.status_code == 400
    text = _text(bad)
    assert (
        '<p class="error" id="extension-days-error" role="alert">'
        "请填写延长的工作日数（1 到 10）</p>"
    ) in text
    assert ">需现场核查</textarea>" in text
    too_long = reviewer.post(url, {"days": "11", "reason": "需现场核查"})
    assert "延长天数应为 1 到 10 个工作日" in _text(too_long)
    done = reviewer.post(url, {"days": "3", "reason": "需现场核查"}, follow=True)
    assert "已申请延期 3 个工作日，等待决定人批准。" in _text(done)
    assert f'action="/backoffice/cases/{case.pk}/extension/"' not in _text(done)

    decider = _signed_in(world.decider)
    decide_url = f"/backoffice/cases/{case.pk}/extension-decision/"
    undecided = decider.post(decide_url, {"note": "同意"})
    assert undecided.status_code == 400
    assert "请选择“批准”或“不批准”" in _text(undecided)
    rejected_without_reason = decider.post(decide_url, {"decision": "reject", "note": ""})
    assert "不批准延期请写明理由" in _text(rejected_without_reason)
    due_before = _case(case).due_on
    approved = decider.post(decide_url, {"decision": "approve", "note": "同意"}, follow=True)
    assert "已批准延期 3 个工作日，办结期限已顺延。" in _text(approved)
    case = _case(case)
    assert case.extension_days == 3
    assert case.due_on == workdays.add_working_days(due_before, 3)
    assert Extension.objects.get(case=case).status == Extension.Status.APPROVED
    again = decider.post(decide_url, {"decision": "approve"})
    assert again.status_code == 409
    assert "没有等待批准的延期申请" in _text(again)


# --- the result ---------------------------------------------------------------------------------


def _decided(world, **draft) -> Case:
    case = _reviewing(world, **draft)
    services.review(case.pk, world.reviewer, opinion="符合条件")
    return services.decide(case.pk, world.decider, decision="approved", opinion="准予")


def test_ship_hands_the_result_to_the_carrier(world):
    case = _decided(
        world, delivery_method=DeliveryMethod.EXPRESS, delivery_address="宁波市海曙区测试路8号"
    )
    page = _text(_signed_in(world.clerk).get(f"/backoffice/cases/{case.pk}/"))
    assert "<summary>寄送（申请人选择的送达方式）</summary>" in page
    done = _signed_in(world.clerk).post(f"/backoffice/cases/{case.pk}/ship/", follow=True)
    case = _case(case)
    assert case.status == CaseStatus.IN_TRANSIT
    assert f"已交寄：{case.carrier}，运单号 {case.tracking_number}。办件现为“送达中”。" in _text(
        done
    )


def test_ship_without_an_address_is_refused_in_its_form(world):
    case = _decided(world, delivery_method=DeliveryMethod.ELECTRONIC)
    response = _signed_in(world.clerk).post(f"/backoffice/cases/{case.pk}/ship/")
    assert response.status_code == 400
    assert (
        '<div class="error-box" role="alert">申请人没有填写邮寄地址，请改为窗口领取或电子送达</div>'
    ) in _text(response)
    assert _case(case).status == CaseStatus.DELIVERING


def test_hand_over_needs_who_signed(world):
    # a 原件核验 case: the result is collected at the window (a 全程网办 one is never handed over)
    case = _submitted(world, world.check_item)
    services.accept(case.pk, world.clerk, window=world.window)
    services.decide(case.pk, world.decider, decision="approved", opinion="准予")
    clerk = _signed_in(world.clerk)
    online = _decided(world)
    assert "<summary>窗口领取" not in _text(clerk.get(f"/backoffice/cases/{online.pk}/"))
    url = f"/backoffice/cases/{case.pk}/hand-over/"
    empty = clerk.post(url, {"signed_by": "", "window": world.window.pk})
    assert empty.status_code == 400
    assert (
        '<p class="error" id="hand_over-signed_by-error" role="alert">请填写签收人姓名</p>'
    ) in _text(empty)
    done = clerk.post(url, {"signed_by": "王晓明", "window": world.window.pk}, follow=True)
    assert "已登记窗口领取，签收人：王晓明。办件已办结。" in _text(done)
    case = _case(case)
    assert case.status == CaseStatus.COMPLETED
    assert case.visits == 1


def test_deliver_electronically(world):
    case = _decided(world, delivery_method=DeliveryMethod.ELECTRONIC)
    done = _signed_in(world.clerk).post(
        f"/backoffice/cases/{case.pk}/deliver-electronically/", follow=True
    )
    assert "已电子送达，申请人可在“我的办件”中查看结果。办件已办结。" in _text(done)
    assert _case(case).status == CaseStatus.COMPLETED
