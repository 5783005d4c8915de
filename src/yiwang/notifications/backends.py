"""SMS backends: one interface, chosen by ``SMS_BACKEND`` (DESIGN §3.6).

``send(phone, text)`` hands one message to the carrier and returns the provider's message id. It
raises :class:`DeliveryError` when trying again later may succeed (gateway down, overloaded, slow)
and :class:`DeliveryRejected` when it will not (the gateway refused this request); the delivery
task retries the first and gives up at once on the second.

Phone numbers are logged masked only (``138****5678``), never whole.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from yiwang.core.masking import mask_phone

__all__ = [
    "BACKENDS",
    "ConsoleBackend",
    "DeliveryError",
    "DeliveryRejected",
    "HttpBackend",
    "OutboxBackend",
    "SmsBackend",
    "get_backend",
]

logger = logging.getLogger("yiwang.notifications")

# What a gateway's error body may add to last_error; more is noise (and may echo the request).
_ERROR_BODY_LIMIT = 200


class DeliveryError(Exception):
    """The message could not be delivered now; another attempt later may succeed."""


class DeliveryRejected(Exception):
    """The gateway refused the message; sending it again unchanged will fail again."""


class SmsBackend(Protocol):
    name: str

    def send(self, phone: str, text: str) -> str:
        """Deliver ``text`` to ``phone``; return the provider's message id."""
        ...


class ConsoleBackend:
    """Development: the text goes to the log (the code is in it; the number is masked)."""

    name = "console"

    def send(self, phone: str, text: str) -> str:
        logger.info("短信 → %s：%s", mask_phone(phone), text)
        return "console"


class OutboxBackend:
    """Tests and the demo: nothing leaves; the message row is marked sent and read from there
    (:func:`yiwang.notifications.testing.last_sms`)."""

    name = "outbox"

    def send(self, phone: str, text: str) -> str:
        return "outbox"


class HttpBackend:
    """A generic SMS gateway: ``POST <url>`` with JSON ``{"phone", "text"[, "sign"]}``.

    The API key goes in ``X-API-Key``. A 2xx answer is success; the provider's id is read from a
    JSON body's ``id`` or ``message_id`` (empty if it has neither). 5xx, 429, timeouts and
    connection errors are retriable; any other 4xx (and a 3xx, which a POST API should not send)
    is a rejection.
    """

    name = "http"

    def __init__(self, url: str, *, api_key: str = "", timeout: float = 10, sign: str = ""):
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ImproperlyConfigured(f"SMS_GATEWAY_URL must be an http(s) URL, not {url!r}")
        self.url = url
        self.api_key = api_key
        self.timeout = timeout
        self.sign = sign

    def send(self, phone: str, text: str) -> str:
        payload = {"phone": phone, "text": text}
        if self.sign:
            payload["sign"] = self.sign
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.api_key:
            headers["X-API-Key"] = self.api_key
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers=headers,
            method="POST",
        )
        try:
            # A redirect is not followed for a POST by urllib; it arrives as an HTTPError below.
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as error:
            detail = _body_excerpt(error.read())
            if error.code >= 500 or error.code == 429:
                raise DeliveryError(f"短信网关暂时不可用：HTTP {error.code} {detail}") from error
            raise DeliveryRejected(f"短信网关拒绝：HTTP {error.code} {detail}") from error
        except TimeoutError as error:  # socket.timeout is TimeoutError since 3.10
            raise DeliveryError(f"短信网关超时（{self.timeout} 秒）") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise DeliveryError(f"短信网关超时（{self.timeout} 秒）") from error
            raise DeliveryError(f"无法连接短信网关：{error.reason}") from error
        except (OSError, http.client.HTTPException) as error:  # reset, truncated answer, …
            raise DeliveryError(f"短信网关连接中断：{error}") from error
        return _provider_id(body)


def _body_excerpt(body: bytes) -> str:
    return body[:_ERROR_BODY_LIMIT].decode("utf-8", errors="replace").strip()


def _provider_id(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    value = data.get("id", data.get("message_id", ""))
    return "" if value is None else str(value)[:128]


BACKENDS = {
    "console": ConsoleBackend,
    "outbox": OutboxBackend,
    "http": HttpBackend,
}


def get_backend() -> SmsBackend:
    """The backend named by ``SMS_BACKEND``, configured from the ``SMS_GATEWAY_*`` settings."""
    name = settings.SMS_BACKEND
    if name == "http":
        if not settings.SMS_GATEWAY_URL:
            raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_GATEWAY_URL")
        return HttpBackend(
            settings.SMS_GATEWAY_URL,
            api_key=settings.SMS_GATEWAY_API_KEY,
            timeout=settings.SMS_GATEWAY_TIMEOUT,
            sign=settings.SMS_GATEWAY_SIGN,
        )
    try:
        return BACKENDS[name]()
    except KeyError:
        raise ImproperlyConfigured(f"unknown SMS_BACKEND {name!r}") from None
