"""What every case service shares: the row lock, the allowed-action check, the event row, the
audit record, the notices to the applicant."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from yiwang.accounts.constants import Role
from yiwang.accounts.permissions import has_role
from yiwang.accounts.services.acting import can_act_for
from yiwang.cases import clock
from yiwang.cases.constants import ACTION_LABELS, Action, CaseStatus
from yiwang.cases.models import Case, CaseEvent, Visit
from yiwang.catalog.constants import StepRole
from yiwang.core import audit, workdays
from yiwang.core.errors import Conflict, DomainError, Forbidden, NotFound
from yiwang.core.masking import mask_name
from yiwang.notifications import services as notifications

# Who may do what, in which state (the one table the 409 answers and the pages' buttons read).
# Applicant actions are checked against the applicant, staff actions against the role named.
APPLICANT = "applicant"
ALLOWED: dict[str, dict[str, str]] = {
    CaseStatus.DRAFT: {Action.SUBMIT: APPLICANT},
    CaseStatus.PRE_REVIEW: {
        Action.PRE_REVIEW_PASS: Role.WINDOW_CLERK,
        Action.REQUEST_SUPPLEMENT: Role.WINDOW_CLERK,
        Action.NOT_ACCEPT: Role.WINDOW_CLERK,
        Action.WITHDRAW: APPLICANT,
    },
    CaseStatus.PENDING_ACCEPTANCE: {
        Action.ACCEPT: Role.WINDOW_CLERK,
        Action.REQUEST_SUPPLEMENT: Role.WINDOW_CLERK,
        Action.NOT_ACCEPT: Role.WINDOW_CLERK,
        Action.RECORD_VISIT: Role.WINDOW_CLERK,
        Action.WITHDRAW: APPLICANT,
    },
    CaseStatus.SUPPLEMENT: {
        Action.SUPPLEMENT: APPLICANT,
        Action.NOT_ACCEPT: Role.WINDOW_CLERK,
        Action.RECORD_VISIT: Role.WINDOW_CLERK,
        Action.WITHDRAW: APPLICANT,
    },
    CaseStatus.REVIEWING: {
        Action.REVIEW: Role.REVIEWER,
        Action.PAUSE: Role.REVIEWER,
        Action.RESUME: Role.REVIEWER,
        Action.REQUEST_EXTENSION: Role.REVIEWER,
        Action.APPROVE_EXTENSION: Role.DECIDER,
        Action.REJECT_EXTENSION: Role.DECIDER,
        Action.RECORD_VISIT: Role.WINDOW_CLERK,
    },
    CaseStatus.DECIDING: {
        Action.DECIDE: Role.DECIDER,
        Action.PAUSE: Role.DECIDER,
        Action.RESUME: Role.DECIDER,
        Action.REQUEST_EXTENSION: Role.REVIEWER,
        Action.APPROVE_EXTENSION: Role.DECIDER,
        Action.REJECT_EXTENSION: Role.DECIDER,
        Action.RECORD_VISIT: Role.WINDOW_CLERK,
    },
    CaseStatus.DELIVERING: {
        Action.SHIP: Role.WINDOW_CLERK,
        Action.HAND_OVER: Role.WINDOW_CLERK,
        Action.DELIVER_ELECTRONICALLY: Role.WINDOW_CLERK,
        Action.RECORD_VISIT: Role.WINDOW_CLERK,
    },
    CaseStatus.IN_TRANSIT: {
        Action.CONFIRM_RECEIPT: APPLICANT,
    },
}

# Staff roles act for one side of 受办分离: the window for the accepting organisation, the
# department for the competent one.
_ORG_OF_ROLE = {
    Role.WINDOW_CLERK: "accepting_org",
    Role.REVIEWER: "competent_org",
    Role.DECIDER: "competent_org",
}


_STATUS_OF_ROLE = {
    StepRole.ACCEPT: CaseStatus.PENDING_ACCEPTANCE,
    StepRole.REVIEW: CaseStatus.REVIEWING,
    StepRole.DECIDE: CaseStatus.DECIDING,
    StepRole.DELIVER: CaseStatus.DELIVERING,
}


def status_for_step(step, mode: str) -> str:
    """The case state while its process waits for ``step`` (None: the process has ended)."""
    if step is None:
        return CaseStatus.COMPLETED
    if step.role == StepRole.RECEIVE:
        return CaseStatus.PRE_REVIEW
    return _STATUS_OF_ROLE[step.role]


def lock(case_id: int) -> Case:
    """The case row, locked until the caller's transaction ends (two clerks cannot both act).

    Only the row: its relations load when a service reads them (building a six-way join cost
    more than the few primary-key reads a service makes, in a profile of the submission)."""
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound("办件不存在")
    return case


def allowed_actions(case: Case) -> dict[str, str]:
    """The actions allowed in ``case``'s state, with who may take each."""
    return dict(ALLOWED.get(case.status, {}))


def staff_actions(user, case: Case) -> set[str]:
    """The staff actions allowed in ``case``'s state that ``user``'s roles let them take (for
    pages and department systems: the same check :func:`require` makes)."""
    mine, holds = set(), {}
    for action, role in allowed_actions(case).items():
        if role == APPLICANT:
            continue
        if role not in holds:
            holds[role] = has_role(user, role, getattr(case, _ORG_OF_ROLE[role]))
        if holds[role]:
            mine.add(action)
    return mine


def _labels(actions: Iterable[str]) -> str:
    return "、".join(ACTION_LABELS[a] for a in actions) or "无（办件已结束）"


def last_event(case: Case) -> CaseEvent | None:
    return case.events.order_by("-id").first()


def require(case: Case, action: str, user, *, as_applicant: bool = False) -> None:
    """Refuse ``action`` unless it is allowed in ``case``'s state and ``user`` may take it.

    Out of order → :class:`Conflict` (409) naming the allowed actions and, when another person
    has just moved the case on, who did it and when (two clerks accepting at once: the second is
    told who did).
    """
    allowed = allowed_actions(case)
    if action not in allowed:
        latest = last_event(case)
        by = ""
        if latest is not None and latest.actor_id is not None and latest.actor_id != user.pk:
            when = timezone.localtime(latest.ended_at).strftime("%Y-%m-%d %H:%M")
            by = f"该办件已由{latest.actor_name}于{when}{ACTION_LABELS[latest.action]}。"
        raise Conflict(
            f"{by}办件当前状态为“{case.get_status_display()}”，不能{ACTION_LABELS[action]}；"
            f"现在可以进行的操作：{_labels(allowed)}",
            field="action",
            extra={"case_status": case.status, "allowed_actions": sorted(allowed)},
        )
    who = allowed[action]
    if who == APPLICANT:
        if not may_act_as_applicant(case, user):
            raise Forbidden("只有申请人本人（或申请单位的授权经办人）可以办理此操作")
        return
    organization = getattr(case, _ORG_OF_ROLE[who])
    if not has_role(user, who, organization):
        raise Forbidden(f"您没有{Role(who).label}权限（{organization.name}）")


def may_act_as_applicant(case: Case, user) -> bool:
    """The person who applied; for an enterprise's case also whoever may act for the enterprise
    on this item now (a colleague takes over a case when the first handler leaves)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if case.applicant_id == user.pk:
        return True
    return case.enterprise_id is not None and can_act_for(
        user, case.enterprise, item_code=case.item.code
    )


def actor_name(user) -> str:
    """How the event names its actor: staff by name (shown masked to applicants), persons masked."""
    if user is None:
        return "系统"
    if user.is_person:
        return mask_name(user.name) if user.name else "申请人"
    return user.name or user.username


def record_event(
    case: Case,
    action: str,
    *,
    from_status: str,
    actor=None,
    role: str = "",
    step: str = "",
    opinion: str = "",
    organization=None,
    window=None,
    data: dict | None = None,
    ip: str | None = None,
) -> CaseEvent:
    """Write the event of ``action`` (and its audit record); ``started_at`` is when the previous
    event ended — the moment this step became the case's to do."""
    now = timezone.now()
    previous = last_event(case)
    started = previous.ended_at if previous is not None else case.created_at
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        step=step,
        from_status=from_status,
        to_status=case.status,
        actor=actor,
        actor_name=actor_name(actor),
        actor_role=role,
        organization=organization,
        window=window,
        started_at=started,
        ended_at=now,
        duration_seconds=max(0, int((now - started).total_seconds())),
        opinion=opinion,
        data=data or {},
    )
    audit.record(
        f"cases.case.{action}",
        actor=f"user:{actor.pk}" if actor is not None else "system",
        actor_label=actor_name(actor),
        acting_for=f"enterprise:{case.enterprise.uscc}" if case.enterprise_id else "",
        object_type="cases.case",
        object_id=case.pk,
        before={"status": from_status},
        after={"status": case.status, "number": case.number or ""},
        ip=ip,
    )
    return event


def save(case: Case, *fields: str) -> None:
    clock.recompute(case)
    case.save(update_fields=[*fields, "due_on", "statutory_due_on", "updated_at"])


def notify(case: Case, template: str, **context: str) -> None:
    """The applicant's SMS and site message for ``template`` (``case_accepted`` …), written to the
    outbox in this transaction and delivered by the worker after commit."""
    values = {"item": case.version.name, "case_number": case.number, **context}
    notifications.notify_user(case.applicant, f"site/{template}", values)
    if case.applicant.phone:
        sms_values = {k: v for k, v in values.items() if k != "materials"}
        notifications.send_sms(case.applicant.phone, f"sms/{template}", sms_values, purpose="case")


def window_of(case: Case, window):
    """A window given by the clerk must belong to a hall of the accepting organisation."""
    if window is None:
        return None
    if window.hall.organization_id != case.accepting_org_id:
        raise DomainError("所选窗口不属于受理机构的大厅", field="window")
    return window


def end_open_pause(case: Case, now) -> None:
    """End the case's open pause (补正 or another), adding its working days to the limits."""
    pause = case.pauses.filter(ended_at__isnull=True).first()
    if pause is None:
        return
    days = max(
        0,
        workdays.working_days_between(clock.local_date(pause.started_at), clock.local_date(now)),
    )
    pause.ended_at = now
    pause.working_days = days
    pause.save(update_fields=["ended_at", "working_days"])
    case.paused_days += days
    case.paused_since = None


def add_visit(case: Case, clerk, purpose: str, window) -> Visit:
    visit = Visit.objects.create(case=case, purpose=purpose, window=window, recorded_by=clerk)
    case.visits += 1
    # 最多跑一次: a visit beyond the mode's maximum is flagged and counted (supervision reads it)
    case.over_visits = case.visits > case.max_visits
    return visit
