"""法人用户 pages: 法人注册, 我的企业, 授权管理, 申请授权, 待审批申请, 法定代表人变更.

Every view: parse the form, call one service, then redirect (after a POST that changed
something) or render the form again with the service's message and everything typed kept.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.accounts import selectors, services
from yiwang.accounts.constants import DelegationRole
from yiwang.accounts.models import Enterprise, Grant, GrantScope
from yiwang.core.errors import DomainError
from yiwang.core.http import client_ip
from yiwang.portal.enterprise_account import forms

TEMPLATES = "portal/enterprise_account/"


def _home() -> str:
    return reverse("portal:enterprise-account:home")


def _grants_url(enterprise: Enterprise) -> str:
    return reverse("portal:enterprise-account:grants", args=[enterprise.uscc])


def person_required(view):
    """Signed in (else to the sign-in page) as a person: staff accounts have no enterprises."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_person:
            raise PermissionDenied("法人用户功能仅供个人实名用户使用")
        return view(request, *args, **kwargs)

    return wrapper


def _my_enterprise(request: HttpRequest, uscc: str) -> Enterprise:
    """The enterprise if the user may act for it; 404 otherwise, like an unregistered one."""
    enterprise = selectors.enterprise_by_uscc(uscc)
    if enterprise is None or not services.can_act_for(request.user, enterprise):
        raise Http404("未找到该企业，或您没有该企业的授权")
    return enterprise


def _visible_grant(request: HttpRequest, enterprise: Enterprise, pk: int) -> Grant:
    for grant in _flatten(selectors.visible_grant_tree(request.user, enterprise)):
        if grant.pk == pk:
            return grant
    raise Http404("未找到该授权")


def _flatten(nodes) -> list[Grant]:
    flat: list[Grant] = []
    for node in nodes:
        flat.append(node.grant)
        flat.extend(_flatten(node.children))
    return flat


def _access(request: HttpRequest, enterprise: Enterprise) -> selectors.EnterpriseAccess | None:
    for access in selectors.enterprises_for(request.user):
        if access.enterprise.pk == enterprise.pk:
            return access
    return None


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- 我的企业 and acting -------------------------------------------------------------------------


@person_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    acting = services.acting_enterprise(request.session, request.user)
    accesses = selectors.enterprises_for(request.user)
    pending = {
        a.enterprise.pk: selectors.pending_requests(a.enterprise).count()
        for a in accesses
        if a.can_delegate and a.level < 3
    }
    rows = [
        {
            "access": a,
            "acting": acting is not None and acting.pk == a.enterprise.pk,
            "pending": pending.get(a.enterprise.pk, 0),
        }
        for a in accesses
    ]
    return render(
        request,
        TEMPLATES + "home.html",
        {
            "rows": rows,
            "acting": acting,
            "requests": selectors.grant_requests_of(request.user),
        },
    )


@person_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    enterprise = _my_enterprise(request, request.POST.get("uscc", ""))
    services.switch_to_enterprise(request.session, request.user, enterprise, ip=client_ip(request))
    label = services.acting_role_label(request.user, enterprise)
    messages.success(request, f"已切换为以“{enterprise.name}”（{label}）身份办事")
    return HttpResponseRedirect(_next(request, _home()))


@person_required
@require_POST
def switch_back(request: HttpRequest) -> HttpResponse:
    services.stop_acting(request.session, request.user, ip=client_ip(request))
    messages.success(request, "已切换回个人身份")
    return HttpResponseRedirect(_next(request, _home()))


# --- 法人注册 and 法定代表人变更 ------------------------------------------------------------------


@person_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = forms.EnterpriseRegisterForm(request.POST)
        if form.is_valid():
            try:
                enterprise = services.register_enterprise(
                    request.user, **form.cleaned_data, ip=client_ip(request)
                )
            except DomainError as exc:
                forms.add_service_error(form, exc)
            else:
                messages.success(request, f"“{enterprise.name}”法人用户注册成功，已与您的账号绑定")
                return redirect(_home())
    else:
        form = forms.EnterpriseRegisterForm(
            initial={"legal_representative_name": request.user.name}
        )
    return render(request, TEMPLATES + "register.html", {"form": form})


@person_required
@require_http_methods(["GET", "POST"])
def change_representative(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = forms.ChangeRepresentativeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            enterprise = selectors.enterprise_by_uscc(data["uscc"])
            try:
                if enterprise is None:
                    raise DomainError("该企业尚未注册法人用户", field="uscc")
                revoked = services.change_legal_representative(
                    enterprise,
                    new_representative_id_number=data["new_representative_id_number"],
                    new_name=data["new_name"],
                    actor=request.user,
                    ip=client_ip(request),
                )
            except DomainError as exc:
                forms.add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    f"“{enterprise.name}”的法定代表人已变更，"
                    f"原法定代表人所作的 {len(revoked)} 项授权已撤销",
                )
                return redirect(_home())
    else:
        form = forms.ChangeRepresentativeForm(initial={"uscc": request.GET.get("uscc", "")})
    return render(request, TEMPLATES + "change_representative.html", {"form": form})


# --- 授权管理 ------------------------------------------------------------------------------------


def _codes(grant: Grant, kind: str) -> str:
    return "\n".join(s.code for s in grant.scopes.all() if s.kind == kind)


@person_required
@require_http_methods(["GET", "POST"])
def grants(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = _my_enterprise(request, uscc)
    access = _access(request, enterprise)
    may_grant = access is not None and access.can_delegate and access.level < 3
    today = timezone.localdate()
    if request.method == "POST" and may_grant:
        form = forms.GrantForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = services.grant(
                    enterprise,
                    request.user,
                    data["grantee"],
                    role=data["role"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    **form.scope(),
                    ip=client_ip(request),
                )
            except DomainError as exc:
                forms.add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    f"已授权{made.grantee.display_name}为{made.get_role_display()}"
                    f"（第{made.level}级），有效期至{made.valid_until:%Y年%m月%d日}",
                )
                return redirect(_grants_url(enterprise))
    else:
        bound = access.grant if access is not None else None
        form = forms.GrantForm(
            initial={
                "valid_from": today,
                # a year by default, or the grantor's own end date when that is sooner
                "valid_until": min(today + timedelta(days=365), bound.valid_until)
                if bound
                else today + timedelta(days=365),
                "role": DelegationRole.HANDLER,
                "all_items": "1",
            }
        )
    return render(
        request,
        TEMPLATES + "grants.html",
        {
            "enterprise": enterprise,
            "access": access,
            "tree": selectors.visible_grant_tree(request.user, enterprise),
            "form": form,
            "may_grant": may_grant,
            "pending": selectors.pending_requests(enterprise).count() if may_grant else 0,
            "today": today,
        },
    )


@person_required
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    enterprise = _my_enterprise(request, uscc)
    grant = _visible_grant(request, enterprise, pk)
    if not services.can_manage(request.user, grant):
        raise Http404("未找到该授权")
    if request.method == "POST":
        form = forms.ChangeGrantForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.change_grant(
                    grant,
                    request.user,
                    role=data["role"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    **form.scope(),
                    ip=client_ip(request),
                )
            except DomainError as exc:
                forms.add_service_error(form, exc)
            else:
                messages.success(request, f"已变更{grant.grantee.display_name}的授权")
                return redirect(_grants_url(enterprise))
    else:
        form = forms.ChangeGrantForm(
            initial={
                "role": grant.role,
                "valid_from": grant.valid_from,
                "valid_until": grant.valid_until,
                "all_items": "1" if grant.all_items else "0",
                "item_codes": _codes(grant, GrantScope.Kind.ITEM),
                "theme_codes": _codes(grant, GrantScope.Kind.THEME),
            }
        )
    return render(
        request,
        TEMPLATES + "change.html",
        {"enterprise": enterprise, "grant": grant, "form": form},
    )


@person_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    enterprise = _my_enterprise(request, uscc)
    grant = _visible_grant(request, enterprise, pk)
    own = grant.grantee_id == request.user.pk
    if not own and not services.can_manage(request.user, grant):
        raise Http404("未找到该授权")
    below = selectors.descendants(grant)
    if request.method == "POST":
        form = forms.RevokeForm(request.POST)
        if form.is_valid():
            try:
                revoked = services.revoke(
                    grant, request.user, form.cleaned_data["reason"], ip=client_ip(request)
                )
            except DomainError as exc:
                forms.add_service_error(form, exc)
            else:
                messages.success(request, f"已撤销 {len(revoked)} 项授权")
                if own:
                    return redirect(_home())
                return redirect(_grants_url(enterprise))
    else:
        form = forms.RevokeForm()
    return render(
        request,
        TEMPLATES + "revoke.html",
        {"enterprise": enterprise, "grant": grant, "below": below, "form": form, "own": own},
    )


# --- 申请授权 and 待审批申请 -------------------------------------------------------------------


@person_required
@require_http_methods(["GET", "POST"])
def request_grant(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method == "POST":
        form = forms.RequestGrantForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                asked = services.request_grant(
                    data["uscc"],
                    request.user,
                    role=data["role"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    note=data["note"],
                    **form.scope(),
                    ip=client_ip(request),
                )
            except DomainError as exc:
                forms.add_service_error(form, exc)
            else:
                messages.success(request, f"已向“{asked.enterprise.name}”提交授权申请，请等待审批")
                return redirect(reverse("portal:enterprise-account:request"))
    else:
        form = forms.RequestGrantForm(
            initial={"valid_from": today, "role": DelegationRole.HANDLER, "all_items": "1"}
        )
    return render(
        request,
        TEMPLATES + "request.html",
        {"form": form, "requests": selectors.grant_requests_of(request.user)},
    )


@person_required
@require_http_methods(["GET"])
def pending(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = _my_enterprise(request, uscc)
    access = _access(request, enterprise)
    if access is None or not access.can_delegate or access.level >= 3:
        raise Http404("未找到该页面")
    return render(
        request,
        TEMPLATES + "pending.html",
        {"enterprise": enterprise, "requests": selectors.pending_requests(enterprise)},
    )


@person_required
@require_POST
def decide(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    enterprise = _my_enterprise(request, uscc)
    asked = Grant.objects.filter(enterprise=enterprise, pk=pk, grantor__isnull=True).first()
    if asked is None:
        raise Http404("未找到该申请")
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择同意或驳回")
        return redirect(reverse("portal:enterprise-account:pending", args=[enterprise.uscc]))
    approve = form.cleaned_data["decision"] == "approve"
    reason = form.cleaned_data["reason"]
    try:
        services.decide_request(
            asked, request.user, approve=approve, reason=reason, ip=client_ip(request)
        )
    except DomainError as exc:
        messages.error(request, f"{asked.grantee.display_name}的申请未能处理：{exc.message}")
    else:
        verb = "同意" if approve else "驳回"
        messages.success(request, f"已{verb}{asked.grantee.display_name}的授权申请")
    return redirect(reverse("portal:enterprise-account:pending", args=[enterprise.uscc]))
