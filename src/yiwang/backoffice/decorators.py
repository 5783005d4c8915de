"""``staff_required``: the one gate of every back-office page (default deny)."""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from yiwang.accounts.permissions import roles_of
from yiwang.accounts.services.staff_auth import staff_session_verified
from yiwang.core.errors import Forbidden, NotFound

__all__ = ["forbidden", "staff_required"]


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    """The Chinese 403 page, inside the back-office frame."""
    return render(
        request,
        "backoffice/403.html",
        {"message": message or "您没有访问这个页面的权限。"},
        status=403,
    )


def staff_required(view=None, *, roles: tuple[str, ...] = ()):
    """Admit a staff session that passed both sign-in factors and holds at least one role (any
    of ``roles`` when given). Anyone else: the sign-in page if not signed in as staff, the 403
    page otherwise. Object-level refusals raised by services inside the view (``Forbidden``,
    ``NotFound``) become the 403 and 404 pages too, so a view cannot leak data by forgetting
    to catch them.
    """

    def decorate(func):
        @wraps(func)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not staff_session_verified(request):
                login = reverse("backoffice:login")
                return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
            held = {a.role for a in roles_of(request.user)}
            if not held:
                return forbidden(request, "您的账号尚未分配任何角色，请联系本单位部门管理员。")
            if roles and not held.intersection(roles):
                return forbidden(request)
            if request.user.must_change_password and func.__name__ != "change_password":
                return redirect("backoffice:password")
            try:
                return func(request, *args, **kwargs)
            except NotFound as exc:
                return render(request, "backoffice/404.html", {"message": exc.message}, status=404)
            except Forbidden as exc:
                return forbidden(request, exc.message)

        return wrapper

    return decorate(view) if view is not None else decorate
