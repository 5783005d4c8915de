"""办件 actions: one POST view per form of the case page's action panel, each calling one service.

Success redirects back to the case page with a message. A refusal shows the case page again:
the service's messages beside the fields of the form that was sent, with what was typed; a
:class:`~yiwang.core.errors.Conflict` (the case moved on meanwhile — another clerk accepted it)
as a banner above the case as it now stands, whose panel then offers what can be done now.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from yiwang.backoffice.decorators import staff_required
from yiwang.backoffice.views.cases import (
    CASE_ROLES,
    FORMS,
    LAST_WINDOW_KEY,
    OTHER_ROWS,
    Failed,
    case_page,
)
from yiwang.cases import selectors, services
from yiwang.cases.constants import CaseStatus, Decision
from yiwang.cases.models import Case
from yiwang.core.errors import Conflict, DomainError, FieldErrors, NotFound
from yiwang.core.http import client_ip
from yiwang.regions.models import Window

__all__ = [
    "accept",
    "decide",
    "decide_extension",
    "deliver_electronically",
    "hand_over",
    "not_accept",
    "pause",
    "pre_review_pass",
    "record_visit",
    "request_extension",
    "request_supplement",
    "resume",
    "review",
    "ship",
]

# What each view does: call its service with the form's values, return the success message.
Handler = Callable[[HttpRequest, Case, QueryDict], str]


def _typed(form: str, post: QueryDict) -> dict:
    if form == "supplement":  # its rows are named after the materials: keep every one
        typed = {k: v for k, v in post.items() if k != "csrfmiddlewaretoken"}
        typed["m"] = post.getlist("m")
        return typed
    return {name: post.get(name, "") for name in FORMS[form]}


def _shown_errors(form: str, errors: dict[str, str]) -> dict[str, str]:
    """The messages by the field they belong to; one without a field of this form (the
    delivery address missing for 寄送, …) is shown at the top of the form."""
    fields = set(FORMS[form])
    shown: dict[str, str] = {}
    for field, message in errors.items():
        key = field if field in fields or field.startswith(("problem_", "other_")) else "form"
        shown[key] = f"{shown[key]}；{message}" if key in shown else message
    return shown


def _act(request: HttpRequest, case_id: int, form: str, handler: Handler) -> HttpResponse:
    case = selectors.case_for_staff(request.user, case_id)
    try:
        text = handler(request, case, request.POST)
    except Conflict as exc:
        fresh = selectors.case_for_staff(request.user, case_id)
        return case_page(request, fresh, banner=exc.message, status=exc.status)
    except FieldErrors as exc:
        errors, status = exc.errors, exc.status
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        errors, status = {exc.field or "form": exc.message}, exc.status
    else:
        messages.success(request, text)
        return redirect("backoffice:case", case_id=case.pk)
    failed = Failed(form, _typed(form, request.POST), _shown_errors(form, errors))
    return case_page(request, case, failed=failed, status=status)


def _window(post: QueryDict) -> Window | None:
    """The window chosen in the form (optional); remembered for the clerk's next case."""
    raw = post.get("window", "").strip()
    if not raw:
        return None
    window = (
        Window.objects.select_related("hall").filter(pk=int(raw)).first()
        if raw.isdigit() and len(raw) <= 18
        else None
    )
    if window is None:
        raise DomainError("所选窗口不存在，请重新选择", field="window")
    return window


def _remember(request: HttpRequest, window: Window | None) -> None:
    if window is not None:
        request.session[LAST_WINDOW_KEY] = window.pk


def _status_text(case: Case) -> str:
    return f"办件现为“{case.get_status_display()}”。"


def _view(form: str, handler: Handler):
    @staff_required(roles=CASE_ROLES)
    @require_POST
    def view(request: HttpRequest, case_id: int) -> HttpResponse:
        return _act(request, case_id, form, handler)

    view.__name__ = view.__qualname__ = form
    view.__doc__ = handler.__doc__
    return view


# --- the window: 预审, 补正, 不予受理, 受理, 到现场 ---------------------------------------


def _pre_review_pass(request, case, post) -> str:
    """预审通过 (原件预审): the applicant is to bring the originals to the window."""
    window = _window(post)
    case = services.pre_review_pass(
        case.pk, request.user, opinion=post.get("opinion", ""), window=window, ip=client_ip(request)
    )
    _remember(request, window)
    return f"预审通过，申请人携带原件到窗口即可受理。{_status_text(case)}"


def _supplement_items(case: Case, post: QueryDict) -> tuple[list[dict], list[str]]:
    """The 一次性告知 list from the form — a guide material is listed when ticked or when its
    problem is written (a clerk who typed a problem meant it) — and each entry's row, to put the
    service's ``items.<i>`` messages back beside the right row."""
    checked = set(post.getlist("m"))
    items, rows = [], []
    for material in case.version.materials.all().order_by("order", "id"):
        problem = post.get(f"problem_{material.pk}", "").strip()
        if str(material.pk) in checked or problem:
            items.append({"material_id": material.pk, "problem": problem})
            rows.append(f"problem_{material.pk}")
    for n in OTHER_ROWS:
        name = post.get(f"other_name_{n}", "").strip()
        problem = post.get(f"other_problem_{n}", "").strip()
        if name or problem:
            items.append({"material_id": None, "name": name, "problem": problem})
            rows.append(f"other_{n}")
    return items, rows


def _request_supplement(request, case, post) -> str:
    """一次性告知补正 (行政许可法 第三十二条第一款第（四）项)."""
    items, rows = _supplement_items(case, post)
    try:
        notice = services.request_supplement(
            case.pk, request.user, items=items, note=post.get("note", ""), ip=client_ip(request)
        )
    except FieldErrors as exc:
        errors = {}
        for key, message in exc.errors.items():
            index = key.removeprefix("items.")
            errors[rows[int(index)] if index.isdigit() else "form"] = message
        raise FieldErrors(errors) from exc
    due = notice.due_on.strftime("%Y-%m-%d")
    return (
        f"已一次性告知补正（{notice.document_number}），共 {len(notice.items)} 项，"
        f"补正期限 {due}；已通知申请人，受理计时暂停。"
    )


def _not_accept(request, case, post) -> str:
    """不予受理, with its reason and legal basis (行政许可法 第三十二条)."""
    services.not_accept(
        case.pk,
        request.user,
        reason=post.get("reason", ""),
        legal_basis=post.get("legal_basis", ""),
        ip=client_ip(request),
    )
    return "已作出不予受理决定，已通知申请人；可下载不予受理决定书。"


_ON_THE_SPOT_FIELDS = {"decision": "decide_now", "opinion": "decision_opinion"}


def _accept(request, case, post) -> str:
    """受理, optionally with the on-the-spot decision the guide allows (即办)."""
    window = _window(post)
    decide_now = post.get("decide_now", "") or None
    try:
        case = services.accept(
            case.pk,
            request.user,
            opinion=post.get("opinion", ""),
            window=window,
            decide_now=decide_now,
            decision_opinion=post.get("decision_opinion", ""),
            ip=client_ip(request),
        )
    except DomainError as exc:
        # the on-the-spot decision is checked like any decision (its "decision" and "opinion"):
        # in this form those are 当场决定 and 决定意见, not the 受理意见 field
        moved = _ON_THE_SPOT_FIELDS.get(exc.field or "")
        if decide_now is None or moved is None or type(exc) is not DomainError:
            raise
        raise DomainError(exc.message, field=moved) from exc
    _remember(request, window)
    if decide_now is not None:
        return f"已受理并当场决定：{Decision(decide_now).label}。{_status_text(case)}"
    return f"已受理，已通知申请人。{_status_text(case)}"


def _record_visit(request, case, post) -> str:
    """登记到现场 (最多跑一次 counts these)."""
    window = _window(post)
    visit = services.record_visit(
        case.pk, request.user, purpose=post.get("purpose", ""), window=window, ip=client_ip(request)
    )
    _remember(request, window)
    counted = visit.case
    text = f"已登记到现场：第 {counted.visits} 次（最多 {counted.max_visits} 次）。"
    if counted.over_visits:
        text += "已超过最多跑动次数，将计入监督。"
    return text


# --- the department: 审查, 决定; the clock ---------------------------------------------


def _review(request, case, post) -> str:
    case = services.review(
        case.pk, request.user, opinion=post.get("opinion", ""), ip=client_ip(request)
    )
    return f"审查意见已提交。{_status_text(case)}"


def _decide(request, case, post) -> str:
    case = services.decide(
        case.pk,
        request.user,
        decision=post.get("decision", ""),
        opinion=post.get("opinion", ""),
        ip=client_ip(request),
    )
    return f"已作出决定：{case.get_decision_display()}，办件已办结。{_status_text(case)}"


def _pause(request, case, post) -> str:
    services.pause(case.pk, request.user, reason=post.get("reason", ""), ip=client_ip(request))
    return "已暂停计时；暂停期间不计入办理时限。"


def _resume(request, case, post) -> str:
    services.resume(case.pk, request.user, ip=client_ip(request))
    return "已恢复计时，暂停的工作日已顺延到办结期限。"


def _request_extension(request, case, post) -> str:
    raw = post.get("days", "").strip()
    if not raw.isdigit() or len(raw) > 3:
        raise DomainError("请填写延长的工作日数（1 到 10）", field="days")
    extension = services.request_extension(
        case.pk, request.user, days=int(raw), reason=post.get("reason", ""), ip=client_ip(request)
    )
    return f"已申请延期 {extension.days} 个工作日，等待决定人批准。"


def _decide_extension(request, case, post) -> str:
    decision = post.get("decision", "")
    # Only an explicit choice decides: a POST without one must not quietly approve.
    if decision not in ("approve", "reject"):
        raise DomainError("请选择“批准”或“不批准”", field="decision")
    try:
        extension = services.decide_extension(
            case.pk,
            request.user,
            approve=decision == "approve",
            note=post.get("note", ""),
            ip=client_ip(request),
        )
    except NotFound as exc:
        # decided by another decider meanwhile: the case is there, the request is not
        raise Conflict(exc.message, field="action") from exc
    if decision == "approve":
        return f"已批准延期 {extension.days} 个工作日，办结期限已顺延。"
    return "已不批准延期。"


# --- the result: 寄送, 窗口领取, 电子送达 ---------------------------------------------


def _ship(request, case, post) -> str:
    case = services.ship(case.pk, request.user, ip=client_ip(request))
    return f"已交寄：{case.carrier}，运单号 {case.tracking_number}。{_status_text(case)}"


def _hand_over(request, case, post) -> str:
    window = _window(post)
    signed_by = post.get("signed_by", "")
    case = services.hand_over(
        case.pk, request.user, signed_by=signed_by, window=window, ip=client_ip(request)
    )
    _remember(request, window)
    done = "办件已办结。" if case.status == CaseStatus.COMPLETED else _status_text(case)
    return f"已登记窗口领取，签收人：{signed_by.strip()}。{done}"


def _deliver_electronically(request, case, post) -> str:
    case = services.deliver_electronically(case.pk, request.user, ip=client_ip(request))
    done = "办件已办结。" if case.status == CaseStatus.COMPLETED else _status_text(case)
    return f"已电子送达，申请人可在“我的办件”中查看结果。{done}"


pre_review_pass = _view("pre_review_pass", _pre_review_pass)
request_supplement = _view("supplement", _request_supplement)
not_accept = _view("not_accept", _not_accept)
accept = _view("accept", _accept)
record_visit = _view("visit", _record_visit)
review = _view("review", _review)
decide = _view("decide", _decide)
pause = _view("pause", _pause)
resume = _view("resume", _resume)
request_extension = _view("extension", _request_extension)
decide_extension = _view("extension_decide", _decide_extension)
ship = _view("ship", _ship)
hand_over = _view("hand_over", _hand_over)
deliver_electronically = _view("deliver_electronically", _deliver_electronically)
