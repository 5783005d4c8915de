"""The logistics gateway: the fake carrier, and the HTTP adapter against a real local server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from yiwang.integrations import logistics
from yiwang.integrations.logistics import (
    Address,
    FakeLogistics,
    HttpLogistics,
    LogisticsError,
    Shipment,
    ShipmentRequest,
    TrackingEvent,
    TrackingStatus,
)

CASE_NUMBER = "3301062025030400017"
SHANGHAI = ZoneInfo("Asia/Shanghai")
CREATED = datetime(2025, 3, 4, 9, 30, tzinfo=SHANGHAI)

OFFICE = Address(
    name="杭州市西湖区行政服务中心",
    phone="0571-87001234",
    region_code="330106000000",
    detail="文三路 100 号一楼 12 号窗口",
)
APPLICANT = Address(
    name="张三",
    phone="13812345678",
    region_code="330106004000",
    detail="古荡街道学院路 28 号 3 幢 201 室",
)
REQUEST = ShipmentRequest(
    reference=CASE_NUMBER, sender=OFFICE, recipient=APPLICANT, contents="营业执照（正本）1 份"
)
UNAVAILABLE = "物流服务暂时不可用，请稍后再试"
REFUSED = "物流服务拒绝了请求"


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at


# --- fake --------------------------------------------------------------------------------------


def test_fake_tracking_number_is_derived_from_the_case_number():
    shipment = FakeLogistics(now=Clock(CREATED)).create_shipment(REQUEST)
    assert shipment == Shipment(
        carrier="模拟快递", tracking_number="YW318175465026", created_at=CREATED
    )


def test_fake_is_idempotent_by_reference():
    first = FakeLogistics(now=Clock(CREATED)).create_shipment(REQUEST)
    # A retried task, in another worker, an hour later, with the contents worded differently.
    retry = FakeLogistics(now=Clock(CREATED + timedelta(hours=1))).create_shipment(
        ShipmentRequest(CASE_NUMBER, OFFICE, APPLICANT, contents="营业执照正本")
    )
    other = FakeLogistics(now=Clock(CREATED)).create_shipment(
        ShipmentRequest("3301062025030400018", OFFICE, APPLICANT, contents="营业执照（正本）1 份")
    )
    assert retry.tracking_number == first.tracking_number == "YW318175465026"
    assert other.tracking_number == "YW439371286196"


def test_fake_gives_the_same_number_in_another_process():
    # Python's str hash differs between processes; the tracking number must not.
    code = (
        "from yiwang.integrations.logistics import _fake_tracking_number; "
        f"print(_fake_tracking_number({CASE_NUMBER!r}))"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "YW318175465026\n", "")


def _track_at(offset: timedelta) -> list[TrackingEvent]:
    return FakeLogistics(now=Clock(CREATED + offset)).track("YW318175465026", created_at=CREATED)


def test_fake_events_follow_the_time_since_creation():
    created = TrackingEvent(CREATED, "created", "已下单，等待快递员上门揽收")
    picked_up = TrackingEvent(CREATED + timedelta(hours=2), "picked_up", "快递员已揽收")
    in_transit = TrackingEvent(
        CREATED + timedelta(hours=6), "in_transit", "快件已发出，正在运往收件地"
    )
    delivered = TrackingEvent(CREATED + timedelta(hours=24), "delivered", "快件已签收")

    assert _track_at(timedelta(0)) == [created]
    assert _track_at(timedelta(hours=2) - timedelta(seconds=1)) == [created]
    assert _track_at(timedelta(hours=2)) == [created, picked_up]
    assert _track_at(timedelta(hours=23, minutes=59)) == [created, picked_up, in_transit]
    assert _track_at(timedelta(hours=24)) == [created, picked_up, in_transit, delivered]
    assert _track_at(timedelta(days=30)) == [created, picked_up, in_transit, delivered]


def test_fake_shows_the_created_event_to_a_clock_a_little_behind():
    assert _track_at(-timedelta(seconds=5)) == [
        TrackingEvent(CREATED, "created", "已下单，等待快递员上门揽收")
    ]


def test_fake_track_needs_the_creation_time():
    with pytest.raises(ValueError, match="needs the shipment's created_at"):
        FakeLogistics().track("YW318175465026")


@pytest.mark.parametrize(
    "number",
    ["YW318175465027", "YW31817546502", "SF318175465026", "YW３１８175465026", ""],
)
def test_fake_refuses_a_tracking_number_it_did_not_give(number):
    with pytest.raises(LogisticsError) as error:
        FakeLogistics().track(number, created_at=CREATED)
    assert (error.value.message, error.value.retryable, error.value.status) == (
        f"运单号 {number} 不存在",
        False,
        404,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"recipient": replace(APPLICANT, phone=" ")}, "物流服务拒绝了请求：收件人电话为空"),
        ({"sender": replace(OFFICE, name="")}, "物流服务拒绝了请求：寄件人姓名为空"),
        ({"recipient": replace(APPLICANT, detail="")}, "物流服务拒绝了请求：收件人地址为空"),
        ({"reference": ""}, "物流服务拒绝了请求：缺少办件编号"),
    ],
)
def test_fake_refuses_an_incomplete_request(changes, message):
    with pytest.raises(LogisticsError) as error:
        FakeLogistics().create_shipment(replace(REQUEST, **changes))
    assert (error.value.message, error.value.retryable, error.value.status) == (message, False, 400)


# --- HTTP --------------------------------------------------------------------------------------


class Carrier:
    """A local carrier API: records each request, answers with the next planned reply."""

    def __init__(self):
        self.requests: list[dict] = []
        self.replies: list[tuple[int, bytes, float, dict]] = []
        carrier = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                carrier.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                status, body, delay, headers = (
                    carrier.replies.pop(0) if carrier.replies else (200, b"{}", 0, {})
                )
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            do_GET = do_POST = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.url = f"{self.origin}/api/v1/"
        # A short poll interval: shutdown() waits for it, once per test.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def reply(self, status: int, body: object = None, *, delay: float = 0, headers=None):
        raw = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
        self.replies.append((status, raw, delay, headers or {}))

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def carrier():
    server = Carrier()
    yield server
    server.close()


CREATED_ANSWER = {
    "carrier": "顺丰速运",
    "tracking_number": "SF1400023456789",
    "created_at": "2025-03-04T09:30:00+08:00",
}


def test_http_posts_the_shipment_with_token_and_idempotency_key(carrier):
    carrier.reply(201, CREATED_ANSWER)
    gateway = HttpLogistics(carrier.url, "tok-123", timeout=5)
    assert gateway.create_shipment(REQUEST) == Shipment(
        carrier="顺丰速运", tracking_number="SF1400023456789", created_at=CREATED
    )

    [request] = carrier.requests
    assert (request["method"], request["path"]) == ("POST", "/api/v1/shipments")
    headers = request["headers"]
    assert headers["authorization"] == "Bearer tok-123"
    assert headers["idempotency-key"] == CASE_NUMBER
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["accept"] == "application/json"
    assert json.loads(request["body"].decode("utf-8")) == {
        "reference": CASE_NUMBER,
        "sender": {
            "name": "杭州市西湖区行政服务中心",
            "phone": "0571-87001234",
            "region_code": "330106000000",
            "detail": "文三路 100 号一楼 12 号窗口",
        },
        "recipient": {
            "name": "张三",
            "phone": "13812345678",
            "region_code": "330106004000",
            "detail": "古荡街道学院路 28 号 3 幢 201 室",
        },
        "contents": "营业执照（正本）1 份",
    }
    # Chinese travels as UTF-8, not \u escapes
    assert "营业执照（正本）1 份".encode() in request["body"]


def test_http_sends_the_same_key_when_a_shipment_is_retried(carrier):
    carrier.reply(503, b"busy")
    carrier.reply(200, CREATED_ANSWER)
    gateway = HttpLogistics(carrier.url, "tok-123")
    with pytest.raises(LogisticsError):
        gateway.create_shipment(REQUEST)
    assert gateway.create_shipment(REQUEST).tracking_number == "SF1400023456789"
    assert [r["headers"]["idempotency-key"] for r in carrier.requests] == [CASE_NUMBER] * 2
    assert carrier.requests[0]["body"] == carrier.requests[1]["body"]


def test_http_without_a_token_sends_no_authorization(carrier):
    carrier.reply(200, CREATED_ANSWER)
    HttpLogistics(carrier.url).create_shipment(REQUEST)
    [request] = carrier.requests
    assert "authorization" not in request["headers"]


def test_http_reads_a_time_without_offset_in_the_platform_time_zone(carrier):
    carrier.reply(200, {**CREATED_ANSWER, "created_at": "2025-03-04 09:30:00"})
    shipment = HttpLogistics(carrier.url).create_shipment(REQUEST)
    assert shipment.created_at == CREATED
    assert shipment.created_at.astimezone(UTC) == datetime(2025, 3, 4, 1, 30, tzinfo=UTC)


def test_http_track_gets_the_events_oldest_first(carrier):
    carrier.reply(
        200,
        {
            "events": [
                {"at": "2025-03-04T11:30:00+08:00", "status": "picked_up", "description": "已揽收"},
                {"at": "2025-03-04T01:30:00Z", "status": "created", "description": "已下单"},
                {"at": "2025-03-05T10:00:00+08:00", "status": "returned"},
            ]
        },
    )
    events = HttpLogistics(carrier.url, "tok-123").track("SF1400023456789")
    assert events == [
        TrackingEvent(CREATED, TrackingStatus.CREATED, "已下单"),
        TrackingEvent(CREATED + timedelta(hours=2), TrackingStatus.PICKED_UP, "已揽收"),
        TrackingEvent(datetime(2025, 3, 5, 10, tzinfo=SHANGHAI), TrackingStatus.RETURNED, ""),
    ]
    [request] = carrier.requests
    assert (request["method"], request["path"], request["body"]) == (
        "GET",
        "/api/v1/shipments/SF1400023456789/events",
        b"",
    )
    assert request["headers"]["authorization"] == "Bearer tok-123"
    assert "idempotency-key" not in request["headers"]
    assert "content-type" not in request["headers"]


def test_http_track_quotes_the_tracking_number_in_the_path(carrier):
    carrier.reply(200, {"events": []})
    assert HttpLogistics(carrier.url).track("SF 1/2?x") == []
    assert carrier.requests[0]["path"] == "/api/v1/shipments/SF%201%2F2%3Fx/events"


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_http_server_errors_are_retryable(carrier, status):
    carrier.reply(status, {"message": "系统繁忙"})
    with pytest.raises(LogisticsError) as error:
        HttpLogistics(carrier.url).create_shipment(REQUEST)
    assert (error.value.message, error.value.retryable, error.value.status) == (
        f"{UNAVAILABLE}（HTTP {status}）",
        True,
        status,
    )


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (400, {"message": "收件人电话格式不正确"}, f"{REFUSED}（HTTP 400）：收件人电话格式不正确"),
        (401, {"message": "token invalid"}, f"{REFUSED}（HTTP 401）：token invalid"),
        (404, {"title": "Not Found", "detail": "运单不存在"}, f"{REFUSED}（HTTP 404）：运单不存在"),
        (409, {"message": "x" * 300}, f"{REFUSED}（HTTP 409）：" + "x" * 200),
        (422, b"<html>bad</html>", f"{REFUSED}（HTTP 422）"),
        (403, ["forbidden"], f"{REFUSED}（HTTP 403）"),
    ],
)
def test_http_client_errors_are_final_and_carry_the_carriers_message(
    carrier, status, body, message
):
    carrier.reply(status, body)
    with pytest.raises(LogisticsError) as error:
        HttpLogistics(carrier.url).create_shipment(REQUEST)
    assert (error.value.message, error.value.retryable, error.value.status) == (
        message,
        False,
        status,
    )


def test_http_a_redirect_is_not_followed(carrier):
    # Following it would hand the token to whatever host the Location names.
    carrier.reply(302, b"", headers={"Location": f"{carrier.origin}/elsewhere"})
    with pytest.raises(LogisticsError) as error:
        HttpLogistics(carrier.url, "tok-123").track("SF1400023456789")
    assert (error.value.message, error.value.retryable) == ("物流服务拒绝了请求（HTTP 302）", False)
    assert [r["path"] for r in carrier.requests] == ["/api/v1/shipments/SF1400023456789/events"]


def test_http_a_timeout_is_retryable(carrier):
    carrier.reply(200, CREATED_ANSWER, delay=1.5)
    started = time.monotonic()
    with pytest.raises(LogisticsError) as error:
        HttpLogistics(carrier.url, timeout=0.3).create_shipment(REQUEST)
    assert time.monotonic() - started < 1.2
    assert (error.value.message, error.value.retryable, error.value.status) == (
        f"{UNAVAILABLE}（0.3 秒内无应答）",
        True,
        None,
    )
    assert len(carrier.requests) == 1


def test_http_a_refused_connection_is_retryable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(LogisticsError) as error:
        HttpLogistics(f"http://127.0.0.1:{port}/").track("SF1400023456789")
    assert error.value.message.startswith(f"{UNAVAILABLE}（无法连接：")
    assert error.value.retryable is True


@pytest.mark.parametrize(
    "body",
    [
        b"<html>OK</html>",
        b"",
        json.dumps(["SF1400023456789"]).encode(),
        json.dumps({"carrier": "顺丰速运", "created_at": "2025-03-04T09:30:00+08:00"}).encode(),
        json.dumps({**CREATED_ANSWER, "tracking_number": ""}).encode(),
        json.dumps({**CREATED_ANSWER, "tracking_number": 1400023456789}).encode(),
        json.dumps({**CREATED_ANSWER, "created_at": "yesterday"}).encode(),
        json.dumps({**CREATED_ANSWER, "created_at": None}).encode(),
    ],
)
def test_http_an_unreadable_shipment_answer_is_retryable(carrier, body):
    carrier.reply(200, body)
    with pytest.raises(LogisticsError) as error:
        HttpLogistics(carrier.url).create_shipment(REQUEST)
    assert (error.value.message, error.value.retryable) == (f"{UNAVAILABLE}（应答无法识别）", True)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        {"items": []},
        {"events": None},
        {"events": ["created"]},
        {"events": [{"at": "2025-03-04T09:30:00+08:00", "status": "lost"}]},
        {"events": [{"status": "created"}]},
    ],
)
def test_http_an_unreadable_events_answer_is_retryable(carrier, body):
    carrier.reply(200, body)
    with pytest.raises(LogisticsError) as error:
        HttpLogistics(carrier.url).track("SF1400023456789")
    assert (error.value.message, error.value.retryable) == (f"{UNAVAILABLE}（应答无法识别）", True)


def test_http_only_http_urls_are_accepted():
    with pytest.raises(ImproperlyConfigured, match="LOGISTICS_URL must be an http"):
        HttpLogistics("file:///etc/passwd")


# --- choice by setting -------------------------------------------------------------------------


def test_get_gateway_follows_the_settings(settings):
    settings.LOGISTICS_BACKEND = "fake"
    assert type(logistics.get_gateway()) is FakeLogistics

    settings.LOGISTICS_BACKEND = "http"
    settings.LOGISTICS_URL = "https://logistics.example.gov.cn/api/"
    settings.LOGISTICS_TOKEN = "tok-123"
    gateway = logistics.get_gateway()
    assert type(gateway) is HttpLogistics
    assert (gateway.base_url, gateway.token, gateway.timeout) == (
        "https://logistics.example.gov.cn/api",
        "tok-123",
        10,
    )

    settings.LOGISTICS_URL = ""
    with pytest.raises(ImproperlyConfigured, match="LOGISTICS_BACKEND=http needs LOGISTICS_URL"):
        logistics.get_gateway()

    settings.LOGISTICS_BACKEND = "sf"
    with pytest.raises(ImproperlyConfigured, match="unknown LOGISTICS_BACKEND 'sf'"):
        logistics.get_gateway()


def _start(tmp_path, **variables: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh process with ``variables`` in its environment."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("YIWANG_LOGISTICS_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.setdefault("YIWANG_DATA_DIR", str(tmp_path))
    env.update(variables)
    code = (
        "from yiwang.conf import settings as s; "
        "print(s.LOGISTICS_BACKEND, s.LOGISTICS_URL, s.LOGISTICS_TOKEN)"
    )
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )


def test_start_reads_the_logistics_variables(tmp_path):
    done = _start(
        tmp_path,
        YIWANG_LOGISTICS_BACKEND="http",
        YIWANG_LOGISTICS_URL="https://logistics.example.gov.cn/api",
        YIWANG_LOGISTICS_TOKEN="tok-123",
    )
    assert (done.returncode, done.stdout) == (
        0,
        "http https://logistics.example.gov.cn/api tok-123\n",
    )
    # Without the variables: the fake, no URL, no token.
    assert _start(tmp_path).stdout == "fake  \n"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"YIWANG_LOGISTICS_BACKEND": "http"},
            "ConfigurationError: YIWANG_LOGISTICS_URL='': YIWANG_LOGISTICS_BACKEND=http needs the "
            "carrier's http(s) URL",
        ),
        (
            {"YIWANG_LOGISTICS_BACKEND": "http", "YIWANG_LOGISTICS_URL": "ftp://carrier/"},
            "ConfigurationError: YIWANG_LOGISTICS_URL='ftp://carrier/': "
            "YIWANG_LOGISTICS_BACKEND=http needs the carrier's http(s) URL",
        ),
        (
            {"YIWANG_LOGISTICS_BACKEND": "sf"},
            "ConfigurationError: YIWANG_LOGISTICS_BACKEND='sf': expected one of fake, http",
        ),
    ],
)
def test_start_stops_on_a_logistics_misconfiguration(tmp_path, variables, message):
    done = _start(tmp_path, **variables)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == f"yiwang.conf.env.{message}"
