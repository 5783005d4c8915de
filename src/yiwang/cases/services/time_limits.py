"""Pausing the clock and extending the limit (行政许可法 第四十二条, 第四十五条)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.constants import Role
from yiwang.cases.constants import Action
from yiwang.cases.models import Case, CasePause, Extension
from yiwang.cases.services._common import (
    allowed_actions,
    end_open_pause,
    lock,
    record_event,
    require,
    save,
)
from yiwang.core.errors import Conflict, DomainError, NotFound

__all__ = ["decide_extension", "pause", "request_extension", "resume"]

# 行政许可法 第四十二条: "经本行政机关负责人批准，可以延长十日"; a promised limit is shorter, so one
# extension may not exceed the statutory ten days.
MAX_EXTENSION_DAYS = 10


def _role(case: Case, action: str) -> str:
    return allowed_actions(case)[action]


@transaction.atomic
def pause(case_id: int, user, *, reason: str, ip: str | None = None) -> Case:
    """暂停计时 with a reason (听证, 检验检测, 专家评审… — 行政许可法 第四十五条: such time is not
    counted in the limit)."""
    case = lock(case_id)
    require(case, Action.PAUSE, user)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写暂停计时的原因", field="reason")
    if case.is_paused:
        raise Conflict("办件已在暂停计时", field="action")
    now = timezone.now()
    CasePause.objects.create(case=case, reason=reason[:300], started_at=now, started_by=user)
    case.paused_since = now
    save(case, "paused_since")
    record_event(
        case,
        Action.PAUSE,
        from_status=case.status,
        actor=user,
        role=_role(case, Action.PAUSE),
        step="暂停计时",
        opinion=reason[:300],
        organization=case.competent_org,
        ip=ip,
    )
    return case


@transaction.atomic
def resume(case_id: int, user, *, ip: str | None = None) -> Case:
    """恢复计时: the paused working days are added to the limits."""
    case = lock(case_id)
    require(case, Action.RESUME, user)
    if not case.is_paused:
        raise Conflict("办件没有暂停计时", field="action")
    end_open_pause(case, timezone.now())
    save(case, "paused_since", "paused_days")
    record_event(
        case,
        Action.RESUME,
        from_status=case.status,
        actor=user,
        role=_role(case, Action.RESUME),
        step="恢复计时",
        organization=case.competent_org,
        ip=ip,
    )
    return case


@transaction.atomic
def request_extension(
    case_id: int, user, *, days: int, reason: str, ip: str | None = None
) -> Extension:
    """申请延期: the reviewer asks, with a reason, for up to ten more working days."""
    case = lock(case_id)
    require(case, Action.REQUEST_EXTENSION, user)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写延期理由", field="reason")
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise DomainError(f"延长天数应为 1 到 {MAX_EXTENSION_DAYS} 个工作日", field="days")
    if case.extensions.filter(status=Extension.Status.REQUESTED).exists():
        raise Conflict("已有一项延期申请等待批准", field="action")
    extension = Extension.objects.create(
        case=case, days=days, reason=reason[:1000], requested_by=user
    )
    record_event(
        case,
        Action.REQUEST_EXTENSION,
        from_status=case.status,
        actor=user,
        role=Role.REVIEWER,
        step="申请延期",
        opinion=reason[:1000],
        organization=case.competent_org,
        data={"extension_id": extension.pk, "days": days},
        ip=ip,
    )
    return extension


@transaction.atomic
def decide_extension(
    case_id: int, user, *, approve: bool, note: str = "", ip: str | None = None
) -> Extension:
    """批准 (or not) the pending extension: only a decider of the competent department
    (本行政机关负责人); an approved extension lengthens both limits."""
    case = lock(case_id)
    action = Action.APPROVE_EXTENSION if approve else Action.REJECT_EXTENSION
    require(case, action, user)
    extension = case.extensions.filter(status=Extension.Status.REQUESTED).order_by("-id").first()
    if extension is None:
        raise NotFound("没有等待批准的延期申请")
    if not approve and not (note or "").strip():
        raise DomainError("不批准延期请写明理由", field="note")
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REJECTED
    extension.decided_by = user
    extension.decided_at = timezone.now()
    extension.decision_note = (note or "").strip()[:1000]
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        case.extension_days += extension.days
        save(case, "extension_days")
    record_event(
        case,
        action,
        from_status=case.status,
        actor=user,
        role=Role.DECIDER,
        step="延期审批",
        opinion=extension.decision_note,
        organization=case.competent_org,
        data={"extension_id": extension.pk, "days": extension.days},
        ip=ip,
    )
    return extension
