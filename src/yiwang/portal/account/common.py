"""What the account pages share: the typed values and errors of a form, the SMS-code box, the
``next`` target, signing in.

A form's state is a :class:`FormState`: the values typed (never passwords or codes: those are
simply not kept) and the errors by field, which the templates show next to each field and in the
error summary at the top, linked to the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import login
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from yiwang.accounts.services.sms_codes import SentCode
from yiwang.core.errors import DomainError, RateLimited

BACKEND = "django.contrib.auth.backends.ModelBackend"

# Fields whose value is a secret: never sent back to the browser.
SECRETS = frozenset(
    {"password", "password2", "new_password", "new_password2", "old_password", "sms_code"}
)


@dataclass
class FormState:
    """Typed values (secrets dropped) and errors (field → message; ``None`` for the form)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str | None, str] = field(default_factory=dict)
    # field name → the id of its input, for the summary's links
    ids: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_post(cls, request: HttpRequest, names: list[str]) -> FormState:
        values = {name: request.POST.get(name, "").strip() for name in names if name not in SECRETS}
        return cls(values=values)

    def add(self, exc: DomainError, *, fields: dict[str, str] | None = None) -> None:
        """Attach a service's error to its field (``fields`` renames service → form names)."""
        name = exc.field
        if fields and name in fields:
            name = fields[name]
        if name is not None and name not in self.values and name not in SECRETS:
            name = None  # a field this form does not have: show the message for the form
        self.errors.setdefault(name, exc.message)

    def error(self, name: str | None, message: str) -> None:
        self.errors.setdefault(name, message)

    @property
    def summary(self) -> list[tuple[str | None, str]]:
        """(input id or None, message) for the error summary, form-level message first."""
        items = [(None, self.errors[None])] if None in self.errors else []
        items += [(f"id_{name}", msg) for name, msg in self.errors.items() if name is not None]
        return items

    def __bool__(self) -> bool:
        return bool(self.errors)


def next_url(request: HttpRequest, default: str = "portal:account") -> str:
    """The page to go to afterwards: ``next`` if it is on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def optional_url(name: str, *args) -> str | None:
    """A page another part of the portal provides, or None while it does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def sign_in(request: HttpRequest, user) -> None:
    login(request, user, backend=BACKEND)


@dataclass(frozen=True)
class SmsBox:
    """What the 获取验证码 box shows: the button, a status line, an error, a countdown (seconds
    until the button works again; the page's script counts it down)."""

    purpose: str
    message: str = ""
    error: str = ""
    countdown: int = 0


def sms_box_after(purpose: str, call: Callable[[], SentCode]) -> SmsBox:
    """Run ``call`` (a service that sends a code) and describe the outcome for the box;
    refusals become its error line, with a countdown when only a short wait is needed."""
    try:
        sent = call()
    except RateLimited as exc:
        countdown = exc.retry_after if exc.retry_after <= 120 else 0
        return SmsBox(purpose, error=exc.message, countdown=countdown)
    except DomainError as exc:
        return SmsBox(purpose, error=exc.message)
    return SmsBox(purpose, message=sent.message, countdown=sent.resend_after)
