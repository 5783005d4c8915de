"""/api/v1/cases/…: apply online from any channel (app, kiosk, hotline, other systems).

The same services as the portal's pages, so every channel gets the same rules and Chinese
messages. For signed-in persons (session; CSRF-checked on writes). A case is the caller's
within their current 办事身份 — themselves, or the enterprise chosen with
``PUT /api/v1/me/acting-enterprise`` — exactly as on the portal; any other case, another
person's included, is a 404 like one that does not exist.

Every write honours ``Idempotency-Key`` (``yiwang.api.idempotency``): a submission retried after
a lost answer gets the first answer and files one case. ``submit`` is idempotent on its own too.

No ``from __future__ import annotations``: ninja reads the annotations at import time.
"""

import json
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Query, Router
from ninja.errors import ValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from yiwang.accounts import services as accounts
from yiwang.accounts.api.sessions import PersonSession
from yiwang.cases import notices, selectors, services
from yiwang.cases.api.schemas import (
    AttachFromDriveIn,
    AttachUploadIn,
    CaseConflict,
    CaseFilter,
    CaseMaterialOut,
    CaseOut,
    CaseSummary,
    DraftIn,
    NoticeKind,
    StartIn,
    SubmitIn,
    WithdrawIn,
    case_material_out,
    case_out,
)
from yiwang.cases.documents import NOTICE_TITLES
from yiwang.cases.models import Case, StoredFile
from yiwang.catalog import selectors as catalog
from yiwang.core.errors import Conflict, DomainError, NotFound
from yiwang.core.http import client_ip
from yiwang.core.pagination import limit_offset
from yiwang.core.problems import Problem
from yiwang.core.uploads import ALLOWED_KINDS

router = Router(tags=["网上办事"], auth=PersonSession())

ERRORS = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    409: CaseConflict,
    422: Problem,
}
CASE = "/cases/{id:case_id}"
Pagination = limit_offset("CasesPageParams", default=20, maximum=100)

FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})
BINARY = {"schema": {"type": "string", "format": "binary"}}
# A stored material is one of the kinds core.uploads accepts, served with its content type.
MATERIAL_DOWNLOAD = {
    "responses": {
        200: {
            "description": "文件内容（附件下载）",
            "content": {kind.content_type: BINARY for kind in ALLOWED_KINDS.values()},
        }
    }
}


# --- helpers ---------------------------------------------------------------------------------


def _acting(request: HttpRequest):
    return accounts.acting_enterprise(request.session, request.auth)


def _my_case(request: HttpRequest, case_id: int) -> Case:
    """The caller's case in their current 办事身份, or 404 (another's looks like none)."""
    return selectors.case_for_applicant(request.auth, case_id, enterprise=_acting(request))


def _detail(request: HttpRequest, case_id: int) -> dict:
    case = _my_case(request, case_id)
    return case_out(request, case, selectors.timeline(case))


def _validated(model: type[BaseModel], data: Any, source: str) -> Any:
    """``data`` checked against ``model`` with ninja's 422 (for bodies ninja cannot parse itself:
    one operation that takes multipart or JSON)."""
    try:
        return model.model_validate(data)
    except PydanticError as exc:
        raise ValidationError(
            [{**error, "loc": (source, *error["loc"])} for error in exc.errors()]
        ) from exc


def _json_body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError([{"loc": ("body",), "type": "json_invalid"}]) from exc


def _optional_body(request: HttpRequest, model: type[BaseModel]) -> Any:
    """The JSON body checked against ``model``, or None when the request has none: a button
    that only says "submit" or "withdraw" sends nothing (ninja would refuse the empty body)."""
    if request.content_type in FORM_TYPES:  # an HTML form's post, maybe without fields
        fields = request.POST.dict()
        return _validated(model, fields, "form") if fields else None
    if not request.body.strip():
        return None
    return _validated(model, _json_body(request), "body")


def _optional(model: type[BaseModel]) -> dict:
    """``openapi_extra`` documenting ``model`` as an optional JSON body."""
    return {
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }


def file_response(stored: StoredFile) -> FileResponse:
    """The stored file as an attachment under its name, with the content type found by its
    content (never the one the uploader claimed)."""
    try:
        handle = stored.file.open("rb")
    except OSError as exc:  # a file removed from storage behind the platform's back
        raise NotFound("文件已不存在，请重新上传", field="file") from exc
    return FileResponse(
        handle, as_attachment=True, filename=stored.name, content_type=stored.content_type
    )


# --- applying --------------------------------------------------------------------------------


@router.post("/cases", response={201: CaseOut, **ERRORS}, summary="开始申请（创建草稿）")
def start(request: HttpRequest, payload: StartIn):
    """Open a draft application for a published item that can be applied for online, with the
    form prefilled from the caller's profile (and the acting enterprise's). Only the legal
    representative, or a grantee whose scope covers the item, applies for an enterprise (403).
    """
    try:
        item = catalog.get_item(payload.item_code)
    except DomainError as exc:
        exc.field = "item_code"
        raise
    acting = _acting(request)
    if payload.enterprise_uscc is not None:
        wanted = payload.enterprise_uscc.strip().upper()
        if acting is None or acting.uscc != wanted:
            now = f"“{acting.name}”" if acting is not None else "个人"
            raise Conflict(
                f"当前办事身份是{now}，与 enterprise_uscc 不一致；"
                "请先切换办事身份（PUT /api/v1/me/acting-enterprise）再申请",
                field="enterprise_uscc",
            )
    case = services.start_application(
        request.auth, item, enterprise=acting, channel=payload.channel, ip=client_ip(request)
    )
    return Status(201, _detail(request, case.pk))


@router.patch(f"{CASE}", response={200: CaseOut, **ERRORS}, summary="保存草稿")
def save_draft(request: HttpRequest, case_id: int, payload: DraftIn):
    """Keep what was filled in so far; only the members sent change (``form`` is replaced as a
    whole). Nothing is checked until submission, so a half-filled draft is saved as it is."""
    case = _my_case(request, case_id)
    sent = payload.model_fields_set
    changes: dict[str, Any] = {}
    if "form" in sent and payload.form is not None:
        changes["form"] = payload.form
    if "handling_item_id" in sent:
        # the service reads None as "unchanged" and "" as "no handling item"
        changes["handling_item_id"] = payload.handling_item_id or ""
    if "delivery_method" in sent and payload.delivery_method is not None:
        changes["delivery_method"] = payload.delivery_method
    if "delivery_address" in sent:
        changes["delivery_address"] = payload.delivery_address or ""
    services.save_draft(case.pk, request.auth, **changes)
    return _detail(request, case.pk)


@router.post(
    f"{CASE}/materials",
    response={201: CaseMaterialOut, **ERRORS},
    summary="提交材料",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            **AttachUploadIn.model_json_schema()["properties"],
                            "file": {
                                "type": "string",
                                "format": "binary",
                                "description": "PDF、JPG、PNG 或 OFD 文件（按内容识别）",
                            },
                        },
                        "required": ["file"],
                    }
                },
                "application/json": {"schema": AttachFromDriveIn.model_json_schema()},
            },
        }
    },
)
def attach(request: HttpRequest, case_id: int):
    """Give a file for one material of the guide: upload it (multipart: ``material_id``,
    ``file``), or choose one from 我的材料 (JSON: ``material_id``, ``stored_file_id``). A new
    upload is checked by its content — an executable renamed ``.pdf`` is refused with a message
    saying what it is — and kept in 我的材料 for later applications. Allowed on a draft, and
    during 补正 for the materials the notice named. A material given again replaces the file."""
    case = _my_case(request, case_id)
    if request.content_type in FORM_TYPES:
        fields = {k: v for k, v in request.POST.items() if v != ""}
        data = _validated(AttachUploadIn, fields, "form")
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("请选择要上传的文件", field="file")
        entry = services.attach_material(
            case.pk,
            request.auth,
            material_id=data.material_id,
            upload=upload,
            file_name=upload.name or "",
        )
    else:
        data = _validated(AttachFromDriveIn, _json_body(request), "body")
        entry = services.attach_material(
            case.pk,
            request.auth,
            material_id=data.material_id,
            stored_file_id=data.stored_file_id,
        )
    return Status(201, case_material_out(request, entry))


@router.delete(
    f"{CASE}/materials/{{id:case_material_id}}",
    response={204: None, **ERRORS},
    summary="删除草稿中的材料",
)
def detach(request: HttpRequest, case_id: int, case_material_id: int):
    """Take a file off a draft; it stays in 我的材料."""
    case = _my_case(request, case_id)
    services.detach_material(case.pk, request.auth, case_material_id=case_material_id)
    return Status(204, None)


@router.get(
    f"{CASE}/materials/{{id:case_material_id}}/file",
    response={200: None, **ERRORS},
    summary="下载办件材料",
    url_name="case-material-file",
    openapi_extra=MATERIAL_DOWNLOAD,
)
def material_file(request: HttpRequest, case_id: int, case_material_id: int):
    """One file the case was given, to the case's applicant only."""
    case = _my_case(request, case_id)
    entry = case.materials.select_related("file").filter(pk=case_material_id).first()
    if entry is None:
        raise NotFound("材料不存在", field="case_material_id")
    return file_response(entry.file)


@router.post(
    f"{CASE}/submit",
    response={200: CaseOut, **ERRORS},
    summary="提交申请",
    openapi_extra=_optional(SubmitIn),
)
def submit(request: HttpRequest, case_id: int):
    """Check the application and submit it: it gets its 统一办件编号 and goes to pre-review or
    acceptance. Everything wrong comes back at once as a 422 whose ``errors`` name each place:
    ``form.<表单项>``, ``material.<材料 id>``, ``handling_item``, ``delivery_method``,
    ``delivery_address``. Submitting a submitted case returns it unchanged (one case, however
    often the request is repeated)."""
    case = _my_case(request, case_id)
    payload = _optional_body(request, SubmitIn)
    form = payload.form if payload is not None else None
    services.submit(case.pk, request.auth, form=form, ip=client_ip(request))
    return _detail(request, case.pk)


@router.post(f"{CASE}/supplement", response={200: CaseOut, **ERRORS}, summary="提交补正")
def supplement(request: HttpRequest, case_id: int):
    """Hand in the supplemented materials: each material the 一次性告知 named must have been
    uploaded again since the notice (422 naming the missing ones); the time limit runs again."""
    case = _my_case(request, case_id)
    services.supplement(case.pk, request.auth, ip=client_ip(request))
    return _detail(request, case.pk)


@router.post(
    f"{CASE}/withdraw",
    response={200: CaseOut, **ERRORS},
    summary="撤回申请",
    openapi_extra=_optional(WithdrawIn),
)
def withdraw(request: HttpRequest, case_id: int):
    """Withdraw an application that has not been accepted yet (409 once it has)."""
    case = _my_case(request, case_id)
    payload = _optional_body(request, WithdrawIn)
    reason = payload.reason if payload is not None else ""
    services.withdraw(case.pk, request.auth, reason=reason, ip=client_ip(request))
    return _detail(request, case.pk)


@router.post(f"{CASE}/receipt", response={200: CaseOut, **ERRORS}, summary="确认签收")
def confirm_receipt(request: HttpRequest, case_id: int):
    """签收: the result sent by post has arrived; the case ends."""
    case = _my_case(request, case_id)
    services.confirm_receipt(case.pk, request.auth, ip=client_ip(request))
    return _detail(request, case.pk)


# --- reading ---------------------------------------------------------------------------------


@router.get("/cases", response={200: list[CaseSummary], **ERRORS}, summary="我的办件")
@paginate(Pagination)
def my_cases(request: HttpRequest, filters: Query[CaseFilter]):
    """The caller's applications in their current 办事身份 (drafts included), newest first."""
    cases = selectors.cases_of(request.auth, enterprise=_acting(request)).select_related(
        "enterprise"
    )
    if filters.status is not None:
        cases = cases.filter(status=filters.status)
    return cases


@router.get(f"{CASE}", response={200: CaseOut, **ERRORS}, summary="办件详情")
def detail(request: HttpRequest, case_id: int):
    """Status, number, deadlines, materials, the open 补正 request, the notices to download,
    the timeline (staff names masked) and what the applicant can do now."""
    return _detail(request, case_id)


@router.get(
    f"{CASE}/notices/{{kind}}",
    response={200: None, **ERRORS},
    summary="下载文书",
    url_name="case-notice",
    openapi_extra={
        "responses": {200: {"description": "PDF 文书", "content": {"application/pdf": BINARY}}}
    },
)
def notice(request: HttpRequest, case_id: int, kind: NoticeKind):
    """受理通知书 (accepted), 不予受理决定书 (not_accepted), 补正材料通知书 (supplement) or
    办结通知书 (concluded) as PDF — each only once the case has it (404 before)."""
    case = _my_case(request, case_id)
    if case.number is None:
        raise NotFound("该办件没有这份文书", field="kind")
    pdf = notices.notice_for(case, kind, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{NOTICE_TITLES[kind]}-{case.number}.pdf"
    )
    return response
