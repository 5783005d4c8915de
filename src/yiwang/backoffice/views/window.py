"""窗口注册: a clerk registers a citizen who is present (two steps: data + SMS code)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yiwang.accounts.constants import Role
from yiwang.accounts.services import window_registration
from yiwang.backoffice.decorators import forbidden, staff_required
from yiwang.core.errors import DomainError, RateLimited
from yiwang.core.http import client_ip

FIELDS = ("post", "name", "id_number", "phone")


@staff_required(roles=(Role.WINDOW_CLERK,))
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    posts = window_registration.window_posts(request.user)
    if not posts:
        return forbidden(request, "您所在机构没有可用的受理窗口，请联系部门管理员。")
    data = {f: request.POST.get(f, "").strip() for f in FIELDS}
    data["id_card_checked"] = request.POST.get("id_card_checked") == "1"
    context = {"posts": posts, "data": data, "errors": {}, "step": "start", "sent": None}
    if request.method == "GET":
        return render(request, "backoffice/window_register.html", context)
    post = next((p for p in posts if p.key == data["post"]), None)
    if post is None:
        context["errors"] = {"post": "请选择受理窗口"}
        return render(request, "backoffice/window_register.html", context, status=400)
    common = {
        "organization": post.organization,
        "window": post.window,
        "name": data["name"],
        "id_number": data["id_number"],
        "phone": data["phone"],
        "id_card_checked": data["id_card_checked"],
        "ip": client_ip(request),
    }
    action = request.POST.get("action", "send")
    try:
        if action == "complete":
            context["step"] = "code"
            user = window_registration.complete_window_registration(
                request.user, sms_code=request.POST.get("sms_code", ""), **common
            )
        else:
            context["sent"] = window_registration.start_window_registration(request.user, **common)
            context["step"] = "code"
            return render(request, "backoffice/window_register.html", context)
    except DomainError as exc:
        shown = exc.field if exc.field in (*FIELDS, "id_card_checked", "sms_code") else "form"
        context["errors"] = {shown: exc.message}
        if isinstance(exc, RateLimited):
            # A second 发送验证码 within the resend interval (double click, reload, a corrected
            # name): the code sent a moment ago is still valid, so the clerk must still be able
            # to enter it and complete the registration.
            context["step"] = "code"
        return render(request, "backoffice/window_register.html", context, status=exc.status)
    messages.success(
        request,
        f"已为{user.display_name}（{user.masked_id_number}）开通账号，初始密码已通过短信发送至"
        f"{user.masked_phone}。请提示申请人首次登录后修改密码。",
    )
    return redirect("backoffice:window-register")
