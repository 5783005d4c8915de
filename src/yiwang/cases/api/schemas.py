"""What the cases API takes and gives, and the builders that turn a case into its answer.

Everything an applicant sees of their own case is here; staff names are masked (REQUIREMENTS §2
"Display"), the applicant's own data is not (it is theirs). Download addresses point at the API
itself, which checks that the caller may see the case before it serves a file: stored materials
are never reachable by a path under /media/.

No ``from __future__ import annotations``: ninja reads the annotations at import time.
"""

import math
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema
from pydantic import PlainValidator, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from yiwang.accounts.constants import Role
from yiwang.cases import notices, services
from yiwang.cases.constants import ACTION_LABELS, CaseStatus, DeliveryMethod
from yiwang.cases.models import Case, CaseEvent, CaseMaterial, StoredFile
from yiwang.catalog import application_forms
from yiwang.catalog.api import Choice
from yiwang.catalog.constants import MaterialRequirement
from yiwang.catalog.identifiers import IMPLEMENTATION_CODE_PATTERN
from yiwang.core.converters import MAX_ID
from yiwang.core.masking import mask_name
from yiwang.core.problems import Problem

NoticeKind = Literal["accepted", "not_accepted", "supplement", "concluded"]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _form_value(value: Any) -> Any:
    """A value a form property can hold (application_forms: string, integer, number, boolean),
    checked in one step so that a wrong one gets one message, not one per possible type."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PydanticCustomError("finite_number", "应为有限的数值")
        return value
    if isinstance(value, str):
        if len(value) > application_forms.MAX_TEXT_LENGTH:
            raise PydanticCustomError("string_too_long", "长度超出限制")
        return value
    raise PydanticCustomError("form_value", "应为文字、数值、true/false 或 null")


# A property's name is at most 40 characters (application_forms), a text MAX_TEXT_LENGTH.
FormName = Annotated[str, StringConstraints(max_length=40)]
FormValue = Annotated[
    Any,
    PlainValidator(_form_value),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": application_forms.MAX_TEXT_LENGTH},
                {"type": "number"},
                {"type": "boolean"},
                {"type": "null"},
            ]
        }
    ),
]
FormData = dict[FormName, FormValue]


class CaseConflict(Problem):
    """409: the case is not in a state that allows the action."""

    case_status: str | None = Field(None, description="办件当前状态", examples=["reviewing"])
    allowed_actions: list[str] | None = Field(
        None, description="当前状态下可以进行的操作", examples=[["confirm_receipt"]]
    )


# --- input -----------------------------------------------------------------------------------


class StartIn(Schema):
    item_code: str = Field(
        ...,
        pattern=f"^{IMPLEMENTATION_CODE_PATTERN}$",
        description="事项的 31 位实施编码",
        examples=["11330203MB0000000A4000117009000"],
    )
    enterprise_uscc: str | None = Field(
        None,
        max_length=40,
        description="以企业身份申请时填写该企业的统一社会信用代码，须与当前办事身份"
        "（PUT /api/v1/me/acting-enterprise）一致；不填则按当前办事身份申请",
    )
    channel: Literal["app", "kiosk", "hotline", "api"] = Field(
        "api",
        description="申请渠道：app 移动端，kiosk 自助终端，hotline 热线代填，api 其他系统",
    )


class DraftIn(Schema):
    """Only the members sent are changed (nothing is checked before submission)."""

    form: FormData | None = Field(
        None,
        max_length=application_forms.MAX_PROPERTIES,
        description="申请表内容（整体替换）：表单项名称 → 值，表单见办件详情的 form_schema",
    )
    handling_item_id: Id | None = Field(None, description="办理情形 id；null 清除所选情形")
    delivery_method: DeliveryMethod | None = Field(
        None, description="结果送达方式：pickup 窗口领取 / express 邮寄送达 / electronic 电子送达"
    )
    delivery_address: str | None = Field(None, max_length=300, description="邮寄地址")


class SubmitIn(Schema):
    form: FormData | None = Field(
        None,
        max_length=application_forms.MAX_PROPERTIES,
        description="提交时一并保存的申请表内容（不填则用已保存的草稿）",
    )


class AttachFromDriveIn(Schema):
    material_id: Id | None = Field(None, description="指南材料 id；不填为其他材料")
    stored_file_id: Id = Field(description="我的材料中的文件 id")


class AttachUploadIn(Schema):
    material_id: Id | None = Field(None, description="指南材料 id；不填为其他材料")


class WithdrawIn(Schema):
    reason: str = Field("", max_length=300, description="撤回原因（可不填）")


class CaseFilter(Schema):
    status: CaseStatus | None = Field(None, description="只列出该状态的办件")


# --- output ----------------------------------------------------------------------------------


class ItemRef(Schema):
    code: str = Field(description="31 位实施编码")
    name: str = Field(description="申请时的事项名称", examples=["食品经营许可"])
    version: int = Field(description="申请时的指南版本号")


class _CaseFields(Schema):
    id: int
    number: str | None = Field(description="统一办件编号；草稿为 null")
    item: ItemRef
    status: Choice
    mode: Choice = Field(description="办理模式：原件预审 / 原件核验 / 全程网办")
    applicant_name: str = Field(description="申请人（个人或单位）名称")
    enterprise_uscc: str | None = Field(description="以企业身份申请时的统一社会信用代码")
    created_at: datetime
    submitted_at: datetime | None
    due_on: date | None = Field(description="下一个期限（受理或办结）；暂停计时期间不计")
    closed_at: datetime | None


class CaseSummary(_CaseFields):
    """One line of 我的办件 (read from the case row, so a page loads only its own rows)."""

    @staticmethod
    def resolve_item(case: Case) -> dict:
        return _item_ref(case)

    @staticmethod
    def resolve_status(case: Case) -> dict:
        return _choice(case.status, case.get_status_display())

    @staticmethod
    def resolve_mode(case: Case) -> dict:
        return _choice(case.mode, case.get_mode_display())

    @staticmethod
    def resolve_enterprise_uscc(case: Case) -> str | None:
        return case.enterprise.uscc if case.enterprise_id else None


class MaterialFileOut(Schema):
    id: int
    name: str = Field(description="文件名（扩展名与内容一致）", examples=["营业执照.pdf"])
    label: str = Field(description="上传时对应的材料名称")
    kind: str = Field(description="pdf / jpg / png / ofd（按内容识别）")
    content_type: str = Field(examples=["application/pdf"])
    size: int = Field(description="字节数")
    created_at: datetime
    download_url: str


class StoredFileOut(MaterialFileOut):
    """A file of 我的材料."""

    @staticmethod
    def resolve_download_url(stored: StoredFile, context) -> str:
        return _url(context["request"], "my-material-file", stored.pk)


class CaseMaterialOut(Schema):
    id: int = Field(description="办件材料 id（删除时用）")
    material_id: int | None = Field(description="指南材料 id；其他材料为 null")
    name: str
    state: Choice = Field(description="已提交 / 合格 / 需补正")
    problem: str = Field(description="需补正时存在的问题")
    attached_at: datetime
    file: MaterialFileOut
    notice: str = Field(
        "", description="上传时的提示，如“文件名是 .pdf，但内容是 PNG 图片”（已按实际内容保存）"
    )


class RequiredMaterialOut(Schema):
    id: int = Field(description="指南材料 id")
    name: str
    requirement: Choice = Field(description="必要 / 视情形提供 …")
    mandatory: bool = Field(description="提交前必须上传")
    given: bool = Field(description="已上传")


class HandlingItemRef(Schema):
    id: int
    name: str = Field(examples=["新办"])


class TimelineEntry(Schema):
    action: Choice
    step: str = Field(description="流程环节", examples=["受理"])
    from_status: str
    to_status: str
    actor: str = Field(description="办理人（姓名脱敏）", examples=["孙**"])
    role: str = Field(description="办理角色", examples=["窗口受理员"])
    organization: str = Field(description="办理机构")
    window: str = Field(description="窗口", examples=["A01 综合窗口"])
    at: datetime


class SupplementItemOut(Schema):
    material_id: int | None
    name: str
    problem: str


class SupplementOut(Schema):
    """The open 一次性告知 (行政许可法 第三十二条第一款第（四）项)."""

    document_number: str
    items: list[SupplementItemOut]
    note: str
    requested_at: datetime
    due_on: date = Field(description="补正期限")


class NoticeOut(Schema):
    kind: NoticeKind
    title: str = Field(examples=["受理通知书"])
    url: str = Field(description="PDF 下载地址")


class CaseOut(_CaseFields):
    """The whole case as its applicant sees it."""

    handling_item: HandlingItemRef | None
    handling_items: list[HandlingItemRef] = Field(description="可选的办理情形")
    form: dict[str, Any] = Field(description="申请表内容")
    form_schema: dict[str, Any] = Field(description="申请表（JSON Schema 子集）")
    delivery_method: Choice | None
    delivery_methods: list[Choice] = Field(description="可选的送达方式")
    delivery_address: str
    required_materials: list[RequiredMaterialOut] = Field(description="本次申请所需材料")
    materials: list[CaseMaterialOut] = Field(description="已提交的材料")
    accepted_at: datetime | None
    concluded_at: datetime | None
    statutory_due_on: date | None = Field(description="法定办结日")
    paused: bool = Field(description="暂停计时中（补正等）")
    visits: int = Field(description="已到现场次数")
    max_visits: int = Field(description="最多到现场次数")
    decision: Choice | None
    decision_opinion: str
    carrier: str
    tracking_number: str = Field(description="运单号")
    allowed_actions: list[Choice] = Field(description="申请人现在可以进行的操作")
    supplement: SupplementOut | None = Field(description="未完成的补正告知")
    notices: list[NoticeOut] = Field(description="可下载的文书")
    timeline: list[TimelineEntry]


class PublicStep(Schema):
    action: str = Field(examples=["受理"])
    step: str
    at: datetime
    organization: str


class PublicCaseOut(Schema):
    number: str
    item_name: str
    applicant: str = Field(description="申请人（个人姓名脱敏）", examples=["王**"])
    status: Choice
    submitted_at: datetime | None
    accepting_org: str
    competent_org: str
    due_on: date | None
    due_label: str = Field(
        description="due_on 的含义：受理期限（受理前）、承诺办结日（受理后）；办结或暂停时为空"
    )
    tracking: str = Field(description="邮寄送达的承运方和运单号；未寄出时为空")
    steps: list[PublicStep] = Field(description="办理过程（只列机构，不列人员）")


# --- builders --------------------------------------------------------------------------------


def _choice(code: str, label) -> dict[str, str]:
    return {"code": str(code), "name": str(label)}


def _url(request: HttpRequest, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(f"api-v1:{name}", args=args))


def _case_file(request: HttpRequest, entry: CaseMaterial) -> dict:
    """A case's file, downloaded through the case: whoever may see the case may read it (a
    colleague who took an enterprise's case over), and it stays there after leaving 我的材料."""
    stored = entry.file
    return {
        "id": stored.pk,
        "name": stored.name,
        "label": stored.label,
        "kind": stored.kind,
        "content_type": stored.content_type,
        "size": stored.size,
        "created_at": stored.created_at,
        "download_url": _url(request, "case-material-file", entry.case_id, entry.pk),
    }


def case_material_out(request: HttpRequest, entry: CaseMaterial) -> dict:
    return {
        "id": entry.pk,
        "material_id": entry.material_id,
        "name": entry.name,
        "state": _choice(entry.state, entry.get_state_display()),
        "problem": entry.problem,
        "attached_at": entry.attached_at,
        "file": _case_file(request, entry),
        "notice": getattr(entry, "notice", ""),
    }


def _item_ref(case: Case) -> dict:
    return {"code": case.item.code, "name": case.version.name, "version": case.version.number}


def _case_fields(case: Case) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "item": _item_ref(case),
        "status": _choice(case.status, case.get_status_display()),
        "mode": _choice(case.mode, case.get_mode_display()),
        "applicant_name": case.applicant_name,
        "enterprise_uscc": case.enterprise.uscc if case.enterprise_id else None,
        "created_at": case.created_at,
        "submitted_at": case.submitted_at,
        "due_on": case.due_on,
        "closed_at": case.closed_at,
    }


def _timeline_entry(event: CaseEvent) -> dict:
    # Persons are stored masked already; staff names are masked for the applicant's eyes.
    actor = mask_name(event.actor_name) if event.actor_id is not None else event.actor_name
    role = Role(event.actor_role).label if event.actor_role in Role.values else ""
    window = f"{event.window.number} {event.window.name}" if event.window_id else ""
    return {
        "action": _choice(event.action, event.get_action_display()),
        "step": event.step,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "actor": actor,
        "role": role,
        "organization": event.organization.name if event.organization_id else "",
        "window": window,
        "at": event.ended_at,
    }


def _applicant_actions(case: Case, user) -> list[dict]:
    # services.allowed_actions names who takes each action; "applicant" marks the applicant's.
    if not services.may_act_as_applicant(case, user):
        return []
    return [
        _choice(action, ACTION_LABELS[action])
        for action, who in services.allowed_actions(case).items()
        if who == "applicant"
    ]


def _open_supplement(case: Case) -> dict | None:
    request = case.supplements.filter(resolved_at__isnull=True).order_by("-id").first()
    if request is None or case.status != CaseStatus.SUPPLEMENT:
        return None
    return {
        "document_number": request.document_number,
        "items": [
            {
                "material_id": entry.get("material_id"),
                "name": entry.get("name", ""),
                "problem": entry.get("problem", ""),
            }
            for entry in request.items
        ],
        "note": request.note,
        "requested_at": request.requested_at,
        "due_on": request.due_on,
    }


def case_out(request: HttpRequest, case: Case, timeline: list[CaseEvent]) -> dict:
    """The detail of ``case`` for ``request.auth``, its applicant."""
    materials = list(case.materials.select_related("file").order_by("id"))
    given = {entry.material_id for entry in materials}
    required = services.required_materials(case)
    return {
        **_case_fields(case),
        "handling_item": (
            {"id": case.handling_item.pk, "name": case.handling_item.name}
            if case.handling_item_id
            else None
        ),
        "handling_items": [
            {"id": h.pk, "name": h.name} for h in case.version.handling_items.order_by("id")
        ],
        "form": case.form,
        "form_schema": application_forms.form_schema(case.version),
        "delivery_method": (
            _choice(case.delivery_method, case.get_delivery_method_display())
            if case.delivery_method
            else None
        ),
        "delivery_methods": [
            _choice(m, DeliveryMethod(m).label) for m in services.delivery_methods(case)
        ],
        "delivery_address": case.delivery_address or "",
        "required_materials": [
            {
                "id": m.pk,
                "name": m.name,
                "requirement": _choice(m.requirement, m.get_requirement_display()),
                "mandatory": m.requirement == MaterialRequirement.ALWAYS,
                "given": m.pk in given,
            }
            for m in required
        ],
        "materials": [case_material_out(request, entry) for entry in materials],
        "accepted_at": case.accepted_at,
        "concluded_at": case.concluded_at,
        "statutory_due_on": case.statutory_due_on,
        "paused": case.is_paused,
        "visits": case.visits,
        "max_visits": case.max_visits,
        "decision": (
            _choice(case.decision, case.get_decision_display()) if case.decision else None
        ),
        "decision_opinion": case.decision_opinion,
        "carrier": case.carrier,
        "tracking_number": case.tracking_number,
        "allowed_actions": _applicant_actions(case, request.auth),
        "supplement": _open_supplement(case),
        "notices": [
            {"kind": kind, "title": title, "url": _url(request, "case-notice", case.pk, kind)}
            for kind, title in (notices.available(case) if case.number else [])
        ],
        "timeline": [_timeline_entry(event) for event in timeline],
    }


def public_case_out(found) -> dict:
    return {
        "number": found.number,
        "item_name": found.item_name,
        "applicant": found.applicant,
        "status": _choice(found.status, found.status_label),
        "submitted_at": found.submitted_at,
        "accepting_org": found.accepting_org,
        "competent_org": found.competent_org,
        "due_on": found.due_on,
        "due_label": found.due_label,
        "tracking": found.tracking,
        "steps": found.steps,
    }
