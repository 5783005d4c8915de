"""Read queries of the cases app: the applicant's cases, the staff queues, the public query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from yiwang.accounts.constants import Role
from yiwang.accounts.permissions import organizations_for
from yiwang.cases import clock
from yiwang.cases.constants import DUE_SOON_WORKING_DAYS, CaseStatus
from yiwang.cases.models import Case, CaseEvent, StoredFile
from yiwang.cases.numbers import validate_number
from yiwang.core import workdays
from yiwang.core.errors import DomainError, NotFound
from yiwang.core.masking import mask_name

__all__ = [
    "QUEUES",
    "PublicCase",
    "case_for_applicant",
    "case_for_staff",
    "cases_of",
    "drive_of",
    "public_query",
    "queue",
    "queue_counts",
    "search_cases",
    "timeline",
]


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    # which side of 受办分离 works it: "accepting" (window) or "competent" (department)
    side: str
    role: str


QUEUES: tuple[Queue, ...] = (
    Queue("pre_review", "待预审", "accepting", Role.WINDOW_CLERK),
    Queue("pending", "待受理", "accepting", Role.WINDOW_CLERK),
    Queue("supplement", "补正中", "accepting", Role.WINDOW_CLERK),
    Queue("reviewing", "待审查", "competent", Role.REVIEWER),
    Queue("deciding", "待决定", "competent", Role.DECIDER),
    Queue("delivering", "待送达", "accepting", Role.WINDOW_CLERK),
    Queue("due_soon", "即将超期", "any", ""),
    Queue("overdue", "已超期", "any", ""),
)
QUEUE_BY_KEY = {q.key: q for q in QUEUES}
_STATUS_OF_QUEUE = {
    "pre_review": CaseStatus.PRE_REVIEW,
    "pending": CaseStatus.PENDING_ACCEPTANCE,
    "supplement": CaseStatus.SUPPLEMENT,
    "reviewing": CaseStatus.REVIEWING,
    "deciding": CaseStatus.DECIDING,
    "delivering": CaseStatus.DELIVERING,
}


_CASE_ROLES = (Role.WINDOW_CLERK, Role.REVIEWER, Role.DECIDER, Role.SUPERVISOR)


def _organizations_by_role(user) -> dict[str, list[int]]:
    return {
        role: list(organizations_for(user, role).values_list("pk", flat=True))
        for role in _CASE_ROLES
    }


def _scope(user, orgs: dict | None = None) -> Q:
    """The cases a staff member may see: its organisations' cases on its side of 受办分离 (a
    clerk sees only its organisation's cases — REQUIREMENTS §3; default deny)."""
    orgs = orgs if orgs is not None else _organizations_by_role(user)
    accepting = orgs[Role.WINDOW_CLERK]
    competent = set(orgs[Role.REVIEWER]) | set(orgs[Role.DECIDER])
    supervising = orgs[Role.SUPERVISOR]
    q = Q(pk__in=[])
    if accepting:
        q |= Q(accepting_org_id__in=accepting)
    if competent:
        q |= Q(competent_org_id__in=sorted(competent))
    if supervising:
        q |= Q(accepting_org_id__in=supervising) | Q(competent_org_id__in=supervising)
    return q


def _staff_cases(user) -> QuerySet[Case]:
    return Case.objects.exclude(status=CaseStatus.DRAFT).filter(_scope(user))


def queue(
    user, key: str, *, today: datetime.date | None = None, _orgs: dict | None = None
) -> QuerySet[Case]:
    """The cases of work queue ``key`` that ``user`` may work, oldest first."""
    spec = QUEUE_BY_KEY.get(key)
    if spec is None:
        raise NotFound("没有这个工作队列")
    today = today or clock.local_date()
    orgs = _orgs if _orgs is not None else _organizations_by_role(user)
    base = Case.objects.select_related("item", "version", "accepting_org", "competent_org")
    if spec.key in _STATUS_OF_QUEUE:
        field = "accepting_org_id__in" if spec.side == "accepting" else "competent_org_id__in"
        return base.filter(**{field: orgs[spec.role]}, status=_STATUS_OF_QUEUE[spec.key]).order_by(
            "submitted_at", "id"
        )
    open_cases = base.filter(_scope(user, orgs), closed_at__isnull=True, concluded_at__isnull=True)
    open_cases = open_cases.filter(paused_since__isnull=True, due_on__isnull=False)
    if spec.key == "overdue":
        return open_cases.filter(due_on__lt=today).order_by("due_on", "id")
    soon = workdays.add_working_days(today, DUE_SOON_WORKING_DAYS)
    return open_cases.filter(due_on__gte=today, due_on__lte=soon).order_by("due_on", "id")


def queue_counts(user) -> dict[str, int]:
    """How many cases wait in each queue (the back office's tabs); the user's organisations are
    looked up once for all of them."""
    orgs = _organizations_by_role(user)
    return {q.key: queue(user, q.key, _orgs=orgs).count() for q in QUEUES}


def case_for_staff(user, case_id: int) -> Case:
    """A case ``user`` may see as staff, or :class:`NotFound` (not "forbidden": a clerk must not
    learn that another organisation's case exists)."""
    case = (
        _staff_cases(user)
        .select_related(
            "item",
            "version",
            "applicant",
            "enterprise",
            "accepting_org",
            "competent_org",
            "handling_item",
            "window",
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("办件不存在")
    return case


def search_cases(
    user,
    *,
    number: str = "",
    applicant: str = "",
    item: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Case]:
    """办件查询 for staff: by number (its start or its end), applicant name, item name or code,
    submission date."""
    cases = _staff_cases(user).select_related("item", "version", "accepting_org", "competent_org")
    if number.strip():
        # the caller reads out the differing tail as often as the region-and-date head
        typed = "".join(number.split())
        cases = cases.filter(Q(number__startswith=typed) | Q(number__endswith=typed))
    if applicant.strip():
        cases = cases.filter(applicant_name__contains=applicant.strip())
    if item.strip():
        text = item.strip()
        cases = cases.filter(Q(item__code=text.upper()) | Q(version__name__contains=text))
    if date_from is not None:
        cases = cases.filter(submitted_at__date__gte=date_from)
    if date_to is not None:
        cases = cases.filter(submitted_at__date__lte=date_to)
    return cases.order_by("-submitted_at", "-id")


def cases_of(user, *, enterprise=None) -> QuerySet[Case]:
    """我的办件: the person's own applications, or the acting enterprise's."""
    cases = Case.objects.select_related("item", "version")
    if enterprise is not None:
        return cases.filter(enterprise=enterprise).order_by("-created_at", "-id")
    return cases.filter(applicant=user, enterprise__isnull=True).order_by("-created_at", "-id")


def case_for_applicant(user, case_id: int, *, enterprise=None) -> Case:
    case = (
        cases_of(user, enterprise=enterprise)
        .select_related("handling_item", "accepting_org", "competent_org", "window")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("办件不存在")
    return case


def drive_of(user) -> QuerySet[StoredFile]:
    """我的材料: ``user``'s files kept in the drive, newest first."""
    return StoredFile.objects.filter(owner=user, in_drive=True).order_by("-created_at", "-id")


def timeline(case: Case) -> list[CaseEvent]:
    return list(
        CaseEvent.objects.filter(case=case).select_related("organization", "window").order_by("id")
    )


@dataclass(frozen=True)
class PublicCase:
    number: str
    item_name: str
    applicant: str
    status: str
    status_label: str
    submitted_at: datetime.datetime | None
    accepting_org: str
    competent_org: str
    due_on: datetime.date | None
    # what due_on is: "受理期限" before acceptance, "承诺办结日" after, "" once concluded or closed
    due_label: str
    # "邮政快递 YW…" once the result is posted: the parcel is the applicant's to follow
    tracking: str
    steps: list[dict]


def _matches(case: Case, who: str) -> bool:
    who = who.strip()
    if not who:
        return False
    if who == case.applicant_name:
        return True
    id_number = case.applicant.id_number or ""
    return len(who) == 4 and bool(id_number) and id_number[-4:].upper() == who.upper()


def _due_label(case: Case) -> str:
    if case.due_on is None or case.closed_at or case.concluded_at or case.paused_since:
        return ""
    return "承诺办结日" if case.accepted_at else "受理期限"


def public_query(number: str, who: str) -> PublicCase:
    """办件查询 for anyone: the number plus the applicant's name (or the last 4 characters of the
    ID number). Personal data comes back masked; handlers are named by role only.

    A wrong name and a missing case give the same answer, so the query cannot be used to learn
    which numbers exist.
    """
    number = validate_number(number)
    if not (who or "").strip():
        raise DomainError("请输入申请人姓名或身份证号码后4位", field="who")
    case = (
        Case.objects.select_related("version", "applicant", "accepting_org", "competent_org")
        .filter(number=number)
        .first()
    )
    if case is None or not _matches(case, who):
        raise NotFound("没有找到办件：请核对办件编号和申请人信息")
    steps = [
        {
            "action": e.get_action_display(),
            "step": e.step,
            "at": e.ended_at,
            "organization": e.organization.name if e.organization_id else "",
        }
        for e in timeline(case)
    ]
    name = case.applicant_name
    return PublicCase(
        number=case.number,
        item_name=case.version.name,
        applicant=name if case.enterprise_id else mask_name(name),
        status=case.status,
        status_label=case.get_status_display(),
        submitted_at=case.submitted_at,
        accepting_org=case.accepting_org.name,
        competent_org=case.competent_org.name,
        due_on=case.due_on,
        due_label=_due_label(case),
        tracking=f"{case.carrier} {case.tracking_number}".strip() if case.tracking_number else "",
        steps=steps,
    )
