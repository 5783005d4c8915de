"""账号管理: list the accounts of my organisations, open staff accounts, disable, roles, unban."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.constants import Role
from yiwang.accounts.models import RoleAssignment, UnbanRequest
from yiwang.accounts.permissions import roles_of
from yiwang.accounts.services import account_admin
from yiwang.backoffice.decorators import staff_required
from yiwang.core.errors import DomainError, NotFound
from yiwang.core.http import client_ip
from yiwang.regions.models import Organization

ADMIN_ROLES = (Role.DEPARTMENT_ADMIN, Role.PLATFORM_ADMIN, Role.SECURITY_ADMIN)
PAGE_SIZE = 100


def _account(request: HttpRequest, uid):
    user = account_admin.accounts_for(request.user).filter(uid=uid).first()
    if user is None:
        raise NotFound("账号不存在，或不在您的管理范围内")
    return user


@staff_required(roles=ADMIN_ROLES)
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    accounts = account_admin.accounts_for(request.user)
    if kind in ("person", "staff"):
        accounts = accounts.filter(kind=kind)
    accounts = list(accounts.order_by("-date_joined", "-pk")[:PAGE_SIZE])
    return render(request, "backoffice/accounts/list.html", {"accounts": accounts, "kind": kind})


@staff_required(roles=(Role.DEPARTMENT_ADMIN, Role.PLATFORM_ADMIN))
@require_http_methods(["GET", "POST"])
def account_new(request: HttpRequest) -> HttpResponse:
    organizations = list(account_admin.manageable_organizations(request.user).order_by("pk")[:500])
    names = ("username", "name", "phone", "organization")
    data = {f: request.POST.get(f, "").strip() for f in names}
    chosen = request.POST.getlist("roles")
    context = {
        "organizations": organizations,
        "roles": [(r.value, r.label) for r in Role if r in account_admin.OPERATIONAL_ROLES],
        "data": data,
        "chosen": chosen,
        "errors": {},
    }
    if request.method == "POST":
        organization = next((o for o in organizations if str(o.pk) == data["organization"]), None)
        try:
            if organization is None:
                raise DomainError("请选择所属机构", field="organization")
            user = account_admin.open_staff_account(
                request.user,
                username=data["username"],
                name=data["name"],
                phone=data["phone"],
                organization=organization,
                roles=chosen,
                ip=client_ip(request),
            )
        except DomainError as exc:
            shown = exc.field if exc.field in names else "form"
            context["errors"] = {shown: exc.message}
            return render(request, "backoffice/accounts/new.html", context, status=exc.status)
        messages.success(
            request, f"已开通账号 {user.username}，初始密码已短信发送至 {user.masked_phone}。"
        )
        return redirect("backoffice:account", uid=user.uid)
    return render(request, "backoffice/accounts/new.html", context)


def _detail_page(
    request: HttpRequest, user, *, errors: dict | None = None, typed: dict | None = None, status=200
) -> HttpResponse:
    return render(
        request,
        "backoffice/accounts/detail.html",
        {
            "account": user,
            "assignments": roles_of(user) if user.kind == "staff" else [],
            "can_manage": account_admin.can_manage_account(request.user, user),
            "pending_unban": UnbanRequest.objects.filter(
                user=user, status=UnbanRequest.Status.PENDING
            ).first(),
            "roles": list(Role),
            "organizations": list(Organization.objects.order_by("pk")[:500])
            if user.kind == "staff"
            else [],
            "errors": errors or {},
            "typed": typed or {},
        },
        status=status,
    )


@staff_required(roles=ADMIN_ROLES)
@require_GET
def account_detail(request: HttpRequest, uid) -> HttpResponse:
    return _detail_page(request, _account(request, uid))


def _act(request: HttpRequest, uid, action) -> HttpResponse:
    user = _account(request, uid)
    try:
        text = action(user)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, text)
    return redirect("backoffice:account", uid=user.uid)


def _act_with_reason(request: HttpRequest, uid, form: str, action) -> HttpResponse:
    """Like :func:`_act` for the forms with a typed reason (停用, 申请解封): a refused reason
    shows the page again with the message beside that form and the reason as typed, not a
    redirect that would lose it. Other refusals (the account's state changed meanwhile, so the
    form is gone from the page) are shown as a message above the fresh page, as in :func:`_act`."""
    user = _account(request, uid)
    reason = request.POST.get("reason", "")
    try:
        text = action(user, reason)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        if exc.field == "reason":
            return _detail_page(
                request, user, errors={form: exc.message}, typed={form: reason}, status=exc.status
            )
        messages.error(request, exc.message)
    else:
        messages.success(request, text)
    return redirect("backoffice:account", uid=user.uid)


@staff_required(roles=ADMIN_ROLES)
@require_POST
def account_disable(request: HttpRequest, uid) -> HttpResponse:
    def act(user, reason):
        account_admin.disable_account(request.user, user, reason=reason, ip=client_ip(request))
        return "账号已停用，已短信通知用户。"

    return _act_with_reason(request, uid, "disable", act)


@staff_required(roles=ADMIN_ROLES)
@require_POST
def account_unban_request(request: HttpRequest, uid) -> HttpResponse:
    def act(user, reason):
        account_admin.request_unban(request.user, user, reason=reason, ip=client_ip(request))
        return "解封申请已提交，须由另一名管理员审批。"

    return _act_with_reason(request, uid, "unban", act)


@staff_required(roles=ADMIN_ROLES)
@require_POST
def account_grant_role(request: HttpRequest, uid) -> HttpResponse:
    def act(user):
        org_id = request.POST.get("organization", "")
        organization = Organization.objects.filter(pk=org_id).first() if org_id else None
        assignment = account_admin.grant_staff_role(
            request.user,
            user,
            request.POST.get("role", ""),
            organization=organization,
            ip=client_ip(request),
        )
        return f"已授予{assignment}。"

    return _act(request, uid, act)


@staff_required(roles=ADMIN_ROLES)
@require_POST
def account_revoke_role(request: HttpRequest, uid, assignment_id: int) -> HttpResponse:
    def act(user):
        assignment = RoleAssignment.objects.filter(
            pk=assignment_id, user=user, revoked_at__isnull=True
        ).first()
        if assignment is None:
            raise NotFound("该角色不存在")
        account_admin.revoke_staff_role(request.user, assignment, ip=client_ip(request))
        return f"已收回{assignment}。"

    return _act(request, uid, act)


DECISIONS = ("approve", "reject")


@staff_required(roles=ADMIN_ROLES)
@require_http_methods(["GET", "POST"])
def unban_requests(request: HttpRequest) -> HttpResponse:
    pending = account_admin.pending_unban_requests(request.user)
    context = {"pending": pending, "error": None}
    if request.method == "GET":
        return render(request, "backoffice/accounts/unban_requests.html", context)
    item = next((r for r in pending if str(r.pk) == request.POST.get("request")), None)
    if item is None:
        raise NotFound("解封申请不存在，或不在您的审批范围内")
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    try:
        # Only an explicit choice decides: a POST without one (an old page, a hand-made
        # request) must not quietly reject.
        if decision not in DECISIONS:
            raise DomainError("请选择“批准”或“驳回”", field="decision")
        if decision == "approve":
            account_admin.approve_unban(request.user, item, ip=client_ip(request))
            messages.success(request, "已批准解封，已短信通知用户。")
        else:
            account_admin.reject_unban(request.user, item, reason=reason, ip=client_ip(request))
            messages.success(request, "已驳回解封申请。")
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        if exc.field not in ("decision", "reason"):
            # e.g. decided by another administrator meanwhile: the fresh list says it all.
            messages.error(request, exc.message)
            return redirect("backoffice:unban-requests")
        context["error"] = {"request": item.pk, "message": exc.message, "reason": reason}
        return render(
            request, "backoffice/accounts/unban_requests.html", context, status=exc.status
        )
    return redirect("backoffice:unban-requests")
