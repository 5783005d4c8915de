"""Facts about an HTTP request that services record (the audit trail's IP address)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

__all__ = ["client_ip", "request_actor"]


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address as far as it can be trusted.

    Behind ``YIWANG_PROXY_COUNT`` reverse proxies, each proxy appends the address it received
    the request from to X-Forwarded-For; the client is that many entries from the right.
    Anything further left was written by the client and may be forged. Without proxies the
    header is ignored for the same reason.
    """
    proxies = settings.PROXY_COUNT
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def request_actor(request: HttpRequest) -> dict:
    """Who acts in a request, as services take it: ``actor``, ``actor_label`` and ``ip``."""
    user = request.user
    return {
        "actor": f"user:{user.pk}" if user.is_authenticated else "anonymous",
        "actor_label": user.get_username() if user.is_authenticated else "",
        "ip": client_ip(request),
    }
