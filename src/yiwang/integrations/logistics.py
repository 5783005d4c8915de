"""Express delivery (物流快递): one interface to the carrier, chosen by ``LOGISTICS_BACKEND``.

Results are posted to the applicant and materials may be posted to the office (证照网上申请、快递
送达, both directions: REQUIREMENTS §3; seed 001 ch. 5 【全程网办】"审批结果通过物流递送" and
【办事过程指引】"领取审批结果时，应告知两种途径（大厅自领，物流递送）"). The carrier is another
organisation's system, so it sits behind :class:`LogisticsGateway` (DESIGN §3.6):

* :class:`FakeLogistics` (``fake``, the default) posts nothing. Its tracking numbers and
  tracking events are computed from the case number and the creation time alone, so the demo
  and the tests need no carrier, no table and no memory shared between processes.
* :class:`HttpLogistics` (``http``) speaks JSON to a carrier's (or a logistics platform's) HTTP
  API; it is tested against a local HTTP server.

``create_shipment`` is idempotent by the request's ``reference`` (the case number): asked twice,
it answers with the same tracking number, so a retried task never posts two parcels. Failures
raise :class:`LogisticsError`, whose ``retryable`` says whether trying again later may help.

Addresses and phone numbers are personal data: they go to the carrier and nowhere else (not into
logs, not into error messages).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone

__all__ = [
    "BACKENDS",
    "Address",
    "FakeLogistics",
    "HttpLogistics",
    "LogisticsError",
    "LogisticsGateway",
    "Shipment",
    "ShipmentRequest",
    "TrackingEvent",
    "TrackingStatus",
    "get_gateway",
]

# The message every retryable failure starts with; the part in brackets is for the operator.
UNAVAILABLE = "物流服务暂时不可用，请稍后再试"
DEFAULT_TIMEOUT = 10
# What a carrier's error message may add to ours; more is noise (and may echo the request).
_MESSAGE_LIMIT = 200


class TrackingStatus(models.TextChoices):
    """Where a parcel is; the labels are what the applicant reads on the case page."""

    CREATED = "created", "已下单"
    PICKED_UP = "picked_up", "已揽收"
    IN_TRANSIT = "in_transit", "运输中"
    DELIVERED = "delivered", "已签收"
    RETURNED = "returned", "已退回"


@dataclass(frozen=True)
class Address:
    """One end of a shipment. ``region_code`` is the 12-digit administrative division code
    (:mod:`yiwang.regions`); ``detail`` is the street address below it."""

    name: str
    phone: str
    region_code: str
    detail: str


@dataclass(frozen=True)
class ShipmentRequest:
    """A parcel to post. ``reference`` is the case number: the carrier's idempotency key."""

    reference: str
    sender: Address
    recipient: Address
    contents: str


@dataclass(frozen=True)
class Shipment:
    """The carrier's answer: who carries the parcel, under which number, since when."""

    carrier: str
    tracking_number: str
    created_at: datetime


@dataclass(frozen=True)
class TrackingEvent:
    at: datetime
    status: str  # a TrackingStatus value
    description: str


class LogisticsError(Exception):
    """The carrier could not do what was asked. ``message`` is Chinese and may be shown to staff.

    ``retryable`` is true when the same request later may succeed (carrier down, overloaded,
    slow, unreadable answer: the idempotency key makes a retry safe) and false when the carrier
    refused this request (bad address, unknown tracking number, wrong token). ``status`` is the
    carrier's HTTP status, when there was one.
    """

    def __init__(self, message: str, *, retryable: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.status = status


class LogisticsGateway(Protocol):
    name: str

    def create_shipment(self, req: ShipmentRequest) -> Shipment:
        """Order a pick-up of ``req``; the same ``req.reference`` always gives the same parcel."""
        ...

    def track(
        self, tracking_number: str, *, created_at: datetime | None = None
    ) -> list[TrackingEvent]:
        """The parcel's events so far, oldest first.

        ``created_at`` is the ``Shipment.created_at`` the caller kept: a carrier keeps the
        history itself and ignores it; the fake, which keeps nothing, needs it.
        """
        ...


# --- fake ------------------------------------------------------------------------------------

# When the fake's parcel reaches each status, counted from its creation.
FAKE_SCHEDULE: tuple[tuple[timedelta, TrackingStatus, str], ...] = (
    (timedelta(0), TrackingStatus.CREATED, "已下单，等待快递员上门揽收"),
    (timedelta(hours=2), TrackingStatus.PICKED_UP, "快递员已揽收"),
    (timedelta(hours=6), TrackingStatus.IN_TRANSIT, "快件已发出，正在运往收件地"),
    (timedelta(hours=24), TrackingStatus.DELIVERED, "快件已签收"),
)


def _luhn_digit(digits: str) -> str:
    """The Luhn check digit of ``digits``: a mistyped tracking number is recognised as such."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:  # these are doubled once the check digit is appended
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def _fake_tracking_number(reference: str) -> str:
    body = str(int(hashlib.sha256(reference.encode("utf-8")).hexdigest(), 16) % 10**11)
    body = body.zfill(11)
    return f"YW{body}{_luhn_digit(body)}"


def _is_fake_tracking_number(value: str) -> bool:
    digits = value[2:]
    return (
        len(value) == 14
        and value.startswith("YW")
        and digits.isascii()
        and digits.isdigit()
        and _luhn_digit(digits[:-1]) == digits[-1]
    )


class FakeLogistics:
    """The demo's and the tests' carrier: nothing is posted, the parcel arrives in a day.

    The tracking number is ``YW`` + 11 digits of the SHA-256 of the reference + a Luhn check
    digit, so the same case number gives the same number in any process. Events follow
    :data:`FAKE_SCHEDULE` from ``created_at`` to ``now()``.
    """

    name = "fake"
    carrier = "模拟快递"

    def __init__(self, *, now: Callable[[], datetime] = timezone.now) -> None:
        self.now = now

    def create_shipment(self, req: ShipmentRequest) -> Shipment:
        if not req.reference.strip():
            raise LogisticsError("物流服务拒绝了请求：缺少办件编号", retryable=False, status=400)
        # A real carrier refuses a parcel it cannot deliver; the demo shows that path too.
        for role, address in (("寄件人", req.sender), ("收件人", req.recipient)):
            for field, label in (("name", "姓名"), ("phone", "电话"), ("detail", "地址")):
                if not getattr(address, field).strip():
                    raise LogisticsError(
                        f"物流服务拒绝了请求：{role}{label}为空", retryable=False, status=400
                    )
        # created_at is this call's time: a repeated request gets the same parcel, and the
        # caller keeps the first answer it stored.
        return Shipment(
            carrier=self.carrier,
            tracking_number=_fake_tracking_number(req.reference),
            created_at=self.now(),
        )

    def track(
        self, tracking_number: str, *, created_at: datetime | None = None
    ) -> list[TrackingEvent]:
        if created_at is None:
            raise ValueError("FakeLogistics.track needs the shipment's created_at")
        if not _is_fake_tracking_number(tracking_number):
            raise LogisticsError(f"运单号 {tracking_number} 不存在", retryable=False, status=404)
        now = self.now()
        # The "created" event is shown even when this process's clock is a little behind the
        # one that created the shipment.
        return [
            TrackingEvent(at=created_at + offset, status=status.value, description=description)
            for offset, status, description in FAKE_SCHEDULE
            if not offset or created_at + offset <= now
        ]


# --- HTTP ------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as an error: following it would send the token to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpLogistics:
    """A carrier's JSON API.

    ``POST {base_url}/shipments`` with the request as JSON (``reference``, ``sender``,
    ``recipient`` — each ``name``, ``phone``, ``region_code``, ``detail`` — and ``contents``)
    and the headers ``Authorization: Bearer <token>`` and ``Idempotency-Key: <reference>``;
    the answer is ``{"carrier", "tracking_number", "created_at"}`` (ISO 8601; without an offset
    it is read in ``TIME_ZONE``).

    ``GET {base_url}/shipments/{tracking_number}/events`` answers
    ``{"events": [{"at", "status", "description"}, …]}`` with the statuses of
    :class:`TrackingStatus`.

    5xx, 429, timeouts, broken connections and unreadable answers raise a retryable
    :class:`LogisticsError`; other 4xx (and 3xx, which are not followed) a final one carrying
    the carrier's ``message`` (or ``detail``).
    """

    name = "http"

    def __init__(self, base_url: str, token: str = "", timeout: float = DEFAULT_TIMEOUT) -> None:
        if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
            raise ImproperlyConfigured(f"LOGISTICS_URL must be an http(s) URL, not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirect)

    def create_shipment(self, req: ShipmentRequest) -> Shipment:
        data = self._call(
            "POST",
            "/shipments",
            body=asdict(req),
            headers={"Idempotency-Key": req.reference},
        )
        try:
            carrier, number = data["carrier"], data["tracking_number"]
            if not (isinstance(carrier, str) and isinstance(number, str) and number):
                raise ValueError
            return Shipment(carrier, number, _parse_time(data["created_at"]))
        except (KeyError, TypeError, ValueError) as error:
            raise _unreadable() from error

    def track(
        self, tracking_number: str, *, created_at: datetime | None = None
    ) -> list[TrackingEvent]:
        path = f"/shipments/{urllib.parse.quote(tracking_number, safe='')}/events"
        data = self._call("GET", path)
        try:
            events = [
                TrackingEvent(
                    at=_parse_time(item["at"]),
                    status=TrackingStatus(item["status"]).value,
                    description=str(item.get("description") or ""),
                )
                for item in data["events"]
            ]
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise _unreadable() from error
        return sorted(events, key=lambda event: event.at)

    def _call(
        self, method: str, path: str, *, body: object = None, headers: dict | None = None
    ) -> dict:
        all_headers = {"Accept": "application/json", **(headers or {})}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            all_headers["Content-Type"] = "application/json; charset=utf-8"
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.base_url + path, data=data, headers=all_headers, method=method
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            if error.code >= 500 or error.code == 429:
                raise LogisticsError(
                    f"{UNAVAILABLE}（HTTP {error.code}）", retryable=True, status=error.code
                ) from error
            reason = _carrier_message(error.read())
            raise LogisticsError(
                f"物流服务拒绝了请求（HTTP {error.code}）" + (f"：{reason}" if reason else ""),
                retryable=False,
                status=error.code,
            ) from error
        except TimeoutError as error:  # socket.timeout is TimeoutError since 3.10
            raise self._timed_out() from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise self._timed_out() from error
            raise LogisticsError(
                f"{UNAVAILABLE}（无法连接：{error.reason}）", retryable=True
            ) from error
        except (OSError, http.client.HTTPException) as error:  # reset, truncated answer, …
            raise LogisticsError(f"{UNAVAILABLE}（连接中断）", retryable=True) from error
        try:
            answer = json.loads(raw)
        except ValueError as error:
            raise _unreadable() from error
        if not isinstance(answer, dict):
            raise _unreadable()
        return answer

    def _timed_out(self) -> LogisticsError:
        return LogisticsError(f"{UNAVAILABLE}（{self.timeout} 秒内无应答）", retryable=True)


def _unreadable() -> LogisticsError:
    # For a POST the parcel may exist; the Idempotency-Key makes asking again safe.
    return LogisticsError(f"{UNAVAILABLE}（应答无法识别）", retryable=True)


def _parse_time(value: object) -> datetime:
    if not isinstance(value, str):
        raise TypeError(value)
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _carrier_message(body: bytes) -> str:
    """The ``message`` (or problem+json ``detail``) of a carrier's error answer, shortened."""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    text = data.get("message") or data.get("detail") or ""
    return str(text).strip()[:_MESSAGE_LIMIT]


BACKENDS = {
    "fake": FakeLogistics,
    "http": HttpLogistics,
}


def get_gateway() -> LogisticsGateway:
    """The gateway named by ``LOGISTICS_BACKEND``, configured from ``LOGISTICS_URL``/``_TOKEN``."""
    name = settings.LOGISTICS_BACKEND
    if name == "http":
        if not settings.LOGISTICS_URL:
            raise ImproperlyConfigured("LOGISTICS_BACKEND=http needs LOGISTICS_URL")
        return HttpLogistics(settings.LOGISTICS_URL, settings.LOGISTICS_TOKEN)
    try:
        return BACKENDS[name]()
    except KeyError:
        raise ImproperlyConfigured(f"unknown LOGISTICS_BACKEND {name!r}") from None
