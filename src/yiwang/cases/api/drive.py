"""/api/v1/me/materials: 我的材料, the files a person keeps for reuse in applications.

Every file is checked by its content when uploaded (``yiwang.core.uploads``) and belongs to the
person who uploaded it; another person's file is a 404 like one that does not exist. Removing a
file from 我的材料 only hides it: the cases that used it keep it.

No ``from __future__ import annotations``: ninja reads the annotations at import time.
"""

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from yiwang.accounts.api.sessions import PersonSession
from yiwang.cases import selectors, services
from yiwang.cases.api.applications import ERRORS, MATERIAL_DOWNLOAD, file_response
from yiwang.cases.api.schemas import StoredFileOut
from yiwang.core.errors import NotFound
from yiwang.core.pagination import limit_offset

router = Router(tags=["我的材料"], auth=PersonSession())

Pagination = limit_offset("MaterialsPageParams", default=20, maximum=100)
DRIVE_ERRORS = {k: v for k, v in ERRORS.items() if k != 409}


class DriveUploadIn(Schema):
    label: str = Field("", max_length=200, description="材料名称，如“营业执照”（可不填）")


def _drive(user):
    return selectors.drive_of(user)


@router.get(
    "/me/materials", response={200: list[StoredFileOut], **DRIVE_ERRORS}, summary="我的材料"
)
@paginate(Pagination)
def my_materials(request: HttpRequest):
    """The caller's files kept for reuse, newest first."""
    return _drive(request.auth)


@router.post(
    "/me/materials", response={201: StoredFileOut, **DRIVE_ERRORS}, summary="上传到我的材料"
)
def upload(request: HttpRequest, file: File[UploadedFile], payload: Form[DriveUploadIn]):
    """Upload a PDF, JPG, PNG or OFD file (checked by content; an executable renamed ``.pdf``
    is refused with a message saying what it is) to use in later applications."""
    stored = services.store_file(
        request.auth, file, name=file.name or "", label=payload.label.strip()
    )
    return Status(201, stored)


@router.delete(
    "/me/materials/{id:stored_file_id}",
    response={204: None, **DRIVE_ERRORS},
    summary="移出我的材料",
)
def remove(request: HttpRequest, stored_file_id: int):
    """Hide a file from 我的材料; cases that used it keep it."""
    services.remove_from_drive(request.auth, stored_file_id)
    return Status(204, None)


@router.get(
    "/me/materials/{id:stored_file_id}/file",
    response={200: None, **DRIVE_ERRORS},
    summary="下载我的材料",
    url_name="my-material-file",
    openapi_extra=MATERIAL_DOWNLOAD,
)
def download(request: HttpRequest, stored_file_id: int):
    """A file of 我的材料, to its owner only (a case's files download through the case)."""
    stored = _drive(request.auth).filter(pk=stored_file_id).first()
    if stored is None:
        raise NotFound("文件不存在", field="stored_file_id")
    return file_response(stored)
