"""An account opened at a window must change its initial password before it is used.

Window registration (``accounts.services.window_registration``) sends a random initial password
by SMS and marks the account ``must_change_password``: the SMS may be read by others, so until
the holder sets their own password the account may only do that, or sign out. Sign-in already
leads to the change page; this keeps every other use closed too — the user space, the enterprise
pages, applying, signing in a second device by QR code, single sign-on into department systems
(``/oauth/``) and the API — while public pages (guides, search) stay open as to anyone.

Staff areas (``/backoffice/``, ``/admin/``) enforce their own first change with their own page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from yiwang.api.errors import plain_problem

MESSAGE = "请先修改初始密码：窗口开户时短信发送的初始密码修改前，账号只能用来修改密码或退出"
CLOSED = re.compile(r"^/(?:account/|oauth/|api/|my/|items/[^/]+/apply/)")
# What stays open: changing or resetting the password, and signing in, out or up (the API's
# sign-in answer says must_change_password, so an app knows to call /api/v1/auth/password);
# and, to read, what the API serves to anyone: the catalogue, regions and its own description.
OPEN_API = "/api/v1/auth/"
PUBLIC_API = re.compile(
    r"^/api/v1/(?:$|items|themes|departments|regions|organizations|problems/|docs|openapi\.json)"
)
OPEN_PAGES = (
    "portal:account-password",
    "portal:account-logout",
    "portal:account-login",
    "portal:account-register",
    "portal:account-sms-code",
    "portal:account-agreement",
    "portal:account-forgot",
)


class InitialPasswordMiddleware:
    """After the authentication middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_pages: frozenset[str] | None = None

    def _pages(self) -> frozenset[str]:
        if self._open_pages is None:
            self._open_pages = frozenset(reverse(name) for name in OPEN_PAGES)
        return self._open_pages

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not user.must_change_password
            or not CLOSED.match(request.path)
            or request.path in self._pages()
            or request.path.startswith(OPEN_API)
            or (request.method in ("GET", "HEAD") and PUBLIC_API.match(request.path))
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return plain_problem(request, status=403, slug="forbidden", detail=MESSAGE)
        change = reverse("portal:account-password")
        follow = request.get_full_path() if request.method == "GET" else ""
        return redirect(f"{change}?{urlencode({'next': follow})}" if follow else change)
