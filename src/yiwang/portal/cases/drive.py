"""我的材料: the files a person keeps to reuse in later applications — list, upload, download,
移出 (hidden from the drive; the applications that used a file keep it)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.cases import services
from yiwang.core.errors import DomainError, NotFound
from yiwang.portal.cases.common import (
    applicant_required,
    attachment,
    drive,
    paged,
    size_text,
    upload_hint,
)

LABEL_MAX = 200


@applicant_required
@require_http_methods(["GET", "POST"])
def my_materials(request: HttpRequest) -> HttpResponse:
    """The list, and the form to add a file to it (checked by content like any material)."""
    errors: dict[str, str] = {}
    label = request.POST.get("label", "").strip()
    if request.method == "POST":
        upload = request.FILES.get("file")
        if len(label) > LABEL_MAX:
            errors["label"] = f"材料名称不能超过 {LABEL_MAX} 个字"
        if upload is None:
            errors.setdefault("file", "请选择要上传的文件")
        if not errors:
            try:
                stored = services.store_file(request.user, upload, name=upload.name, label=label)
            except DomainError as exc:
                errors["label" if exc.field == "label" else "file"] = exc.message
            else:
                text = f"已保存“{stored.name}”到我的材料。"
                if stored.notice:
                    text += f"{stored.notice}，已按实际内容保存。"
                messages.success(request, text)
                return redirect("portal:my-materials")
    files, paging = paged(request, drive(request.user))
    return render(
        request,
        "portal/cases/materials.html",
        {
            "files": [{"file": f, "size": size_text(f.size)} for f in files],
            "paging": paging,
            "errors": errors,
            "label": label,
            "limit": LABEL_MAX,
            "upload_hint": upload_hint(),
        },
    )


@applicant_required
@require_GET
def material_file(request: HttpRequest, pk: int) -> HttpResponse:
    stored = drive(request.user).filter(pk=pk).first()
    if stored is None:
        raise Http404("我的材料中没有这个文件")
    return attachment(stored)


@applicant_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    stored = drive(request.user).filter(pk=pk).first()
    try:
        services.remove_from_drive(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    name = stored.name if stored is not None else "文件"
    messages.success(request, f"已将“{name}”移出我的材料；已提交的申请中仍保留该文件。")
    return redirect("portal:my-materials")
