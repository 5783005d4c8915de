"""The 最多跑一次 loop through the services: apply, 补正, accept, review, decide, deliver."""

from __future__ import annotations

import pytest

from yiwang.accounts.permissions import Role, grant_role
from yiwang.cases import notices, selectors, services, workflow
from yiwang.cases.constants import Action, CaseStatus, DeliveryMethod, MaterialState
from yiwang.cases.models import CaseEvent
from yiwang.cases.numbers import validate_number
from yiwang.cases.tests.helpers import pdf_bytes
from yiwang.core import audit
from yiwang.core.errors import Conflict, DomainError, FieldErrors, NotFound
from yiwang.notifications.models import Message

pytestmark = pytest.mark.django_db


def _filled(world, item, **draft):
    case = services.start_application(world.citizen, item)
    services.save_draft(
        case.pk,
        world.citizen,
        form={**case.form, "reason": "开办餐饮店"},
        handling_item_id=case.version.handling_items.get().pk,
        **draft,
    )
    for material in case.version.materials.all():
        services.attach_material(
            case.pk, world.citizen, material_id=material.pk, upload=pdf_bytes(), file_name="a.pdf"
        )
    return case


def test_fully_online_case_goes_round_the_loop(world):
    item = world.online_item
    case = _filled(
        world,
        item,
        delivery_method=DeliveryMethod.EXPRESS,
        delivery_address="宁波市海曙区测试路8号",
    )
    case = services.submit(case.pk, world.citizen)
    assert validate_number(case.number) == case.number
    assert case.number.startswith(world.hall.region_id)
    assert case.status == CaseStatus.PENDING_ACCEPTANCE
    assert case.accepting_org == world.hall.organization
    assert case.competent_org == world.market
    assert case.max_visits == 0
    assert workflow.ready_step(case).name == "受理"

    material = case.version.materials.order_by("order", "id").first()
    services.request_supplement(
        case.pk, world.clerk, items=[{"material_id": material.pk, "problem": "未签名"}]
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPLEMENT
    assert case.is_paused
    assert case.materials.get(material=material).state == MaterialState.TO_SUPPLEMENT
    with pytest.raises(FieldErrors) as missing:
        services.supplement(case.pk, world.citizen)
    assert missing.value.errors == {f"material.{material.pk}": f"请重新上传“{material.name}”"}
    services.attach_material(
        case.pk,
        world.citizen,
        material_id=material.pk,
        upload=pdf_bytes("signed"),
        file_name="b.pdf",
    )
    case = services.supplement(case.pk, world.citizen)
    assert case.status == CaseStatus.PENDING_ACCEPTANCE
    assert not case.is_paused

    with pytest.raises(Conflict) as early:
        services.decide(case.pk, world.decider, decision="approved", opinion="同意")
    assert early.value.extra["allowed_actions"] == sorted(
        [
            Action.ACCEPT,
            Action.REQUEST_SUPPLEMENT,
            Action.NOT_ACCEPT,
            Action.RECORD_VISIT,
            Action.WITHDRAW,
        ]
    )
    case = services.accept(case.pk, world.clerk, window=world.window)
    assert case.status == CaseStatus.REVIEWING
    assert case.due_on is not None
    case = services.review(case.pk, world.reviewer, opinion="材料齐全，符合条件")
    assert case.status == CaseStatus.DECIDING
    case = services.decide(case.pk, world.decider, decision="approved", opinion="准予许可")
    assert case.status == CaseStatus.DELIVERING
    case = services.ship(case.pk, world.clerk)
    assert case.status == CaseStatus.IN_TRANSIT
    assert case.tracking_number
    case = services.confirm_receipt(case.pk, world.citizen)
    assert case.status == CaseStatus.COMPLETED
    assert case.visits == 0 and not case.over_visits
    assert [e.action for e in selectors.timeline(case)] == [
        Action.SUBMIT,
        Action.REQUEST_SUPPLEMENT,
        Action.SUPPLEMENT,
        Action.ACCEPT,
        Action.REVIEW,
        Action.DECIDE,
        Action.CONCLUDE,
        Action.SHIP,
        Action.CONFIRM_RECEIPT,
    ]
    templates = set(
        Message.objects.filter(recipient=world.citizen).values_list("template", flat=True)
    )
    assert templates == {
        "site/case_supplement",
        "site/case_accepted",
        "site/case_completed",
        "site/case_delivered",
    }
    assert audit.verify().ok


def test_pre_review_case_counts_two_visits(world):
    case = _filled(world, world.prereview_item)
    case = services.submit(case.pk, world.citizen)
    assert case.status == CaseStatus.PRE_REVIEW
    case = services.pre_review_pass(case.pk, world.clerk)
    assert case.status == CaseStatus.PENDING_ACCEPTANCE
    case = services.accept(case.pk, world.clerk, window=world.window)
    assert case.visits == 1
    case = services.decide(case.pk, world.decider, decision="approved", opinion="准予")
    case = services.hand_over(case.pk, world.clerk, signed_by="王晓明", window=world.window)
    assert case.status == CaseStatus.COMPLETED
    assert case.visits == 2 and not case.over_visits
    services_visit = CaseEvent.objects.filter(case=case, action=Action.HAND_OVER).get()
    assert services_visit.window == world.window


def test_second_clerk_is_told_who_accepted(world):
    other = world.clerk.__class__.objects.create_user("clerk2", "x", kind="staff", name="周明")
    grant_role(other, Role.WINDOW_CLERK, organization=world.hall.organization)
    case = services.submit(_filled(world, world.check_item).pk, world.citizen)
    services.accept(case.pk, world.clerk)
    with pytest.raises(Conflict) as told:
        services.accept(case.pk, other)
    assert told.value.message.startswith("该办件已由孙丽华于")
    assert "受理" in told.value.message


def test_notices_follow_the_history(world):
    case = services.submit(_filled(world, world.check_item).pk, world.citizen)
    assert notices.available(case) == []
    material = case.version.materials.order_by("order", "id").first()
    services.request_supplement(
        case.pk, world.clerk, items=[{"material_id": material.pk, "problem": "照片模糊"}]
    )
    case.refresh_from_db()
    assert [k for k, _ in notices.available(case)] == ["supplement"]
    pdf = notices.notice_for(case, "supplement")
    assert pdf.startswith(b"%PDF")
    with pytest.raises(NotFound):
        notices.notice_for(case, "accepted")


def test_a_material_outside_the_guide_must_come_with_the_supplement(world):
    case = services.submit(_filled(world, world.check_item).pk, world.citizen)
    services.request_supplement(
        case.pk,
        world.clerk,
        items=[{"material_id": None, "name": "经营场所租赁合同", "problem": "请补交租赁合同"}],
    )
    with pytest.raises(FieldErrors) as missing:
        services.supplement(case.pk, world.citizen)
    assert missing.value.errors == {"extra.0": "请上传“经营场所租赁合同”"}
    with pytest.raises(DomainError, match="只能提交补正告知书中列出的材料"):
        services.attach_material(
            case.pk, world.citizen, material_id=None, upload=pdf_bytes(), extra_name="别的材料"
        )
    given = services.attach_material(
        case.pk,
        world.citizen,
        material_id=None,
        upload=pdf_bytes("lease"),
        file_name="lease.pdf",
        extra_name="经营场所租赁合同",
    )
    assert (given.name, given.material_id) == ("经营场所租赁合同", None)
    case = services.supplement(case.pk, world.citizen)
    assert case.status == CaseStatus.PENDING_ACCEPTANCE
    with pytest.raises(Conflict):
        services.submit(case.pk, world.citizen)  # submitted already: 409, not a silent success
