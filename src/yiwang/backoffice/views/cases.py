"""办件: the work queues, 办件查询, the case page, its materials and notices (issue 5).

Pages for the window (受理) and the competent department (审查, 决定) working cases all day:
dense tables, one primary action per case. Every case is found through ``cases.selectors``, which
scope it to the staff member's organisations (another organisation's case is a 404, not a 403:
its existence is not disclosed); what hangs on it (materials, events, visits) is read from it.
Nothing here changes a case: the action forms post to :mod:`yiwang.backoffice.views.case_actions`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from yiwang.accounts.constants import Role
from yiwang.accounts.permissions import roles_of
from yiwang.backoffice.decorators import staff_required
from yiwang.cases import clock, notices, selectors, services, workflow
from yiwang.cases.constants import Action, CaseStatus, Decision, DeliveryMethod, OnlineMode
from yiwang.cases.models import Case, Extension
from yiwang.catalog import application_forms
from yiwang.core.errors import NotFound
from yiwang.core.http import client_ip
from yiwang.core.masking import mask_name
from yiwang.core.uploads import ALLOWED_KINDS
from yiwang.regions.models import Window

__all__ = [
    "CASE_ROLES",
    "case_detail",
    "case_material",
    "case_notice",
    "case_page",
    "case_queue",
    "case_search",
    "duration_text",
]

# Who works cases in the back office (the menu shows 办件 to them; 监察员 reads only).
CASE_ROLES = (Role.WINDOW_CLERK, Role.REVIEWER, Role.DECIDER, Role.SUPERVISOR)
PAGE_SIZE = 50
# 剩余工作日 at or below this shows amber (the 即将超期 queue's threshold).
SOON = 2

# Files a browser shows inline (PDF in a frame, images); anything else (OFD) is downloaded.
_INLINE_KINDS = {"pdf", "jpg", "png"}


# --- listings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One case in a queue or search table, with what the table shows computed once."""

    case: Case
    applicant: str
    remaining: int | None
    paused: bool

    @property
    def remaining_text(self) -> str:
        if self.paused:
            return "暂停"
        if self.remaining is None:
            return "—"
        if self.remaining < 0:
            return f"超期 {-self.remaining}"
        return "今日到期" if self.remaining == 0 else str(self.remaining)

    @property
    def urgency(self) -> str:
        """``overdue`` (≤ 0 working days left), ``soon`` (≤ 2) or ``""``."""
        if self.paused or self.remaining is None:
            return ""
        if self.remaining <= 0:
            return "overdue"
        return "soon" if self.remaining <= SOON else ""


def applicant_label(case: Case) -> str:
    """A person's name masked in every listing (DESIGN §3.8); an enterprise's name is public."""
    return case.applicant_name if case.enterprise_id else mask_name(case.applicant_name)


def _rows(cases, today: datetime.date) -> list[Row]:
    return [
        Row(
            case=c,
            applicant=applicant_label(c),
            remaining=clock.remaining_working_days(c, today=today),
            paused=c.is_paused,
        )
        for c in cases
    ]


def _held_roles(user) -> set[str]:
    return {a.role for a in roles_of(user)}


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _page_query(params: dict[str, str]) -> str:
    """The query string of the current filters, for the pagination links."""
    return urlencode({k: v for k, v in params.items() if v})


@staff_required(roles=CASE_ROLES)
@require_GET
def case_queue(request: HttpRequest) -> HttpResponse:
    """工作队列: a tab per queue the user's roles work, each oldest (or most urgent) first."""
    held = _held_roles(request.user)
    tabs = [q for q in selectors.QUEUES if not q.role or q.role in held]
    counts = selectors.queue_counts(request.user)
    # without a choice, the first tab with work in it (a clerk starts where the cases are)
    key = request.GET.get("q") or next((q.key for q in tabs if counts[q.key]), tabs[0].key)
    current = next((q for q in tabs if q.key == key), None)
    if current is None:
        raise NotFound("没有这个工作队列")
    today = clock.local_date()
    page = _page(request, selectors.queue(request.user, key, today=today))
    return render(
        request,
        "backoffice/cases/queue.html",
        {
            "tabs": [(q, counts[q.key]) for q in tabs],
            "current": current,
            "page": page,
            "rows": _rows(page.object_list, today),
            "page_query": _page_query({"q": key}),
        },
    )


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


@staff_required(roles=CASE_ROLES)
@require_GET
def case_search(request: HttpRequest) -> HttpResponse:
    """办件查询: by number (prefix), applicant, item name or code, submitted between two dates."""
    names = ("number", "applicant", "item", "from", "to")
    filters = {k: request.GET.get(k, "").strip()[:100] for k in names}
    errors, dates = {}, {}
    for key in ("from", "to"):
        try:
            dates[key] = _date(filters[key])
        except ValueError:
            errors[key] = "请按“年-月-日”填写日期，如 2025-03-01"
    if not errors and dates["from"] and dates["to"] and dates["from"] > dates["to"]:
        errors["to"] = "截止日期不能早于起始日期"
    context = {"filters": filters, "errors": errors, "page": None, "rows": []}
    if errors:
        return render(request, "backoffice/cases/search.html", context, status=400)
    cases = selectors.search_cases(
        request.user,
        number=filters["number"],
        applicant=filters["applicant"],
        item=filters["item"],
        date_from=dates["from"],
        date_to=dates["to"],
    )
    page = _page(request, cases)
    context.update(
        page=page,
        rows=_rows(page.object_list, clock.local_date()),
        page_query=_page_query(filters),
    )
    return render(request, "backoffice/cases/search.html", context)


# --- the case page ----------------------------------------------------------------------------


def duration_text(seconds: int) -> str:
    """How long a step took, in readable Chinese: ``不到 1 分钟``, ``45 分钟``, ``3 小时 5 分钟``,
    ``2 天 3 小时``."""
    if seconds < 60:
        return "不到 1 分钟"
    days, rest = divmod(seconds // 60, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} 天")
    if hours:
        parts.append(f"{hours} 小时")
    if minutes and not days:
        parts.append(f"{minutes} 分钟")
    return " ".join(parts)


def _role_label(role: str) -> str:
    if role == "applicant":
        return "申请人"
    return Role(role).label if role in Role.values else ""


def _timeline(case: Case) -> list[dict]:
    return [
        {
            "event": e,
            "role": _role_label(e.actor_role),
            "duration": duration_text(e.duration_seconds),
            "legal_basis": e.data.get("legal_basis", ""),
        }
        for e in selectors.timeline(case)
    ]


def _shown_value(prop: dict, value) -> str:
    if value is None or value == "":
        return ""
    if prop.get("type") == "boolean":
        return "是" if value else "否"
    if "enum" in prop and "x-enumNames" in prop:
        names = dict(zip(prop["enum"], prop["x-enumNames"], strict=False))
        return str(names.get(value, value))
    return str(value)


def _form_rows(case: Case) -> list[tuple[str, str]]:
    """The application form's values under the titles of the form the case was applied with."""
    schema = application_forms.form_schema(case.version)
    values = case.form
    rows = [
        (prop.get("title") or name, _shown_value(prop, values.get(name)))
        for name, prop in application_forms.ordered_properties(schema)
    ]
    known = set(schema.get("properties", {}))
    rows += [(name, str(value)) for name, value in values.items() if name not in known]
    return rows


def _my_actions(user, case: Case, extensions: list[Extension]) -> set[str]:
    """The staff actions allowed in the case's state that ``user``'s roles may take — then only
    the ones that make sense now (恢复计时 only while paused, one pending extension at a time)."""
    mine = services.staff_actions(user, case)
    mine.discard(Action.RESUME if not case.is_paused else Action.PAUSE)
    if case.mode == OnlineMode.FULLY_ONLINE and case.delivery_method != DeliveryMethod.PICKUP:
        # 全程网办 promises no visit: the result goes by post or electronically
        mine.discard(Action.HAND_OVER)
    pending = any(e.status == Extension.Status.REQUESTED for e in extensions)
    if pending:
        mine.discard(Action.REQUEST_EXTENSION)
    else:
        mine -= {Action.APPROVE_EXTENSION, Action.REJECT_EXTENSION}
    return mine


def _windows(case: Case) -> list[Window]:
    """The windows of the accepting organisation's halls (where the clerk can stand)."""
    return list(
        Window.objects.filter(
            hall__organization_id=case.accepting_org_id, hall__is_active=True, is_active=True
        )
        .select_related("hall")
        .order_by("hall__name", "number", "pk")
    )


# The fields of each action form (a service's message about another field is shown at the top of
# the form), and the primary action of each state: the first button a clerk working a queue
# presses, open on the page (in 待送达, the delivery the applicant chose).
FORMS: dict[str, tuple[str, ...]] = {
    "pre_review_pass": ("opinion", "window"),
    "supplement": ("note",),
    "not_accept": ("reason", "legal_basis"),
    "accept": ("window", "opinion", "decide_now", "decision_opinion"),
    "visit": ("purpose", "window"),
    "review": ("opinion",),
    "decide": ("decision", "opinion"),
    "ship": (),
    "hand_over": ("signed_by", "window"),
    "deliver_electronically": (),
    "pause": ("reason",),
    "resume": (),
    "extension": ("days", "reason"),
    "extension_decide": ("decision", "note"),
}
PRIMARY = {
    CaseStatus.PRE_REVIEW: Action.PRE_REVIEW_PASS,
    CaseStatus.PENDING_ACCEPTANCE: Action.ACCEPT,
    CaseStatus.REVIEWING: Action.REVIEW,
    CaseStatus.DECIDING: Action.DECIDE,
}
_DELIVERY_ACTION = {
    DeliveryMethod.EXPRESS: Action.SHIP,
    DeliveryMethod.PICKUP: Action.HAND_OVER,
    DeliveryMethod.ELECTRONIC: Action.DELIVER_ELECTRONICALLY,
}
_WINDOW_ACTIONS = {Action.PRE_REVIEW_PASS, Action.ACCEPT, Action.RECORD_VISIT, Action.HAND_OVER}
# The window a clerk last acted at is offered first next time (a clerk sits at one window a day).
LAST_WINDOW_KEY = "backoffice_case_window"
# Free rows of the 一次性告知 form for materials outside the guide.
OTHER_ROWS = (1, 2, 3)


@dataclass
class Failed:
    """A refused action form, shown again with the service's messages and what was typed."""

    form: str
    typed: dict
    errors: dict[str, str]


def _defaults(window_id: str) -> dict[str, dict]:
    typed: dict[str, dict] = {name: {} for name in FORMS}
    for name in ("pre_review_pass", "accept", "visit", "hand_over"):
        typed[name]["window"] = window_id
    return typed


def _supplement_rows(case: Case, materials, typed: dict, errors: dict) -> dict:
    """The 一次性告知 checklist: every material of the guide (with the file given, if any) and
    the free rows for materials outside it, each with what was typed and its message."""
    given = {m.material_id: m for m in materials if m.material_id is not None}
    checked = set(typed.get("m", []))
    return {
        "guide_materials": [
            {
                "material": m,
                "given": given.get(m.pk),
                "checked": str(m.pk) in checked,
                "problem": typed.get(f"problem_{m.pk}", ""),
                "error": errors.get(f"problem_{m.pk}", ""),
            }
            for m in case.version.materials.all().order_by("order", "id")
        ],
        "other_rows": [
            {
                "n": n,
                "name": typed.get(f"other_name_{n}", ""),
                "problem": typed.get(f"other_problem_{n}", ""),
                "error": errors.get(f"other_{n}", ""),
            }
            for n in OTHER_ROWS
        ],
    }


def case_page(
    request: HttpRequest,
    case: Case,
    *,
    failed: Failed | None = None,
    banner: str = "",
    status: int = 200,
) -> HttpResponse:
    """Render the case page; also used by the action views to show a refused form again (with
    its messages and what was typed) or a 409 banner above the case as it now stands."""
    materials = list(case.materials.select_related("file", "material"))
    extensions = list(case.extensions.select_related("requested_by", "decided_by"))
    actions = _my_actions(request.user, case, extensions)
    windows = _windows(case) if actions & _WINDOW_ACTIONS else []
    remembered = str(request.session.get(LAST_WINDOW_KEY, ""))
    default_window = next((str(w.pk) for w in windows if str(w.pk) == remembered), "")
    if not default_window and case.window_id:
        default_window = str(case.window_id)
    typed = _defaults(default_window)
    errors: dict[str, dict] = {}
    if failed is not None:
        typed[failed.form] = failed.typed
        errors[failed.form] = failed.errors
    primary = PRIMARY.get(case.status) or _DELIVERY_ACTION.get(case.delivery_method, "")
    context = {
        "case": case,
        "row": _rows([case], clock.local_date())[0],
        "form_rows": _form_rows(case),
        "materials": [
            {"cm": m, "inline": m.file.kind in _INLINE_KINDS, "kind": m.file.kind}
            for m in materials
        ],
        "timeline": _timeline(case),
        "supplements": list(case.supplements.select_related("requested_by")),
        "visits": list(case.visit_records.select_related("window", "recorded_by")),
        "extensions": extensions,
        "pauses": list(case.pauses.select_related("started_by")),
        "notices": notices.available(case),
        "actions": actions,
        "primary": primary if primary in actions else "",
        "windows": windows,
        "on_the_spot": Action.ACCEPT in actions
        and any(s.on_the_spot for s in workflow.steps_of(case.version)),
        **(
            _supplement_rows(case, materials, typed["supplement"], errors.get("supplement", {}))
            if Action.REQUEST_SUPPLEMENT in actions
            else {}
        ),
        "decisions": Decision.choices,
        "typed": typed,
        "errors": errors,
        "failed_form": failed.form if failed else "",
        "banner": banner,
    }
    return render(request, "backoffice/cases/detail.html", context, status=status)


@staff_required(roles=CASE_ROLES)
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return case_page(request, selectors.case_for_staff(request.user, case_id))


# --- files ------------------------------------------------------------------------------------


@staff_required(roles=CASE_ROLES)
@require_GET
@xframe_options_sameorigin  # the case page shows it in a frame; nobody else may
def case_material(request: HttpRequest, case_id: int, material_id: int) -> FileResponse:
    """One material of a case, for staff who may see the case. PDF and images inline (the case
    page previews them), OFD as a download; the type is the one found by content at upload
    (``core.uploads``), and ``nosniff`` stops a browser guessing another."""
    stored = services.open_material_as_staff(
        request.user, case_id, material_id, ip=client_ip(request)
    )
    kind = ALLOWED_KINDS.get(stored.kind)
    inline = stored.kind in _INLINE_KINDS
    response = FileResponse(
        stored.file.open("rb"),
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not inline, filename=stored.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    # personal data: never kept by a shared cache or the browser's disk cache
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(roles=CASE_ROLES)
@require_GET
def case_notice(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """A notice of the case (受理通知书…), rebuilt from the case's record as a PDF download."""
    case = selectors.case_for_staff(request.user, case_id)
    pdf = notices.notice_for(case, kind, request=request)
    title = dict(notices.available(case))[kind]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{case.number}-{title}.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
