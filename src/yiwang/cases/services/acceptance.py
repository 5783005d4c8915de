"""The window's side: pre-review, 一次性告知 补正, 不予受理, 受理, visits (REQUIREMENTS §3
"Unified acceptance"; 行政许可法 第三十二条)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.constants import Role
from yiwang.cases import clock, workflow
from yiwang.cases.constants import (
    SUPPLEMENT_DAYS,
    Action,
    CaseStatus,
    Decision,
    MaterialState,
    OnlineMode,
)
from yiwang.cases.models import Case, CasePause, SupplementRequest, Visit
from yiwang.cases.services._common import (
    add_visit,
    end_open_pause,
    lock,
    notify,
    record_event,
    require,
    save,
    status_for_step,
    window_of,
)
from yiwang.cases.services.handling import decide_on_the_spot
from yiwang.catalog.constants import StepRole
from yiwang.core import workdays
from yiwang.core.errors import DomainError, FieldErrors

__all__ = ["accept", "not_accept", "pre_review_pass", "record_visit", "request_supplement"]


@transaction.atomic
def pre_review_pass(
    case_id: int, clerk, *, opinion: str = "", window=None, ip: str | None = None
) -> Case:
    """原件预审 passed: the materials are complete online; the applicant brings the originals to
    the window, where the case is accepted (the first of at most two visits)."""
    case = lock(case_id)
    require(case, Action.PRE_REVIEW_PASS, clerk)
    before = case.status
    step = workflow.complete(case, StepRole.RECEIVE, {"clerk": clerk.pk})
    case.status = status_for_step(step, case.mode)
    save(case, "status")
    record_event(
        case,
        Action.PRE_REVIEW_PASS,
        from_status=before,
        actor=clerk,
        role=Role.WINDOW_CLERK,
        step="预审",
        opinion=opinion.strip()[:500] or "预审通过，请携带申请材料原件到窗口办理",
        organization=case.accepting_org,
        window=window_of(case, window),
        ip=ip,
    )
    return case


@transaction.atomic
def request_supplement(
    case_id: int,
    clerk,
    *,
    items: list[dict],
    note: str = "",
    window=None,
    ip: str | None = None,
) -> SupplementRequest:
    """一次性告知: tell the applicant, once, every material to add or correct.

    ``items`` is ``[{"material_id": id or None, "name": str (for a material outside the guide),
    "problem": str}]``; each needs its problem. Legal basis: 行政许可法 第三十二条第一款第（四）项
    (申请材料不齐全或者不符合法定形式的，应当当场或者在五日内一次告知申请人需要补正的全部内容).
    The acceptance clock is suspended until the applicant hands in the supplement.
    """
    case = lock(case_id)
    require(case, Action.REQUEST_SUPPLEMENT, clerk)
    entries, errors = [], {}
    materials = {m.pk: m for m in case.version.materials.all()}
    for i, raw in enumerate(items or []):
        problem = str(raw.get("problem") or "").strip()
        material_id = raw.get("material_id")
        if material_id not in (None, ""):
            material = materials.get(int(material_id))
            if material is None:
                errors[f"items.{i}"] = "该材料不属于此事项"
                continue
            name = material.name
            material_id = material.pk
        else:
            material_id = None
            name = str(raw.get("name") or "").strip()
            if not name:
                errors[f"items.{i}"] = "请填写需补正的材料名称"
                continue
        if not problem:
            errors[f"items.{i}"] = f"请写明“{name}”存在的问题"
            continue
        entries.append({"material_id": material_id, "name": name[:200], "problem": problem[:300]})
    if not entries and not errors:
        errors["items"] = "请至少列出一项需要补正的材料"
    if errors:
        raise FieldErrors(errors)
    now = timezone.now()
    today = clock.local_date(now)
    sequence = case.supplements.count() + 1
    request = SupplementRequest.objects.create(
        case=case,
        document_number=f"{case.number}-BZ{sequence:02d}",
        items=entries,
        note=note.strip()[:1000],
        requested_by=clerk,
        requested_at=now,
        due_on=workdays.add_working_days(today, SUPPLEMENT_DAYS),
        return_status=case.status,
    )
    for entry in entries:
        if entry["material_id"] is not None:
            case.materials.filter(material_id=entry["material_id"]).update(
                state=MaterialState.TO_SUPPLEMENT, problem=entry["problem"]
            )
    CasePause.objects.create(case=case, reason="补正材料", started_at=now, started_by=clerk)
    before = case.status
    case.status = CaseStatus.SUPPLEMENT
    case.paused_since = now
    save(case, "status", "paused_since")
    record_event(
        case,
        Action.REQUEST_SUPPLEMENT,
        from_status=before,
        actor=clerk,
        role=Role.WINDOW_CLERK,
        step="补正告知",
        opinion=note.strip()[:1000],
        organization=case.accepting_org,
        window=window_of(case, window),
        data={"supplement_id": request.pk, "items": entries},
        ip=ip,
    )
    notify(
        case,
        "case_supplement",
        deadline=request.due_on.strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月"),
        materials="；".join(f"{e['name']}（{e['problem']}）" for e in entries),
    )
    return request


@transaction.atomic
def not_accept(
    case_id: int,
    clerk,
    *,
    reason: str,
    legal_basis: str,
    window=None,
    ip: str | None = None,
) -> Case:
    """不予受理, with the reason and its legal basis written on the 不予受理决定书
    (行政许可法 第三十二条第一款第（二）（三）项 and 第二款: a written decision stating the
    reasons)."""
    case = lock(case_id)
    require(case, Action.NOT_ACCEPT, clerk)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "请填写不予受理的理由"
    if not (legal_basis or "").strip():
        errors["legal_basis"] = "请填写不予受理的法律依据"
    if errors:
        raise FieldErrors(errors)
    before = case.status
    now = timezone.now()
    end_open_pause(case, now)
    case.status = CaseStatus.NOT_ACCEPTED
    case.closed_at = now
    workflow.cancel(case)
    save(case, "status", "closed_at", "paused_since", "paused_days")
    record_event(
        case,
        Action.NOT_ACCEPT,
        from_status=before,
        actor=clerk,
        role=Role.WINDOW_CLERK,
        step="不予受理",
        opinion=reason.strip()[:1000],
        organization=case.accepting_org,
        window=window_of(case, window),
        data={"legal_basis": legal_basis.strip()[:1000]},
        ip=ip,
    )
    notify(case, "case_not_accepted", reason=reason.strip()[:60])
    return case


@transaction.atomic
def accept(
    case_id: int,
    clerk,
    *,
    opinion: str = "",
    window=None,
    decide_now: str | None = None,
    decision_opinion: str = "",
    ip: str | None = None,
) -> Case:
    """受理: the materials are complete and in legal form (行政许可法 第三十二条第一款第（五）项).

    The promised and statutory limits start the day after (``core.workdays``). A 原件预审
    applicant is at the window with the originals: that visit is recorded here. Where the
    guide's steps allow an on-the-spot decision (审查工作细则 "可当场决定"), ``decide_now``
    (``approved``/``denied``) decides and concludes the case at once (即办).
    """
    case = lock(case_id)
    require(case, Action.ACCEPT, clerk)
    window = window_of(case, window)
    before = case.status
    now = timezone.now()
    steps = workflow.steps_of(case.version)
    if decide_now is not None:
        if decide_now not in Decision.values:
            raise DomainError("请选择准予或不予许可", field="decide_now")
        if not any(s.on_the_spot for s in steps):
            raise DomainError("该事项的办理流程不允许当场决定", field="decide_now")
        if not decision_opinion.strip():
            raise DomainError("当场决定请填写决定意见", field="decision_opinion")
    if case.mode == OnlineMode.PRE_REVIEW:
        add_visit(case, clerk, "携带原件到窗口核验并受理", window)
    step = workflow.complete(case, StepRole.ACCEPT, {"clerk": clerk.pk})
    case.status = status_for_step(step, case.mode)
    case.accepted_at = now
    case.window = window
    # the acceptance clock (and its pauses) ends; the handling clock starts
    case.clock_started_on = clock.local_date(now)
    case.paused_days = 0
    save(
        case,
        "status",
        "accepted_at",
        "window",
        "clock_started_on",
        "paused_days",
        "visits",
        "over_visits",
    )
    record_event(
        case,
        Action.ACCEPT,
        from_status=before,
        actor=clerk,
        role=Role.WINDOW_CLERK,
        step="受理",
        opinion=opinion.strip()[:1000],
        organization=case.accepting_org,
        window=window,
        ip=ip,
    )
    notify(case, "case_accepted")
    if decide_now is not None:
        decide_on_the_spot(case, clerk, decision=decide_now, opinion=decision_opinion, ip=ip)
    return case


@transaction.atomic
def record_visit(case_id: int, clerk, *, purpose: str, window=None, ip: str | None = None) -> Visit:
    """登记到现场: every time the applicant has to come, the window records it; more visits than
    the mode allows flag the case (最多跑一次, REQUIREMENTS §2)."""
    case = lock(case_id)
    require(case, Action.RECORD_VISIT, clerk)
    purpose = (purpose or "").strip()
    if not purpose:
        raise DomainError("请填写到现场的事由", field="purpose")
    window = window_of(case, window)
    visit = add_visit(case, clerk, purpose[:100], window)
    case.save(update_fields=["visits", "over_visits", "updated_at"])
    record_event(
        case,
        Action.RECORD_VISIT,
        from_status=case.status,
        actor=clerk,
        role=Role.WINDOW_CLERK,
        step="到现场",
        opinion=purpose[:100],
        organization=case.accepting_org,
        window=window,
        data={"visits": case.visits, "max_visits": case.max_visits, "over": case.over_visits},
        ip=ip,
    )
    return visit
