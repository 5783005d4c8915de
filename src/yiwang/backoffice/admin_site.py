"""The Django admin behind the back office's sign-in (password + 动态口令).

Django's admin signs staff in with a password alone; every staff account must pass a second
factor (GB/T 22239-2019 8.1.4.1 d, see ``accounts.services.staff_auth``). So the admin has no
sign-in of its own: ``/admin/login/`` sends to the back office's, and the admin accepts only a
session the back office marked as having passed the TOTP step — a session opened any other way
(a portal password form, a session from before this rule) is sent to sign in again.
:func:`install` puts both rules on ``admin.site`` (``conf/urls.py`` calls it).
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from yiwang.accounts.services.staff_auth import staff_session_verified
from yiwang.backoffice.decorators import forbidden

__all__ = ["has_permission", "install", "login", "password_change"]


def has_permission(request: HttpRequest) -> bool:
    """An active ``is_staff`` account, signed in through the back office with both factors, whose
    initial password has been changed."""
    return bool(
        staff_session_verified(request)
        and request.user.is_staff
        and not request.user.must_change_password
    )


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """``/admin/login/``: the back office's sign-in, coming back to the admin page asked for."""
    target = _next(request)
    if has_permission(request):
        return redirect(target)
    if staff_session_verified(request):
        if request.user.must_change_password:
            return redirect("backoffice:password")
        # Signed in, but not admitted: sending to the sign-in page again would loop.
        return forbidden(request, "您的账号没有进入管理后台的权限。")
    return redirect(f"{reverse('backoffice:login')}?{urlencode({'next': target})}")


def password_change(request: HttpRequest, extra_context=None) -> HttpResponse:
    """The admin's 修改密码 link: the back office's page, whose change goes through
    ``accounts.services.change_password`` (rules, wrong-try limit, audit) — Django's own
    form would set the password past all three."""
    return redirect("backoffice:password")


def install(site: AdminSite) -> None:
    """Make ``site`` use the back office's sign-in and password change, and accept only its
    TOTP-verified sessions."""
    site.has_permission = has_permission
    site.login = login
    site.password_change = password_change
