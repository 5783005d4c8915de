"""The department's side and the result: 审查 → 决定 → 办结 → 送达 → 签收 (REQUIREMENTS §3;
seed 001 ch. 5 §(一)2(6))."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.constants import Role
from yiwang.cases import workflow
from yiwang.cases.constants import Action, CaseStatus, Decision, DeliveryMethod
from yiwang.cases.models import Case
from yiwang.cases.services._common import (
    add_visit,
    lock,
    notify,
    record_event,
    require,
    save,
    status_for_step,
    window_of,
)
from yiwang.catalog.constants import StepRole
from yiwang.core.errors import DomainError
from yiwang.integrations import logistics

__all__ = [
    "confirm_receipt",
    "decide",
    "decide_on_the_spot",
    "deliver_electronically",
    "hand_over",
    "review",
    "ship",
]


@transaction.atomic
def review(case_id: int, reviewer, *, opinion: str, ip: str | None = None) -> Case:
    """审查: the reviewer of the competent department gives the review opinion."""
    case = lock(case_id)
    require(case, Action.REVIEW, reviewer)
    opinion = (opinion or "").strip()
    if not opinion:
        raise DomainError("请填写审查意见", field="opinion")
    if case.is_paused:
        raise DomainError("办件正在暂停计时，请先恢复计时再审查", field="action")
    before = case.status
    step = workflow.complete(case, StepRole.REVIEW, {"reviewer": reviewer.pk})
    case.status = status_for_step(step, case.mode)
    save(case, "status")
    record_event(
        case,
        Action.REVIEW,
        from_status=before,
        actor=reviewer,
        role=Role.REVIEWER,
        step="审查",
        opinion=opinion[:2000],
        organization=case.competent_org,
        ip=ip,
    )
    return case


def _conclude(case: Case, actor, role: str, decision: str, opinion: str, ip) -> None:
    before = case.status
    now = timezone.now()
    step = workflow.complete(case, StepRole.DECIDE, {"decision": decision})
    case.decision = decision
    case.decision_opinion = opinion[:2000]
    case.decided_at = now
    case.concluded_at = now
    case.status = status_for_step(step, case.mode)
    save(case, "status", "decision", "decision_opinion", "decided_at", "concluded_at")
    record_event(
        case,
        Action.DECIDE,
        from_status=before,
        actor=actor,
        role=role,
        step="决定",
        opinion=case.decision_opinion,
        organization=case.competent_org,
        data={"decision": decision},
        ip=ip,
    )
    record_event(
        case,
        Action.CONCLUDE,
        from_status=case.status,
        actor=actor,
        role=role,
        step="办结",
        organization=case.competent_org,
        data={"decision": decision},
        ip=ip,
    )
    result = Decision(decision).label
    if decision == Decision.APPROVED and case.version.result_name:
        result = f"{result}，结果为“{case.version.result_name}”"
    notify(case, "case_completed", result=result)


def _check_decision(decision: str, opinion: str) -> str:
    if decision not in Decision.values:
        raise DomainError("请选择准予许可或不予许可", field="decision")
    opinion = (opinion or "").strip()
    if not opinion:
        raise DomainError("请填写决定意见", field="opinion")
    if decision == Decision.DENIED and len(opinion) < 4:
        # 行政许可法 第三十八条第二款: a refusal states its reasons
        raise DomainError("不予许可须写明理由", field="opinion")
    return opinion


@transaction.atomic
def decide(case_id: int, decider, *, decision: str, opinion: str, ip: str | None = None) -> Case:
    """决定 and 办结: the decider approves or denies with an opinion (行政许可法 第三十八条: a
    denial gives reasons and the right to 行政复议/行政诉讼); the case is concluded and its result
    waits for delivery."""
    case = lock(case_id)
    require(case, Action.DECIDE, decider)
    opinion = _check_decision(decision, opinion)
    if case.is_paused:
        raise DomainError("办件正在暂停计时，请先恢复计时再决定", field="action")
    _conclude(case, decider, Role.DECIDER, decision, opinion, ip)
    return case


def decide_on_the_spot(case: Case, clerk, *, decision: str, opinion: str, ip=None) -> None:
    """当场决定 right after acceptance (called by ``accept`` under the same lock)."""
    opinion = _check_decision(decision, opinion)
    if case.status == CaseStatus.REVIEWING:
        before = case.status
        step = workflow.complete(case, StepRole.REVIEW, {"on_the_spot": True})
        case.status = status_for_step(step, case.mode)
        save(case, "status")
        record_event(
            case,
            Action.REVIEW,
            from_status=before,
            actor=clerk,
            role=Role.WINDOW_CLERK,
            step="审查（当场）",
            opinion=opinion,
            organization=case.accepting_org,
            ip=ip,
        )
    _conclude(case, clerk, Role.WINDOW_CLERK, decision, opinion, ip)


def _delivered(
    case: Case, action: str, actor, role: str, *, text: str, window=None, data=None, ip=None
):
    before = case.status
    now = timezone.now()
    step = workflow.complete(case, StepRole.DELIVER, {"delivery": action})
    case.status = status_for_step(step, case.mode)
    case.closed_at = now if case.status == CaseStatus.COMPLETED else None
    save(case, "status", "closed_at", "delivery_method", "visits", "over_visits")
    record_event(
        case,
        action,
        from_status=before,
        actor=actor,
        role=role,
        step="送达",
        opinion=text,
        organization=case.accepting_org,
        window=window,
        data=data or {},
        ip=ip,
    )


@transaction.atomic
def ship(case_id: int, clerk, *, ip: str | None = None) -> Case:
    """邮寄送达: hand the result to the logistics service and record its tracking number; the
    case is 送达中 until the applicant (or the courier's report) confirms receipt."""
    case = lock(case_id)
    require(case, Action.SHIP, clerk)
    address = (case.delivery_address or "").strip()
    if not address:
        raise DomainError(
            "申请人没有填写邮寄地址，请改为窗口领取或电子送达", field="delivery_method"
        )
    # sent from the hall of the accepting organisation (where the result is issued)
    hall = case.accepting_org.managed_halls.filter(is_active=True).order_by("pk").first()
    sender = logistics.Address(
        name=hall.name if hall else case.accepting_org.name,
        phone=(hall.phone if hall else "") or case.accepting_org.phone or "",
        region_code=(hall.region_id if hall else case.accepting_org.region_id) or "",
        detail=(hall.address if hall else "") or case.accepting_org.name,
    )
    request = logistics.ShipmentRequest(
        reference=case.number,
        sender=sender,
        recipient=logistics.Address(
            name=case.applicant.name,
            phone=case.applicant.phone or "",
            region_code="",
            detail=address,
        ),
        contents=case.version.result_name or "办理结果",
    )
    try:
        shipment = logistics.get_gateway().create_shipment(request)
    except logistics.LogisticsError as exc:
        raise DomainError(str(exc), field="delivery_method") from exc
    before = case.status
    case.delivery_method = DeliveryMethod.EXPRESS
    case.carrier = shipment.carrier
    case.tracking_number = shipment.tracking_number
    case.status = CaseStatus.IN_TRANSIT
    save(case, "status", "delivery_method", "carrier", "tracking_number")
    text = f"{shipment.carrier}，运单号 {shipment.tracking_number}"
    record_event(
        case,
        Action.SHIP,
        from_status=before,
        actor=clerk,
        role=Role.WINDOW_CLERK,
        step="寄送",
        opinion=text,
        organization=case.accepting_org,
        data={"carrier": shipment.carrier, "tracking_number": shipment.tracking_number},
        ip=ip,
    )
    notify(case, "case_delivered", delivery=f"已邮寄，{text}")
    return case


@transaction.atomic
def hand_over(case_id: int, clerk, *, signed_by: str, window=None, ip: str | None = None) -> Case:
    """窗口领取: the applicant (or an agent) collects the result and signs for it; the visit is
    recorded (for 原件核验 the originals are checked now)."""
    case = lock(case_id)
    require(case, Action.HAND_OVER, clerk)
    signed_by = (signed_by or "").strip()
    if not signed_by:
        raise DomainError("请填写签收人姓名", field="signed_by")
    window = window_of(case, window)
    add_visit(case, clerk, "领取办理结果", window)
    case.delivery_method = DeliveryMethod.PICKUP
    _delivered(
        case,
        Action.HAND_OVER,
        clerk,
        Role.WINDOW_CLERK,
        text=f"窗口领取，签收人：{signed_by[:50]}",
        window=window,
        data={"signed_by": signed_by[:50]},
        ip=ip,
    )
    notify(case, "case_delivered", delivery="已在窗口领取")
    return case


@transaction.atomic
def deliver_electronically(case_id: int, clerk, *, ip: str | None = None) -> Case:
    """电子送达: the result is available in the applicant's space (我的办件)."""
    case = lock(case_id)
    require(case, Action.DELIVER_ELECTRONICALLY, clerk)
    case.delivery_method = DeliveryMethod.ELECTRONIC
    _delivered(
        case, Action.DELIVER_ELECTRONICALLY, clerk, Role.WINDOW_CLERK, text="电子送达", ip=ip
    )
    notify(case, "case_delivered", delivery="已电子送达，可在“我的办件”中查看")
    return case


@transaction.atomic
def confirm_receipt(case_id: int, user, *, ip: str | None = None) -> Case:
    """签收: the applicant confirms the parcel arrived; the case ends."""
    case = lock(case_id)
    require(case, Action.CONFIRM_RECEIPT, user)
    _delivered(case, Action.CONFIRM_RECEIPT, user, "applicant", text="申请人已签收", ip=ip)
    return case
