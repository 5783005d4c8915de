"""``Idempotency-Key`` on every API request that changes something (DESIGN §4).

A client that did not get an answer — a phone losing its signal in a lift, a department system
timing out — sends the same request again with the same key and must not create a second grant,
enterprise or (later) case. Following the IETF draft "The Idempotency-Key HTTP Header Field"
(draft-ietf-httpapi-idempotency-key-header):

- the key is the client's choice, 1–255 visible ASCII characters (a UUID is best), scoped to the
  caller: the signed-in user, else the bearer token, else the session, else the client address;
- the first request with a key stores its answer; a repeat with the same method, path, query and
  body gets that answer again, marked ``Idempotent-Replayed: true``, without running again;
- the same key with a different request is a 422; a repeat while the first still runs is a 409
  (``Retry-After: 1``), so two concurrent submissions never both do the work;
- only successful answers (2xx) are kept, for :data:`TTL`; a refused request (a wrong field, a
  conflict) leaves nothing behind, so the corrected request may reuse the key. An answer that
  changed the caller's session (a sign-in after registration) is not replayable either — a
  replay could hand someone else's session out — so it is not kept: a repeat runs again and
  meets the service's own duplicate check ("该身份证号已注册").

Services that create records also protect themselves (unique constraints); this layer is the
channel's promise to clients, not the only defence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from yiwang.api.errors import plain_problem
from yiwang.api.models import IdempotencyRecord
from yiwang.core.http import client_ip

__all__ = ["HEADER", "TTL", "IdempotencyMiddleware", "prune"]

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
# A request still marked as running after this long died with its process: its key is free.
ABANDONED_AFTER = timedelta(minutes=5)
MAX_STORED_BODY = 256 * 1024
API_PREFIX = "/api/"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _problem(request: HttpRequest, status: int, slug: str, detail: str) -> HttpResponse:
    return plain_problem(
        request,
        status=status,
        slug=slug,
        detail=detail,
        errors=[{"field": HEADER, "message": detail}],
    )


def parse_key(raw: str) -> str | None:
    """The key of the header (a bare token, or a structured-field string in quotes), or None
    when it is not 1–255 visible ASCII characters."""
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not 1 <= len(key) <= 255 or not all(" " <= ch <= "~" for ch in key):
        return None
    return key


def _digest(*parts: bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big"))
        hasher.update(part)
    return hasher.hexdigest()


def _scope(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        caller = f"user:{user.pk}"
    elif authorization := request.headers.get("Authorization"):
        caller = f"authorization:{authorization}"
    elif session_key := getattr(getattr(request, "session", None), "session_key", None):
        caller = f"session:{session_key}"
    else:
        caller = f"address:{client_ip(request) or ''}"
    return _digest(caller.encode())


def _fingerprint(request: HttpRequest) -> str:
    # A multipart upload is not read here (it may be megabytes, streamed to disk by Django):
    # its length stands for it. Its boundary differs on every send, so the type is left out.
    if request.content_type.startswith("multipart/"):
        body = f"multipart:{request.META.get('CONTENT_LENGTH', '')}".encode()
    else:
        body = request.body
    return _digest(
        request.method.encode(),
        request.path.encode(),
        request.META.get("QUERY_STRING", "").encode(),
        body,
    )


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        record.body.encode(), status=record.status, content_type=record.content_type or None
    )
    if record.location:
        response["Location"] = record.location
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(scope: str, key: str, fingerprint: str, request: HttpRequest) -> IdempotencyRecord:
    """Insert the in-progress row; IntegrityError when the key is taken (and still valid)."""
    now = timezone.now()
    # A stale row (expired answer, or a request whose process died) no longer holds the key.
    IdempotencyRecord.objects.filter(scope=scope, key=key).filter(created_at__lt=now - TTL).delete()
    IdempotencyRecord.objects.filter(
        scope=scope, key=key, status__isnull=True, created_at__lt=now - ABANDONED_AFTER
    ).delete()
    with transaction.atomic():
        return IdempotencyRecord.objects.create(
            scope=scope,
            key=key,
            fingerprint=fingerprint,
            method=request.method,
            path=request.path[:500],
            created_at=now,
        )


def _replayable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        200 <= response.status_code < 300
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.modified)
        and len(response.content) <= MAX_STORED_BODY
    )


class IdempotencyMiddleware:
    """Placed after the authentication middleware: the key is scoped to ``request.user``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.headers.get(HEADER)
        if (
            raw is None
            or request.method not in UNSAFE_METHODS
            or not request.path.startswith(API_PREFIX)
        ):
            return self.get_response(request)
        key = parse_key(raw)
        if key is None:
            return _problem(
                request,
                400,
                "validation",
                "Idempotency-Key 应为 1–255 个可见 ASCII 字符，建议用 UUID",
            )
        scope, fingerprint = _scope(request), _fingerprint(request)
        record = None
        for _attempt in range(2):
            try:
                record = _claim(scope, key, fingerprint, request)
                break
            except IntegrityError:
                earlier = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
                if earlier is not None:
                    return _repeat(request, earlier, fingerprint)
                # the first request failed and released the key in between: claim it again
        if record is None:
            return _in_progress(request)
        try:
            response = self.get_response(request)
        except BaseException:
            record.delete()
            raise
        if _replayable(request, response):
            record.status = response.status_code
            record.content_type = response.get("Content-Type", "")
            record.body = response.content.decode("utf-8", errors="replace")
            record.location = response.get("Location", "")[:500]
            record.save(update_fields=["status", "content_type", "body", "location"])
        else:
            record.delete()
        return response


def _in_progress(request: HttpRequest) -> HttpResponse:
    response = _problem(
        request, 409, "conflict", "相同 Idempotency-Key 的请求正在处理，请稍后再查询结果"
    )
    response["Retry-After"] = "1"
    return response


def _repeat(request: HttpRequest, earlier: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if earlier.fingerprint != fingerprint:
        return _problem(
            request, 422, "invalid", "这个 Idempotency-Key 已用于另一个请求，请换一个新的键"
        )
    if earlier.status is None:
        return _in_progress(request)
    return _replay(earlier)


def prune(now=None) -> int:
    """Delete the answers older than :data:`TTL`; returns how many. Run daily (cron)."""
    now = now or timezone.now()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=now - TTL).delete()
    return deleted
