"""个人中心 and self-service: 修改密码 (also forced at first sign-in), 更换手机号, 修改联系信息,
忘记密码. Same shape as :mod:`yiwang.portal.account.views`: one service per POST, the page again
with the message and the typed values, or a redirect with a confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts import services
from yiwang.core.errors import DomainError
from yiwang.core.http import client_ip
from yiwang.portal.account import common
from yiwang.portal.account.common import FormState, SmsBox
from yiwang.portal.account.views import PHONE_TOKEN_KEY, send_for

HISTORY_LENGTH = 10


@login_required
@require_GET
def center(request: HttpRequest) -> HttpResponse:
    """个人中心: who I am (masked), my contact details, my sign-ins, and the way to each change."""
    user = request.user
    if user.must_change_password:
        return redirect("portal:account-password")
    return render(
        request,
        "portal/account/center.html",
        {
            "profile_user": user,
            "history": services.login_history(user, limit=HISTORY_LENGTH),
            "access_log_url": common.optional_url("portal:access-log"),
            "enterprises_url": common.optional_url("portal:enterprise-account:home"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    form = FormState()
    if request.method == "POST":
        post = request.POST
        if post.get("new_password", "") != post.get("new_password2", ""):
            form.error("new_password2", "两次输入的新密码不一致")
        else:
            try:
                services.change_password(
                    request.user,
                    old_password=post.get("old_password", ""),
                    new_password=post.get("new_password", ""),
                    ip=client_ip(request),
                )
            except DomainError as exc:
                form.add(exc)
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, "密码已修改。")
                return redirect(common.next_url(request))
    return render(
        request,
        "portal/account/password_change.html",
        {"form": form, "forced": request.user.must_change_password, "next": _next(request)},
    )


def _next(request: HttpRequest) -> str:
    return request.POST.get("next") or request.GET.get("next", "")


@login_required
@require_http_methods(["GET", "POST"])
def change_phone(request: HttpRequest) -> HttpResponse:
    """Two steps on one page: the old phone's code (a token in the session), then the new
    phone and its code."""
    user = request.user
    token = request.session.get(PHONE_TOKEN_KEY, "")
    form = FormState()
    step = "new" if token else "old"
    sms = SmsBox("change_phone_new" if token else "change_phone_old")
    if request.method == "POST":
        post = request.POST
        action = post.get("action", "")
        form = FormState.from_post(request, ["sms_code", "new_phone"])
        if action == "restart":
            request.session.pop(PHONE_TOKEN_KEY, None)
            return redirect("portal:account-phone")
        if action == "send_code":
            sms = send_for(request, sms.purpose)
        elif step == "old":
            try:
                request.session[PHONE_TOKEN_KEY] = services.confirm_old_phone(
                    user, post.get("sms_code", "")
                )
            except DomainError as exc:
                form.add(exc)
            else:
                return redirect("portal:account-phone")
        else:
            try:
                services.change_phone(
                    user,
                    token=token,
                    new_phone=post.get("new_phone", ""),
                    sms_code=post.get("sms_code", ""),
                    ip=client_ip(request),
                )
            except DomainError as exc:
                form.add(exc)
            else:
                request.session.pop(PHONE_TOKEN_KEY, None)
                messages.success(request, f"绑定手机号已更换为{user.masked_phone}。")
                return redirect("portal:account")
    return render(
        request, "portal/account/phone_change.html", {"form": form, "sms": sms, "step": step}
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = FormState(values={"email": user.email, "address": user.address})
    sms = SmsBox("profile")
    if request.method == "POST":
        post = request.POST
        form = FormState.from_post(request, ["email", "address", "sms_code"])
        if post.get("action") == "send_code":
            sms = send_for(request, "profile")
        else:
            try:
                services.update_profile(
                    user,
                    email=post.get("email", ""),
                    address=post.get("address", ""),
                    sms_code=post.get("sms_code", ""),
                    ip=client_ip(request),
                )
            except DomainError as exc:
                form.add(exc)
            else:
                messages.success(request, "联系信息已更新。")
                return redirect("portal:account")
    return render(request, "portal/account/profile_edit.html", {"form": form, "sms": sms})


@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    form = FormState()
    sms = SmsBox("reset_password")
    if request.method == "POST":
        post = request.POST
        form = FormState.from_post(
            request, ["id_number", "phone", "sms_code", "new_password", "new_password2"]
        )
        if post.get("action") == "send_code":
            sms = send_for(request, "reset_password")
        elif post.get("new_password", "") != post.get("new_password2", ""):
            form.error("new_password2", "两次输入的新密码不一致")
        else:
            try:
                services.reset_password(
                    id_number=post.get("id_number", ""),
                    phone=post.get("phone", ""),
                    sms_code=post.get("sms_code", ""),
                    new_password=post.get("new_password", ""),
                    ip=client_ip(request),
                )
            except DomainError as exc:
                form.add(exc)
            else:
                messages.success(request, "密码已重置，请使用新密码登录。")
                return redirect("portal:account-login")
    return render(request, "portal/account/password_forgot.html", {"form": form, "sms": sms})
