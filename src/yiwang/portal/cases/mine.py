"""我的办件 and the case page: where a case stands, its history, its materials and notices, and
what the applicant can do now — 补正, 撤回申请, 确认签收.

The buttons are those :func:`yiwang.cases.services.allowed_actions` allows the applicant in the
case's state. A page left open while a clerk moved the case on is answered by the service's
409 (:class:`~yiwang.core.errors.Conflict`), shown above the case as it now is.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.constants import Role
from yiwang.cases import notices, selectors, services
from yiwang.cases.constants import (
    ACTIVE_STATUSES,
    FINAL_STATUSES,
    Action,
    CaseStatus,
    OnlineMode,
)
from yiwang.cases.models import Case
from yiwang.core.errors import Conflict, DomainError, FieldErrors, NotFound
from yiwang.core.http import client_ip
from yiwang.core.masking import mask_name
from yiwang.portal.cases.common import (
    Problems,
    acting,
    applicant_required,
    attach_chosen,
    attachment,
    disposition,
    drive,
    int_or_none,
    own_case,
    paged,
    size_text,
    split_messages,
    upload_hint,
)

TEMPLATES = "portal/cases/"

# 我的办件's filter: the groups of states an applicant thinks in.
GROUPS = {
    "active": ("办理中", tuple(ACTIVE_STATUSES)),
    "done": ("已办结", tuple(FINAL_STATUSES)),
    "draft": ("草稿", (CaseStatus.DRAFT,)),
}
ROLE_LABELS = {**dict(Role.choices), "applicant": "申请人"}
WITHDRAW_REASON_MAX = 300


@applicant_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    enterprise = acting(request)
    cases = selectors.cases_of(request.user, enterprise=enterprise)
    group = request.GET.get("status", "")
    if group in GROUPS:
        cases = cases.filter(status__in=GROUPS[group][1])
    else:
        group = ""
    rows, paging = paged(request, cases)
    return render(
        request,
        TEMPLATES + "list.html",
        {
            "rows": rows,
            "paging": paging,
            "group": group,
            "groups": [(key, label) for key, (label, _) in GROUPS.items()],
            "enterprise": enterprise,
        },
    )


# --- the case page --------------------------------------------------------------------------------


def _open_supplement(case: Case):
    if case.status != CaseStatus.SUPPLEMENT:
        return None
    return case.supplements.filter(resolved_at__isnull=True).order_by("-id").first()


_TOLD_TO_APPLICANT = {
    Action.WITHDRAW,
    Action.PRE_REVIEW_PASS,
    Action.REQUEST_SUPPLEMENT,
    Action.NOT_ACCEPT,
    Action.DECIDE,
    Action.SHIP,
    Action.HAND_OVER,
    Action.PAUSE,
}


def _timeline(case: Case) -> list[dict]:
    """The case's events as the applicant sees them: staff named by surname only (the person
    is masked when the event was written)."""
    rows = []
    for event in selectors.timeline(case):
        if event.actor_id is None:
            who = "系统"
        elif event.actor_role == "applicant" or event.actor_id == case.applicant_id:
            who = event.actor_name  # already masked: actor_name() masks persons
        else:
            who = mask_name(event.actor_name)
        rows.append(
            {
                "event": event,
                "label": event.get_action_display(),
                "who": who,
                "role": ROLE_LABELS.get(event.actor_role, ""),
                # what the applicant is told (a reason, a decision, a tracking number); the
                # reviewer's internal opinion is not part of it
                "note": event.opinion if event.action in _TOLD_TO_APPLICANT else "",
            }
        )
    return rows


def _supplement_rows(case: Case, request_row, problems: Problems, notes: dict) -> list[dict]:
    materials = list(case.materials.select_related("file"))
    given = {cm.material_id: cm for cm in materials if cm.material_id is not None}
    extras = {cm.name: cm for cm in materials if cm.material_id is None}
    rows = []
    for index, entry in enumerate(request_row.items):
        material_id = entry.get("material_id")
        name = entry.get("name", "")
        cm = given.get(material_id) if material_id is not None else extras.get(name)
        key = f"material.{material_id}" if material_id is not None else f"extra.{index}"
        rows.append(
            {
                "material_id": material_id,
                # the file input of the row: a guide material's id, or "x<index>" for a material
                # the notice asked for by name
                "input_id": material_id if material_id is not None else f"x{index}",
                "name": name,
                "problem": entry.get("problem", ""),
                "given": cm,
                # given again since the notice: ready to hand in
                "renewed": cm is not None and cm.attached_at > request_row.requested_at,
                "error": problems.get(key),
                "notices": notes.get(material_id, []) if material_id else [],
            }
        )
    return rows


def _attach_extras(request: HttpRequest, case: Case, request_row, problems: Problems) -> None:
    """Files for the materials outside the guide that the notice asked for by name."""
    for index, entry in enumerate(request_row.items):
        if entry.get("material_id") is not None:
            continue
        upload = request.FILES.get(f"file_x{index}")
        if upload is None:
            continue
        try:
            services.attach_material(
                case.pk,
                request.user,
                material_id=None,
                upload=upload,
                file_name=upload.name,
                extra_name=entry["name"],
            )
        except DomainError as exc:
            problems.add(f"extra.{index}", exc.message)


def _summary(problems: Problems, rows: list[dict]) -> list[tuple[str, str]]:
    names = {row["material_id"]: row["name"] for row in rows if row["material_id"]}
    extras = {f"extra.{row['input_id'][1:]}": row for row in rows if row["material_id"] is None}
    items = []
    for key, message in problems.errors.items():
        material_id = int_or_none(key[9:]) if key and key.startswith("material.") else None
        name = names.get(material_id, "")
        if key in extras:
            items.append((f"material-{extras[key]['input_id']}-file", message))
        elif name:
            text = message if f"“{name}”" in message else f"{name}：{message}"
            items.append((f"material-{material_id}-file", text))
        else:
            items.append(("", message))
    return items


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    problems: Problems | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    problems = problems or Problems()
    flash, notes = split_messages(request)
    allowed = services.allowed_actions(case)
    mine = services.may_act_as_applicant(case, request.user)

    def may(action: str) -> bool:
        return mine and allowed.get(action) == "applicant"

    request_row = _open_supplement(case)
    rows = _supplement_rows(case, request_row, problems, notes) if request_row else []
    context = {
        "case": case,
        "version": case.version,
        "mode_label": OnlineMode(case.mode).label,
        "timeline": _timeline(case),
        "materials": [
            {"given": cm, "size": size_text(cm.file.size)}
            for cm in case.materials.select_related("file")
        ],
        "notices": notices.available(case),
        "supplement": request_row,
        "supplement_rows": rows,
        "drive": (
            [{"file": f, "size": size_text(f.size)} for f in drive(request.user)]
            if request_row and may(Action.SUPPLEMENT)
            else []
        ),
        "can_supplement": may(Action.SUPPLEMENT) and request_row is not None,
        "can_withdraw": may(Action.WITHDRAW),
        "can_confirm": may(Action.CONFIRM_RECEIPT),
        "problems": problems,
        "summary": _summary(problems, rows),
        "conflict": conflict,
        "flash": flash,
        "upload_hint": upload_hint(),
    }
    return render(request, TEMPLATES + "detail.html", context, status=status)


@applicant_required
@require_GET
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = own_case(request, pk)
    if case.status == CaseStatus.DRAFT:
        return redirect("portal:case-edit", pk=case.pk)
    return _case_page(request, case)


def _refused(request: HttpRequest, pk: int, exc: DomainError) -> HttpResponse:
    """The case page as it is now, with the reason the action was refused (409: the case moved
    on since the page was loaded; 403/400: the service's message)."""
    return _case_page(request, own_case(request, pk), conflict=exc.message, status=exc.status)


@applicant_required
@require_POST
def supplement(request: HttpRequest, pk: int) -> HttpResponse:
    """补正: upload again each material the 一次性告知 named (``上传``), then hand them in
    (``提交补正``); both post the files chosen so far, so none is lost."""
    case = own_case(request, pk)
    request_row = _open_supplement(case)
    if request_row is None:
        message = f"办件当前状态为“{case.get_status_display()}”，不需要补正材料"
        return _case_page(request, case, conflict=message, status=Conflict.status)
    problems = Problems()
    named = {entry.get("material_id") for entry in request_row.items}
    materials = [m for m in case.version.materials.all() if m.pk in named]
    attach_chosen(request, case, materials, problems)
    _attach_extras(request, case, request_row, problems)
    if request.POST.get("action") == "submit" and not problems:
        try:
            services.supplement(case.pk, request.user, ip=client_ip(request))
        except FieldErrors as exc:
            problems.update(exc.errors)
        except DomainError as exc:
            return _refused(request, pk, exc)
        else:
            messages.success(request, "补正材料已提交，办件继续办理。")
            return redirect("portal:case", pk=pk)
    if problems:
        return _case_page(request, own_case(request, pk), problems=problems)
    messages.success(request, "材料已上传；全部材料上传后，请点击“提交补正”。")
    return redirect("portal:case", pk=pk)


@applicant_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """撤回申请: a page that asks to confirm (with an optional reason), then the withdrawal."""
    case = own_case(request, pk)
    reason = request.POST.get("reason", "").strip()
    error = ""
    if request.method == "POST":
        if len(reason) > WITHDRAW_REASON_MAX:
            error = f"撤回原因不能超过 {WITHDRAW_REASON_MAX} 个字"
        else:
            try:
                services.withdraw(case.pk, request.user, reason=reason, ip=client_ip(request))
            except DomainError as exc:
                return _refused(request, pk, exc)
            messages.success(request, "申请已撤回。")
            return redirect("portal:case", pk=pk)
    elif Action.WITHDRAW not in services.allowed_actions(case):
        messages.error(request, f"办件当前状态为“{case.get_status_display()}”，不能撤回申请。")
        return redirect("portal:case", pk=pk)
    return render(
        request,
        TEMPLATES + "withdraw.html",
        {"case": case, "reason": reason, "error": error, "limit": WITHDRAW_REASON_MAX},
    )


@applicant_required
@require_POST
def confirm_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    case = own_case(request, pk)
    try:
        services.confirm_receipt(case.pk, request.user, ip=client_ip(request))
    except DomainError as exc:
        return _refused(request, pk, exc)
    messages.success(request, "已确认签收，办件已办结。")
    return redirect("portal:case", pk=pk)


# --- downloads --------------------------------------------------------------------------------


@applicant_required
@require_GET
def material_file(request: HttpRequest, pk: int, material: int) -> HttpResponse:
    """A file given for the case, to the applicant only (the case is looked up as theirs)."""
    case = own_case(request, pk)
    given = case.materials.select_related("file").filter(pk=material).first()
    if given is None:
        raise Http404("没有这份材料")
    return attachment(given.file)


@applicant_required
@require_GET
def notice(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """受理通知书, 补正材料通知书, 不予受理决定书, 办结通知书: only those the case has."""
    case = own_case(request, pk)
    titles = dict(notices.available(case))
    if kind not in titles:
        raise Http404("该办件没有这份文书")
    try:
        pdf = notices.notice_for(case, kind, request=request)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = disposition("attachment", f"{case.number}-{titles[kind]}.pdf")
    return response
