"""What the case pages share: who may open them, the case of the request, the messages of a
form by field, file downloads and paging."""

from __future__ import annotations

from functools import wraps
from pathlib import PurePosixPath
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from yiwang.accounts.services import acting_enterprise
from yiwang.cases import selectors, services
from yiwang.cases.models import Case, StoredFile
from yiwang.core.errors import DomainError, NotFound

PAGE_SIZE = 20


def applicant_required(view):
    """Signed in as a person (else to the sign-in page, with ``next``), with the initial password
    changed: an account opened at a window whose SMS password others may have read cannot see
    or file applications (the initial-password middleware closes ``/account/`` and ``/items/…/
    apply/``; ``/my/`` is closed here too)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        user = request.user
        if user.must_change_password:
            follow = request.get_full_path() if request.method == "GET" else ""
            change = reverse("portal:account-password")
            return redirect(f"{change}?{urlencode({'next': follow})}" if follow else change)
        if not user.is_person:
            raise PermissionDenied("网上办事仅供个人实名用户使用；工作人员请从工作人员入口登录")
        return view(request, *args, **kwargs)

    return wrapper


def acting(request: HttpRequest):
    """The enterprise this session acts for (以企业身份办事), or None: checked again each time."""
    return acting_enterprise(request.session, request.user)


def own_case(request: HttpRequest, pk: int) -> Case:
    """The case if it is the person's own (or, while acting for an enterprise, the enterprise's);
    404 otherwise — another person's case is a page that does not exist."""
    try:
        return selectors.case_for_applicant(request.user, pk, enterprise=acting(request))
    except NotFound as exc:
        raise Http404(exc.message) from exc


def drive(user) -> QuerySet[StoredFile]:
    """我的材料: the person's files kept in the drive, newest first."""
    return selectors.drive_of(user)


class Problems:
    """The messages of one form submission, by key: ``form.<property>``, ``material.<id>``,
    ``handling_item``, ``delivery_method``, ``delivery_address``, or None for the page — the
    keys :class:`~yiwang.core.errors.FieldErrors` of the cases services use."""

    def __init__(self) -> None:
        self.errors: dict[str | None, str] = {}

    def add(self, key: str | None, message: str) -> None:
        self.errors.setdefault(key, message)

    def update(self, errors: dict[str, str]) -> None:
        for key, message in errors.items():
            self.add(key, message)

    def get(self, key: str | None) -> str:
        return self.errors.get(key, "")

    def __bool__(self) -> bool:
        return bool(self.errors)


def attach_chosen(request: HttpRequest, case: Case, materials, problems: Problems) -> None:
    """Attach what was chosen for each of ``materials``: a file in ``file_<id>`` or a file of
    我的材料 in ``stored_<id>``. A refusal goes next to its material; a file accepted though its
    name said otherwise (a PNG named ``.pdf``) is said so next to it on the next page.
    """
    user = request.user
    for material in materials:
        key = f"material.{material.pk}"
        upload = request.FILES.get(f"file_{material.pk}")
        chosen = request.POST.get(f"stored_{material.pk}", "")
        try:
            if upload is not None:
                attached = services.attach_material(
                    case.pk, user, material_id=material.pk, upload=upload, file_name=upload.name
                )
                if attached.notice:
                    messages.info(
                        request,
                        f"{attached.notice}，已按实际内容保存为“{attached.file.name}”",
                        extra_tags=f"material-{material.pk}",
                    )
            elif chosen:
                stored_id = int_or_none(chosen)
                if stored_id is None:
                    raise DomainError("我的材料中没有这个文件", field="stored_file")
                services.attach_material(
                    case.pk, user, material_id=material.pk, stored_file_id=stored_id
                )
        except DomainError as exc:
            problems.add(key, exc.message)


def split_messages(request: HttpRequest) -> tuple[list[str], dict[int, list[str]]]:
    """The page's messages, and those that belong next to one material (by its id)."""
    general: list[str] = []
    by_material: dict[int, list[str]] = {}
    for message in messages.get_messages(request):
        tag = message.extra_tags or ""
        if tag.startswith("material-") and tag[9:].isdigit():
            by_material.setdefault(int(tag[9:]), []).append(message.message)
        else:
            general.append(message.message)
    return general, by_material


def int_or_none(value: str | None) -> int | None:
    """A posted id, or None when it is not one (a tampered form gets a message, never a 500)."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    return int(text)


def attachment(stored: StoredFile, filename: str | None = None) -> FileResponse:
    """Serve a stored material as a download with the content type it was checked to be
    (never inline, never from a guessable /media/ path: every download passes an owner check)."""
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Content-Disposition"] = disposition("attachment", filename or stored.name)
    return response


def disposition(kind: str, filename: str) -> str:
    # RFC 6266/5987: browsers take the UTF-8 name; the ASCII fallback keeps old clients working.
    path = PurePosixPath(filename)
    ascii_stem = "".join(c for c in path.stem if c.isascii() and (c.isalnum() or c in "-_")).strip(
        "-_"
    )
    fallback = f"{ascii_stem or 'material'}{path.suffix}"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def upload_hint() -> str:
    limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
    return f"可上传 PDF、JPG、PNG 或 OFD 文件，每个不超过 {limit} MB；文件类型按内容识别"


def size_text(size: int) -> str:
    """``812 字节``, ``23.4 KB``, ``1.2 MB`` for lists of files."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} 字节"


def paged(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    """One page of ``queryset`` as the catalogue pages do it: a page that is not a number shows
    the first, one beyond the last shows the last."""
    total = queryset.count()
    pages = max(1, -(-total // size))
    try:
        number = min(max(1, int(request.GET.get("page", "1"))), pages)
    except ValueError:
        number = 1
    rows = list(queryset[(number - 1) * size : number * size])
    return rows, {"page": number, "pages": pages, "total": total}
