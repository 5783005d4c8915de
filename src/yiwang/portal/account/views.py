"""注册, 登录, 退出, 获取验证码, 网上服务协议.

Thin views: read the form, call one service, render the page again with the service's message
(typed values kept, secrets dropped) or redirect. "获取验证码" works twice over: without a
script the button submits the whole form with ``action=send_code`` and the page comes back with
the code sent and everything typed still there; with htmx the button posts only the phone to
:func:`sms_code` and swaps in the box.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts import services
from yiwang.accounts.services import sms_codes
from yiwang.core.errors import Conflict, DomainError
from yiwang.core.http import client_ip
from yiwang.portal.account import common
from yiwang.portal.account.common import FormState, SmsBox, sms_box_after

REGISTER_FIELDS = [
    "name",
    "id_number",
    "phone",
    "sms_code",
    "second_factor_kind",
    "second_factor_value",
    "password",
    "password2",
    "agreement",
]
PASSWORD_LOGIN_FIELDS = ["identifier", "password"]
SMS_LOGIN_FIELDS = ["phone", "sms_code"]
LOGIN_METHODS = {"password": "密码登录", "sms": "短信登录", "qr": "扫码登录"}
STAFF_MESSAGE = "工作人员账号请从工作人员登录入口登录（需动态口令）"


def _ua(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")


def send_for(request: HttpRequest, purpose: str) -> SmsBox:
    """Send the code a form asks for; the one place that maps a form's purpose to a service."""
    ip = client_ip(request)
    post = request.POST
    user = request.user
    senders = {
        "register": lambda: services.send_code(
            post.get("phone", ""), sms_codes.Purpose.REGISTER, ip=ip
        ),
        "login": lambda: services.request_login_code(post.get("phone", ""), ip=ip),
        "reset_password": lambda: services.request_password_reset_code(
            post.get("id_number", ""), post.get("phone", ""), ip=ip
        ),
    }
    if user.is_authenticated:
        senders.update(
            {
                "change_phone_old": lambda: services.send_old_phone_code(user, ip=ip),
                "change_phone_new": lambda: services.send_new_phone_code(
                    user,
                    post.get("new_phone", ""),
                    token=request.session.get(PHONE_TOKEN_KEY, ""),
                    ip=ip,
                ),
                "profile": lambda: services.send_profile_code(user, ip=ip),
            }
        )
    if purpose not in senders:
        return SmsBox(purpose, error="请先登录")
    return sms_box_after(purpose, senders[purpose])


# The session key under which the old phone's confirmation waits for step 2 (not a secret).
PHONE_TOKEN_KEY = "yiwang.change_phone_token"  # noqa: S105


@require_POST
def sms_code(request: HttpRequest) -> HttpResponse:
    """htmx: send a code and return the refreshed 获取验证码 box."""
    purpose = request.POST.get("sms_purpose", "")
    if not request.htmx:
        return HttpResponseBadRequest("请在页面上点击“获取验证码”")
    box = send_for(request, purpose)
    return render(request, "portal/account/_sms_box.html", {"sms": box})


# --- 注册 ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:account")
    agreement = services.current_agreement()
    form = FormState(values={"second_factor_kind": "social_security_card"})
    sms = SmsBox("register")
    duplicate = False
    if request.method == "POST":
        form = FormState.from_post(request, REGISTER_FIELDS)
        if request.POST.get("action") == "send_code":
            sms = send_for(request, "register")
        else:
            duplicate = _register(request, form, agreement)
            if not form:
                messages.success(request, "注册成功，欢迎使用一网政务服务平台。")
                return redirect(common.next_url(request))
    return render(
        request,
        "portal/account/register.html",
        {
            "form": form,
            "sms": sms,
            "agreement": agreement,
            "second_factors": services.SECOND_FACTORS,
            "duplicate": duplicate,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


def _register(request: HttpRequest, form: FormState, agreement) -> bool:
    """Call the service; errors go into ``form``. True when the ID number is already registered
    (the page then offers password recovery). Signs the new user in."""
    post = request.POST
    if post.get("password", "") != post.get("password2", ""):
        form.error("password2", "两次输入的密码不一致")
        return False
    try:
        user = services.register_person(
            name=post.get("name", ""),
            id_number=post.get("id_number", ""),
            phone=post.get("phone", ""),
            sms_code=post.get("sms_code", ""),
            second_factor_kind=post.get("second_factor_kind", ""),
            second_factor_value=post.get("second_factor_value", ""),
            password=post.get("password", ""),
            agreement_version=post.get("agreement", ""),
            ip=client_ip(request),
        )
    except Conflict as exc:
        form.add(exc)
        return exc.field == "id_number"
    except DomainError as exc:
        form.add(exc)
        return False
    common.sign_in(request, user)
    return False


@require_GET
def agreement(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/account/agreement.html", {"agreement": services.current_agreement()}
    )


# --- 登录 / 退出 -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    method = request.POST.get("method") or request.GET.get("method") or "password"
    if method not in LOGIN_METHODS:
        method = "password"
    form = FormState()
    sms = SmsBox("login")
    if request.method == "POST":
        fields = PASSWORD_LOGIN_FIELDS if method == "password" else SMS_LOGIN_FIELDS
        form = FormState.from_post(request, fields)
        if method == "sms" and request.POST.get("action") == "send_code":
            sms = send_for(request, "login")
        else:
            response = _login(request, method, form)
            if response is not None:
                return response
    nxt = request.POST.get("next") or request.GET.get("next", "")
    return render(
        request,
        "portal/account/login.html",
        {
            "form": form,
            "sms": sms,
            "method": method,
            "methods": LOGIN_METHODS,
            "next": nxt,
            "qr_available": common.optional_url("portal:qr-login") is not None,
            "staff_login_url": (
                common.optional_url("backoffice:login")
                if form.errors.get(None) == STAFF_MESSAGE
                else None
            ),
        },
    )


def _login(request: HttpRequest, method: str, form: FormState) -> HttpResponse | None:
    post = request.POST
    try:
        if method == "password":
            user = services.authenticate_password(
                post.get("identifier", ""),
                post.get("password", ""),
                ip=client_ip(request),
                user_agent=_ua(request),
            )
        else:
            user = services.authenticate_sms(
                post.get("phone", ""),
                post.get("sms_code", ""),
                ip=client_ip(request),
                user_agent=_ua(request),
            )
    except DomainError as exc:
        form.add(exc)
        return None
    if services.needs_second_factor(user):
        # Staff sign in at the back office, with their TOTP step (staff_auth); the portal never
        # signs in an account that needs a second factor.
        form.error(None, STAFF_MESSAGE)
        return None
    common.sign_in(request, user)
    if user.must_change_password:
        messages.info(request, "为了账号安全，请先修改初始密码。")
        change = reverse("portal:account-password")
        return redirect(f"{change}?{urlencode({'next': common.next_url(request)})}")
    return redirect(common.next_url(request))


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.success(request, "您已安全退出。")
    return redirect("portal:home")
