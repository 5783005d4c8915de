"""The applicant's side: start an application, fill it, attach materials, submit, supplement,
withdraw (REQUIREMENTS §2 "Applying"; seed 001 ch. 5 §(一)2(4))."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yiwang.accounts.services.acting import can_act_for
from yiwang.cases import clock, workflow
from yiwang.cases.constants import (
    MODE_MAX_VISITS,
    Action,
    CaseStatus,
    DeliveryMethod,
    MaterialState,
    OnlineMode,
    mode_for_depth,
)
from yiwang.cases.models import Case, CaseMaterial, StoredFile
from yiwang.cases.numbers import issue_number
from yiwang.cases.routing import accepting_organization
from yiwang.cases.services._common import (
    end_open_pause,
    lock,
    may_act_as_applicant,
    record_event,
    require,
    save,
    status_for_step,
)
from yiwang.catalog import application_forms
from yiwang.catalog.constants import MaterialRequirement, StepRole
from yiwang.catalog.models import ServiceItem
from yiwang.core import uploads
from yiwang.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from yiwang.core.identifiers import to_region12

__all__ = [
    "application_errors",
    "attach_material",
    "delivery_methods",
    "detach_material",
    "online_mode",
    "remove_from_drive",
    "required_materials",
    "save_draft",
    "start_application",
    "store_file",
    "submit",
    "supplement",
    "withdraw",
]


def online_mode(version) -> OnlineMode | None:
    """How ``version``'s item is applied for online, or None when it cannot be."""
    return mode_for_depth(version.online_depth, fully_online=version.is_fully_online)


def _own_draft(case_id: int, user) -> Case:
    case = lock(case_id)
    if not may_act_as_applicant(case, user):
        raise NotFound("办件不存在")
    return case


@transaction.atomic
def start_application(
    user,
    item: ServiceItem,
    *,
    enterprise=None,
    station=None,
    channel: str = "web",
    ip: str | None = None,
) -> Case:
    """Open a draft application for ``item`` (the guide page's 在线办理), prefilled from the
    applicant's profile and the acting enterprise.

    Rules: only a real-name person applies (REQUIREMENTS §2: real-name accounts); for an
    enterprise only its legal representative or a grantee whose scope covers the item
    (seed 001 ch. 5 §(一)2, 授权范围); only published items whose guide allows online handling.
    """
    if not getattr(user, "is_person", False):
        raise Forbidden("请使用个人实名账号申请")
    if not item.is_public:
        raise NotFound("该事项已取消或尚未发布，无法申请")
    version = item.current_version
    mode = online_mode(version)
    if mode is None:
        raise DomainError("该事项暂不支持网上办理，请按办事指南到窗口办理", field="item")
    if enterprise is not None and not can_act_for(user, enterprise, item_code=item.code):
        raise Forbidden("您没有代表该企业办理此事项的授权")
    schema = application_forms.form_schema(version)
    case = Case(
        item=item,
        version=version,
        mode=mode,
        status=CaseStatus.DRAFT,
        applicant=user,
        enterprise=enterprise,
        applicant_name=enterprise.name if enterprise is not None else user.name,
        accepting_org=accepting_organization(item, version, station=station),
        competent_org=item.organization,
        station=station,
        channel=channel,
        max_visits=MODE_MAX_VISITS[mode],
        promised_days=version.promised_time_limit,
        statutory_days=version.statutory_time_limit,
        delivery_method=_default_delivery(version, mode),
        submission_token=uuid.uuid4(),
    )
    case.form = application_forms.prefill(schema, person=user, enterprise=enterprise)
    handling = list(version.handling_items.all()[:2])
    if len(handling) == 1:
        case.handling_item = handling[0]  # nothing to choose
    case.save()
    return case


def _default_delivery(version, mode: str) -> str:
    if mode == OnlineMode.FULLY_ONLINE:
        return (
            DeliveryMethod.EXPRESS
            if version.express_delivery_supported
            else DeliveryMethod.ELECTRONIC
        )
    return DeliveryMethod.PICKUP


def _handling_item(case: Case, handling_item_id):
    if handling_item_id in (None, ""):
        return None
    found = case.version.handling_items.filter(pk=handling_item_id).first()
    if found is None:
        raise DomainError("所选办理情形不属于该事项", field="handling_item")
    return found


def delivery_methods(case: Case) -> list[str]:
    """The ways the result can reach this applicant: by post only when the guide supports it;
    a 全程网办 case never asks the applicant to come (REQUIREMENTS §2)."""
    methods = []
    if case.mode != OnlineMode.FULLY_ONLINE:
        methods.append(DeliveryMethod.PICKUP)
    if case.version.express_delivery_supported or case.mode == OnlineMode.FULLY_ONLINE:
        methods.append(DeliveryMethod.EXPRESS)
    methods.append(DeliveryMethod.ELECTRONIC)
    return methods


@transaction.atomic
def save_draft(
    case_id: int,
    user,
    *,
    form: dict | None = None,
    handling_item_id=None,
    delivery_method: str | None = None,
    delivery_address: str | None = None,
) -> Case:
    """Keep what the applicant has typed so far (nothing is validated until submission: a draft
    may be half done)."""
    case = _own_draft(case_id, user)
    if case.status != CaseStatus.DRAFT:
        raise DomainError("申请已提交，不能再修改草稿", field="action")
    fields = []
    if form is not None:
        case.form = {k: v for k, v in form.items() if isinstance(k, str)}
        fields.append("form_text")
    if handling_item_id is not None:
        case.handling_item = _handling_item(case, handling_item_id)
        fields.append("handling_item")
    if delivery_method is not None:
        if delivery_method not in delivery_methods(case):
            raise DomainError("该事项不支持所选送达方式", field="delivery_method")
        case.delivery_method = delivery_method
        fields.append("delivery_method")
    if delivery_address is not None:
        case.delivery_address = delivery_address.strip()[:300]
        fields.append("delivery_address")
    if fields:
        case.save(update_fields=[*fields, "updated_at"])
    return case


def required_materials(case: Case) -> list:
    """The materials this application needs: those of the chosen 办理情形, or else every
    material of the guide; 视情形提供 ones are optional (the applicant knows their situation)."""
    if case.handling_item_id is not None:
        materials = list(case.handling_item.materials.all().order_by("order", "id"))
    else:
        materials = list(case.version.materials.all().order_by("order", "id"))
    return materials


def _mandatory(case: Case) -> list:
    return [m for m in required_materials(case) if m.requirement == MaterialRequirement.ALWAYS]


def store_file(user, upload, *, name: str, label: str = "", in_drive: bool = True) -> StoredFile:
    """Check ``upload`` by content (:mod:`yiwang.core.uploads`) and store it as ``user``'s.

    The file is written first, then its row in a transaction of its own; if the row cannot be
    written the file is removed again. So a row never points at a missing file, and a stored
    file is the user's (listed in 我的材料) before any case uses it. A process killed between
    the two leaves a file without a row, which ``yiwang cases sweep-files`` removes.
    """
    checked = uploads.check_upload(upload, name=name, field="file")
    if isinstance(upload, bytes):
        data = upload
    else:
        upload.seek(0)
        data = upload.read()
    stored = StoredFile(
        owner=user,
        name=checked.stored_name,
        label=label[:200],
        kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        in_drive=in_drive,
    )
    stored.file.save(f"{uuid.uuid4().hex}{checked.extension}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            stored.save()
    except BaseException:
        stored.file.delete(save=False)
        raise
    # not a column: what the applicant should be told about this upload (a PNG named .pdf)
    stored.notice = checked.notice
    return stored


def _attachable(case: Case, material_id: int | None, extra_name: str = ""):
    material = None
    if material_id is not None:
        material = case.version.materials.filter(pk=material_id).first()
        if material is None:
            raise DomainError("该材料不属于此事项的申请材料", field="material")
    if case.status == CaseStatus.SUPPLEMENT:
        request = case.supplements.filter(resolved_at__isnull=True).order_by("-id").first()
        entries = request.items if request else []
        named = {e.get("material_id") for e in entries if e.get("material_id") is not None}
        extras = {e["name"] for e in entries if e.get("material_id") is None}
        if material_id is None and extra_name not in extras:
            raise DomainError("补正期间只能提交补正告知书中列出的材料", field="material")
        if material_id is not None and material_id not in named:
            raise DomainError("补正期间只能提交补正告知书中列出的材料", field="material")
    elif case.status != CaseStatus.DRAFT:
        raise DomainError("申请已提交，不能再更换材料", field="material")
    return material


def attach_material(
    case_id: int,
    user,
    *,
    material_id: int | None,
    upload=None,
    file_name: str = "",
    stored_file_id: int | None = None,
    extra_name: str = "",
) -> CaseMaterial:
    """Give a file for one material of the guide: a new upload, or one from 我的材料.

    Allowed while the application is a draft, and during 补正 for the materials the notice named.
    The result's ``notice`` (not a column) says when an upload's name did not match its content.
    A new upload is stored (and kept in 我的材料) before it is attached, in two transactions, so
    a failure in between leaves a file in the drive and no half-attached material. A material
    the guide does not list (one the 一次性告知 asked for by name) is given with ``extra_name``.
    """
    extra_name = (extra_name or "").strip()[:200]
    with transaction.atomic():
        material = _attachable(_own_draft(case_id, user), material_id, extra_name)
    if stored_file_id is not None:
        stored = StoredFile.objects.filter(pk=stored_file_id, owner=user, in_drive=True).first()
        if stored is None:
            raise DomainError("我的材料中没有这个文件", field="stored_file")
    elif upload is not None:
        label = material.name if material is not None else extra_name
        stored = store_file(
            user, upload, name=file_name or getattr(upload, "name", ""), label=label
        )
    else:
        raise DomainError("请选择要上传的文件", field="file")
    with transaction.atomic():
        case = _own_draft(case_id, user)
        material = _attachable(case, material_id, extra_name)  # again, under the lock
        if material is not None:
            existing = case.materials.filter(material=material).first()
        elif extra_name:
            existing = case.materials.filter(material__isnull=True, name=extra_name).first()
        else:
            existing = None
        if existing is not None:
            existing.file = stored
            existing.attached_at = timezone.now()
            existing.save(update_fields=["file", "attached_at"])
            attached = existing
        else:
            attached = CaseMaterial.objects.create(
                case=case,
                material=material,
                name=material.name
                if material is not None
                else extra_name or stored.label or stored.name,
                file=stored,
            )
    attached.notice = getattr(stored, "notice", "")
    return attached


@transaction.atomic
def detach_material(case_id: int, user, *, case_material_id: int) -> None:
    """Take a file off a draft (it stays in 我的材料)."""
    case = _own_draft(case_id, user)
    if case.status != CaseStatus.DRAFT:
        raise DomainError("申请已提交，不能再删除材料", field="material")
    deleted, _ = case.materials.filter(pk=case_material_id).delete()
    if not deleted:
        raise NotFound("材料不存在")


def remove_from_drive(user, stored_file_id: int) -> None:
    """Hide a file from 我的材料 (cases that used it keep it)."""
    updated = StoredFile.objects.filter(pk=stored_file_id, owner=user).update(in_drive=False)
    if not updated:
        raise NotFound("文件不存在")


def _check_application(case: Case, form: dict) -> dict:
    schema = application_forms.form_schema(case.version)
    clean, errors = application_forms.validate(schema, form)
    errors = {f"form.{k}": v for k, v in errors.items()}
    if case.version.handling_items.exists() and case.handling_item_id is None:
        errors["handling_item"] = "请选择办理情形"
    given = set(case.materials.values_list("material_id", flat=True))
    for material in _mandatory(case):
        if material.pk not in given:
            errors[f"material.{material.pk}"] = f"请上传“{material.name}”"
    if case.delivery_method not in delivery_methods(case):
        errors["delivery_method"] = "请选择结果送达方式"
    if case.delivery_method == DeliveryMethod.EXPRESS and not (case.delivery_address or "").strip():
        errors["delivery_address"] = "选择邮寄送达时请填写收件地址"
    if errors:
        raise FieldErrors(errors)
    return clean


def application_errors(case_id: int, user) -> dict[str, str]:
    """What :func:`submit` would refuse now, without submitting — so a page that already has an
    upload to refuse can show every other problem in the same answer."""
    case = _own_draft(case_id, user)
    if case.status != CaseStatus.DRAFT:
        return {}
    try:
        _check_application(case, case.form)
    except FieldErrors as exc:
        return exc.errors
    return {}


def _region_code(case: Case) -> str:
    region = case.accepting_org.region_id or case.item.region_id
    return region or to_region12(settings.HOME_REGION)


@transaction.atomic
def submit(case_id: int, user, *, form: dict | None = None, ip: str | None = None) -> Case:
    """Submit the application: check it, give it its 统一办件编号 and start its process.

    Rules: the form passes the item version's schema; every 必要 material is attached; a
    handling item is chosen when the guide has them. A 原件预审 case waits for the window's
    pre-review; the others are received online (互联网收件) and wait for acceptance. A second
    submission is refused (409); a retried API request with the same ``Idempotency-Key`` gets
    the first answer, and the pages carry a one-time token.
    """
    case = _own_draft(case_id, user)
    require(case, Action.SUBMIT, user)  # a second submission is a 409 naming the case's state
    if form is not None:
        case.form = form
    case.form = _check_application(case, case.form)
    now = timezone.now()
    case.submitted_at = now
    case.number = issue_number(_region_code(case), clock.local_date(now))
    first = workflow.start(case)
    case.status = status_for_step(first, case.mode)
    if case.mode != OnlineMode.PRE_REVIEW and first.role == StepRole.RECEIVE:
        # 互联网收件: the platform receives the complete application online.
        nxt = workflow.complete(case, first.role, {"by": "platform"})
        case.status = status_for_step(nxt, case.mode)
    save(case, "form_text", "submitted_at", "number", "status")
    record_event(case, Action.SUBMIT, from_status=CaseStatus.DRAFT, actor=user, step="申请", ip=ip)
    ServiceItem.objects.filter(pk=case.item_id).update(application_count=F("application_count") + 1)
    return case


@transaction.atomic
def supplement(case_id: int, user, *, ip: str | None = None) -> Case:
    """Hand in the supplemented materials: every material the 一次性告知 named must have been
    given again since the notice; the clock resumes (行政许可法 第四十五条: the 补正 time is not
    counted)."""
    case = lock(case_id)
    require(case, Action.SUPPLEMENT, user)
    request = case.supplements.filter(resolved_at__isnull=True).order_by("-id").first()
    errors = {}
    for index, entry in enumerate(request.items if request else []):
        material_id = entry.get("material_id")
        given = case.materials.filter(attached_at__gt=request.requested_at)
        if material_id is None:
            # a material outside the guide, asked for by name: it must come too
            if not given.filter(material__isnull=True, name=entry["name"]).exists():
                errors[f"extra.{index}"] = f"请上传“{entry['name']}”"
        elif not given.filter(material_id=material_id).exists():
            errors[f"material.{material_id}"] = f"请重新上传“{entry['name']}”"
    if errors:
        raise FieldErrors(errors)
    now = timezone.now()
    # the problems stay on the 一次性告知 (SupplementRequest); the materials are fresh now
    case.materials.filter(state=MaterialState.TO_SUPPLEMENT).update(
        state=MaterialState.SUBMITTED, problem=""
    )
    before = case.status
    if request is not None:
        request.resolved_at = now
        request.save(update_fields=["resolved_at"])
        case.status = request.return_status
    end_open_pause(case, now)
    save(case, "status", "paused_since", "paused_days")
    record_event(case, Action.SUPPLEMENT, from_status=before, actor=user, step="补正", ip=ip)
    return case


@transaction.atomic
def withdraw(case_id: int, user, *, reason: str = "", ip: str | None = None) -> Case:
    """Withdraw an application that has not been accepted yet (撤回申请)."""
    case = lock(case_id)
    require(case, Action.WITHDRAW, user)
    before = case.status
    now = timezone.now()
    end_open_pause(case, now)
    case.status = CaseStatus.WITHDRAWN
    case.closed_at = now
    workflow.cancel(case)
    save(case, "status", "closed_at", "paused_since", "paused_days")
    record_event(
        case, Action.WITHDRAW, from_status=before, actor=user, opinion=reason.strip()[:300], ip=ip
    )
    return case
