"""在线办理 from the guide, and the draft application: the form, 办理情形, 送达方式, materials.

The draft page is one form (no script needed; htmx only refreshes the material list when the
办理情形 changes). Every button posts all of it, so whatever the applicant presses — 保存草稿,
上传, 移除, 提交申请 — what was typed and chosen is saved first and never lost; then the button's
own action runs. A refusal comes back as the page with each message next to its field or
material and in a summary at the top that links to them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yiwang.cases import selectors, services
from yiwang.cases.constants import CaseStatus, DeliveryMethod, OnlineMode
from yiwang.cases.models import Case
from yiwang.catalog import application_forms
from yiwang.catalog import selectors as catalog_selectors
from yiwang.catalog.constants import MaterialRequirement
from yiwang.core.errors import DomainError, FieldErrors, NotFound
from yiwang.core.http import client_ip
from yiwang.portal.cases.common import (
    Problems,
    acting,
    applicant_required,
    attach_chosen,
    drive,
    int_or_none,
    own_case,
    size_text,
    split_messages,
    upload_hint,
)

TEMPLATES = "portal/cases/"
FORM_PREFIX = "form"

# What each online mode means for the applicant (REQUIREMENTS §2; seed 001 ch. 5 §(一)2(4)).
MODE_TEXT = {
    OnlineMode.FULLY_ONLINE: "全程网办：网上申请、受理和办理，结果邮寄或电子送达，无需到现场。",
    OnlineMode.ORIGINALS_CHECK: "原件核验：网上申请和受理，领取办理结果时核验原件，最多跑一次。",
    OnlineMode.PRE_REVIEW: "原件预审：网上预审通过后，携带原件到窗口受理，最多跑两次。",
}


# --- 在线办理 ------------------------------------------------------------------------------------


@applicant_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponse:
    """The guide's 在线办理: a POST opens a draft (for the acting enterprise, if any) and goes to
    it. A GET — where the sign-in page sends a visitor back to — shows the item, how it is
    handled online and the drafts already begun, with the button to start."""
    try:
        item = catalog_selectors.get_item(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    enterprise = acting(request)
    error, status = "", 200
    if request.method == "POST":
        try:
            case = services.start_application(
                request.user, item, enterprise=enterprise, channel="web", ip=client_ip(request)
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect("portal:case-edit", pk=case.pk)
    version = item.current_version
    mode = services.online_mode(version)
    drafts = selectors.cases_of(request.user, enterprise=enterprise).filter(
        item=item, status=CaseStatus.DRAFT
    )
    return render(
        request,
        TEMPLATES + "start.html",
        {
            "item": item,
            "version": version,
            "mode": mode,
            "mode_text": MODE_TEXT.get(mode, ""),
            "enterprise": enterprise,
            "drafts": list(drafts[:5]),
            "error": error,
        },
        status=status,
    )


# --- the draft ------------------------------------------------------------------------------------


def _application_form(case: Case, data=None) -> application_forms.ApplicationForm:
    """The item version's form, prefixed (a property may be called ``action`` or
    ``delivery_method`` too); unbound with the draft's values, or bound to a POST."""
    schema = application_forms.form_schema(case.version)
    form = application_forms.ApplicationForm(
        schema, data=data, initial=None if data is not None else case.form, prefix=FORM_PREFIX
    )
    # A draft may be saved half done: the browser must not refuse empty required fields (the
    # server says what is missing, in Chinese, when the application is submitted).
    form.use_required_attribute = False
    for field in form.fields.values():
        if field.required:
            field.widget.attrs["aria-required"] = "true"
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs["rows"] = "4"  # Django's 10 rows fill a phone's screen
    return form


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _as_typed(field, text: str):
    """A number out of its bounds (-5 where 0 is the least) is kept as the number it is, so the
    submission says 不能小于 0 rather than 应为数字; anything else as the text typed."""
    if isinstance(field, forms.IntegerField | forms.DecimalField):
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            return text
        if number.is_finite():
            return int(number) if number == number.to_integral_value() else float(number)
    return text


def _typed_values(form: application_forms.ApplicationForm) -> dict:
    """What was typed, as the draft keeps it: a valid value as JSON (dates as ISO text, whole
    numbers as integers); an invalid one as the very text typed, so that the page shows it again
    and submission names what is wrong with it; blanks left out."""
    form.is_valid()
    values = {}
    for name in form.fields:
        if name in form.cleaned_data:
            value = _json(form.cleaned_data[name])
        else:
            value = _as_typed(form.fields[name], form.data.get(form.add_prefix(name), "").strip())
        if value is None or value == "":
            continue
        values[name] = value
    return values


def _draft_changes(request: HttpRequest, case: Case, problems: Problems) -> dict:
    """The 办理情形 and 送达方式 posted, when they are ones this case offers (a tampered or stale
    choice gets its message and leaves the saved choice as it was)."""
    post = request.POST
    changes: dict = {}
    if "delivery_address" in post:
        changes["delivery_address"] = post["delivery_address"]
    if "handling_item" in post:
        chosen = int_or_none(post["handling_item"])
        if chosen in {h.pk for h in case.version.handling_items.all()}:
            changes["handling_item_id"] = chosen
        else:
            problems.add("handling_item", "所选办理情形不属于该事项")
    if "delivery_method" in post:
        if post["delivery_method"] in services.delivery_methods(case):
            changes["delivery_method"] = post["delivery_method"]
        else:
            problems.add("delivery_method", "该事项不支持所选送达方式")
    return changes


@applicant_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft: save what was posted, attach the files chosen, then the button's action."""
    case = own_case(request, pk)
    if case.status != CaseStatus.DRAFT:
        return redirect("portal:case", pk=case.pk)
    if request.method == "GET":
        return _draft_page(request, case, Problems())
    user = request.user
    problems = Problems()
    form = _application_form(case, data=request.POST)
    try:
        services.save_draft(
            case.pk,
            user,
            form=_typed_values(form),
            **_draft_changes(request, case, problems),
        )
    except DomainError as exc:
        if _submitted(request, pk):
            return redirect("portal:case", pk=pk)  # a double click: the first one submitted
        problems.add(None, exc.message)
    attach_chosen(request, case, case.version.materials.all(), problems)

    action = request.POST.get("action", "save")
    if action.startswith("detach:"):
        try:
            services.detach_material(case.pk, user, case_material_id=int_or_none(action[7:]) or 0)
        except DomainError as exc:
            problems.add(None, exc.message)
    elif action == "submit" and problems:
        # an upload was refused: say everything else that would stop the submission too
        problems.update(services.application_errors(case.pk, user))
    elif action == "submit":
        if request.POST.get("submission_token") != str(case.submission_token):
            problems.add(None, "页面已过期：请核对下面的内容后再提交一次")
        else:
            try:
                submitted = services.submit(case.pk, user, ip=client_ip(request))
            except FieldErrors as exc:
                problems.update(exc.errors)
            except DomainError as exc:
                problems.add(None, exc.message)
            else:
                messages.success(request, f"申请已提交，办件编号 {submitted.number}。")
                return redirect("portal:case", pk=case.pk)
    if problems:
        return _draft_page(request, own_case(request, pk), problems)
    if action == "save":
        messages.success(request, "草稿已保存。")
    return redirect("portal:case-edit", pk=case.pk)


def _submitted(request: HttpRequest, pk: int) -> bool:
    return own_case(request, pk).status != CaseStatus.DRAFT


def _draft_page(request: HttpRequest, case: Case, problems: Problems) -> HttpResponse:
    form = _application_form(case)
    field_errors = {
        key[5:]: message
        for key, message in problems.errors.items()
        if key and key.startswith("form.") and key[5:] in form.fields
    }
    # The messages of a submission are the service's (FieldErrors), put on the unbound form so
    # that each field shows its own with aria-invalid and aria-describedby (Django adds both).
    form._errors = ErrorDict({name: ErrorList([msg]) for name, msg in field_errors.items()})

    flash, notices = split_messages(request)
    attached = {cm.material_id: cm for cm in case.materials.select_related("file")}
    files = list(drive(request.user))
    rows = []
    for material in services.required_materials(case):
        given = attached.pop(material.pk, None)
        rows.append(
            {
                "material": material,
                "required": material.requirement == MaterialRequirement.ALWAYS,
                "given": given,
                "size": size_text(given.file.size) if given else "",
                "error": problems.get(f"material.{material.pk}"),
                "notices": notices.get(material.pk, []),
            }
        )
    methods = [(m, DeliveryMethod(m).label) for m in services.delivery_methods(case)]
    handling_items = list(case.version.handling_items.all())
    context = {
        "case": case,
        "version": case.version,
        "mode_text": MODE_TEXT.get(case.mode, ""),
        "form": form,
        "handling_items": handling_items,
        "methods": methods,
        "rows": rows,
        # attached for a material the chosen 办理情形 does not list (chosen before a change)
        "others": [{"given": cm, "size": size_text(cm.file.size)} for cm in attached.values()],
        "drive": [{"file": f, "size": size_text(f.size)} for f in files],
        "errors": {key: message for key, message in problems.errors.items() if key},
        "upload_hint": upload_hint(),
        "summary": _summary(problems, form, rows, handling_items, methods),
        "flash": flash,
    }
    return render(request, TEMPLATES + "edit.html", context)


def _summary(problems: Problems, form, rows, handling_items, methods) -> list[tuple[str, str]]:
    """(anchor, message) in the order of the page, for the error summary at the top."""
    errors = dict(problems.errors)
    items: list[tuple[str, str]] = []
    if None in errors:
        items.append(("", errors.pop(None)))
    for field in form:
        message = errors.pop(f"form.{field.name}", None)
        if message:
            label = field.label
            items.append((field.auto_id, message if label in message else f"{label}：{message}"))
    message = errors.pop("handling_item", None)
    if message:
        anchor = f"handling-{handling_items[0].pk}" if handling_items else ""
        items.append((anchor, message))
    for row in rows:
        material = row["material"]
        message = errors.pop(f"material.{material.pk}", None)
        if message:
            text = message if f"“{material.name}”" in message else f"{material.name}：{message}"
            items.append((f"material-{material.pk}-file", text))
    message = errors.pop("delivery_method", None)
    if message:
        items.append((f"delivery-{methods[0][0]}" if methods else "", message))
    message = errors.pop("delivery_address", None)
    if message:
        items.append(("id_delivery_address", message))
    items.extend(("", message) for message in errors.values())
    return items
