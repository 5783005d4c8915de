"""扫码登录: the PC side (QR code, polling with htmx every 2 s) and the phone side (confirm).

The PC browser is identified by a secret cookie set when it asks for a code; the token in the
QR code alone cannot collect the sign-in (``accounts.services.qr_login``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from yiwang.accounts.services import qr_login
from yiwang.core.errors import DomainError
from yiwang.core.http import client_ip
from yiwang.core.qr import qr_svg

COOKIE = "yiwang_qr_browser"
COOKIE_AGE = 24 * 3600
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:home")


@require_GET
def qr_page(request: HttpRequest) -> HttpResponse:
    """A page of its own with the 扫码登录 panel (the login page includes the same panel)."""
    return render(request, "portal/account/qr_login.html", {"next": _next(request)})


@require_GET
def qr_start(request: HttpRequest) -> HttpResponse:
    """A fresh code for this browser (htmx fragment): the QR image and the polling element."""
    secret = request.COOKIES.get(COOKIE) or qr_login.new_browser_secret()
    qr = qr_login.create_qr_login(secret)
    confirm_url = request.build_absolute_uri(reverse("portal:qr-login-confirm", args=[qr.token]))
    response = render(
        request,
        "portal/account/_qr_code.html",
        {
            "qr": qr,
            "svg": qr_svg(confirm_url, scale=5, title="扫码登录二维码"),
            "next": _next(request),
            "status": "pending",
            "ttl_seconds": int(qr_login.QR_TTL.total_seconds()),
        },
    )
    response.set_cookie(
        COOKIE,
        secret,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@require_GET
def qr_poll(request: HttpRequest, token: str) -> HttpResponse:
    """The state of the code for the PC page; signs the PC in, once, after the phone confirmed."""
    secret = request.COOKIES.get(COOKIE, "")
    try:
        status = qr_login.qr_login_status(token, secret)
    except DomainError:
        status = "invalid"
    if status == "confirmed":
        user = qr_login.collect_qr_login(
            token,
            secret,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        if user is not None:
            login(request, user, backend=BACKEND)
            target = _next(request)
            if request.htmx:
                return HttpResponseClientRedirect(target)
            return redirect(target)
        status = "invalid"
    return render(
        request,
        "portal/account/_qr_status.html",
        {"token": token, "status": status, "next": _next(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def qr_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """On the phone (signed in): "确认在电脑上登录？" — confirm or cancel."""
    context = {"token": token, "error": "", "done": ""}
    try:
        if request.method == "POST":
            if request.POST.get("decision") == "confirm":
                qr_login.confirm_qr_login(token, request.user, ip=client_ip(request))
                context["done"] = "confirmed"
            else:
                qr_login.cancel_qr_login(token, request.user)
                context["done"] = "cancelled"
        else:
            qr_login.scan_qr_login(token, request.user)
    except DomainError as exc:
        context["error"] = exc.message
        return render(request, "portal/account/qr_confirm.html", context, status=exc.status)
    return render(request, "portal/account/qr_confirm.html", context)
