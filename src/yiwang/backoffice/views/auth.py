"""Staff sign-in: password, then the TOTP code (enrolment on the first sign-in); sign-out;
the change of the initial password."""

from __future__ import annotations

from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.accounts import services
from yiwang.accounts.models import User
from yiwang.accounts.services import staff_auth
from yiwang.backoffice.decorators import staff_required
from yiwang.core.errors import DomainError
from yiwang.core.http import client_ip

PENDING_KEY = "yiwang.staff_pending"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("backoffice:home")


def _ua(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")


@require_http_methods(["GET", "POST"])
def login_password(request: HttpRequest) -> HttpResponse:
    if staff_auth.staff_session_verified(request):
        return redirect(_next(request))
    context = {"next": _next(request), "username": "", "error": ""}
    if request.method == "POST":
        context["username"] = request.POST.get("username", "").strip()[:150]
        try:
            user = staff_auth.authenticate_staff(
                context["username"],
                request.POST.get("password", ""),
                ip=client_ip(request),
                user_agent=_ua(request),
            )
        except DomainError as exc:
            context["error"] = exc.message
            status = getattr(exc, "status", 400)
            return render(request, "backoffice/login.html", context, status=status)
        request.session.cycle_key()  # no session fixation across the two steps
        request.session[PENDING_KEY] = user.pk
        step = "backoffice:totp" if staff_auth.totp_enrolled(user) else "backoffice:enrol"
        return redirect(f"{reverse(step)}?next={context['next']}")
    return render(request, "backoffice/login.html", context)


def _pending(request: HttpRequest) -> User | None:
    pk = request.session.get(PENDING_KEY)
    return User.objects.filter(pk=pk, is_active=True).first() if pk else None


def _signed_in(request: HttpRequest, user: User) -> HttpResponse:
    login(request, user, backend=BACKEND)
    request.session[staff_auth.STAFF_VERIFIED_SESSION_KEY] = user.pk
    request.session.pop(PENDING_KEY, None)
    staff_auth.record_staff_sign_in(user, ip=client_ip(request), user_agent=_ua(request))
    if user.must_change_password:
        return redirect("backoffice:password")
    return redirect(_next(request))


@require_http_methods(["GET", "POST"])
def login_totp(request: HttpRequest) -> HttpResponse:
    user = _pending(request)
    if user is None:
        return redirect("backoffice:login")
    if not staff_auth.totp_enrolled(user):
        return redirect("backoffice:enrol")
    context = {"next": _next(request), "error": "", "staff_name": user.name or user.username}
    if request.method == "POST":
        try:
            staff_auth.verify_totp(
                user, request.POST.get("code", ""), ip=client_ip(request), user_agent=_ua(request)
            )
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, "backoffice/totp.html", context, status=exc.status)
        return _signed_in(request, user)
    return render(request, "backoffice/totp.html", context)


@require_http_methods(["GET", "POST"])
def enrol_totp(request: HttpRequest) -> HttpResponse:
    user = _pending(request)
    if user is None:
        return redirect("backoffice:login")
    if staff_auth.totp_enrolled(user):
        return redirect("backoffice:totp")
    staff_auth.begin_totp_enrolment(user)
    context = {
        "next": _next(request),
        "error": "",
        "qr": staff_auth.totp_provisioning_qr(user),
        # Grouped by four for reading it into an app by hand.
        "secret": " ".join(user.totp_secret[i : i + 4] for i in range(0, 32, 4)),
        "staff_name": user.name or user.username,
    }
    if request.method == "POST":
        try:
            staff_auth.confirm_totp_enrolment(
                user, request.POST.get("code", ""), ip=client_ip(request), user_agent=_ua(request)
            )
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, "backoffice/enrol.html", context, status=exc.status)
        return _signed_in(request, user)
    return render(request, "backoffice/enrol.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("backoffice:login")


@staff_required
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    # Django's form only renders the three fields; the change itself is the accounts service
    # (throttled old-password check, password rules, audit) that the portal uses too.
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        new = request.POST.get("new_password1", "")
        if new != request.POST.get("new_password2", ""):
            errors["new_password2"] = ["两次输入的新密码不一致"]
        else:
            try:
                user = services.change_password(
                    request.user,
                    old_password=request.POST.get("old_password", ""),
                    new_password=new,
                    ip=client_ip(request),
                )
            except DomainError as exc:
                field = {"new_password": "new_password1"}.get(exc.field or "", exc.field)
                errors.setdefault(field or "__all__", []).append(exc.message)
            else:
                update_session_auth_hash(request, user)
                return redirect("backoffice:home")
    form = PasswordChangeForm(request.user)
    fields = [(field, errors.get(field.name, [])) for field in form]
    return render(
        request,
        "backoffice/password.html",
        {"fields": fields, "form_errors": errors.get("__all__", [])},
        status=400 if errors else 200,
    )
