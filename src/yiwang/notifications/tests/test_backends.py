"""SMS backends; the HTTP gateway adapter against a real HTTP server on this machine."""

import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from yiwang.notifications import backends, services
from yiwang.notifications.backends import DeliveryError, DeliveryRejected, HttpBackend
from yiwang.notifications.models import Message, Status

PHONE = "13812345678"
TEXT = "【一网】您的验证码为381204，5分钟内有效，请勿告诉他人。"


class Gateway:
    """A local SMS gateway: records each request, answers with the next planned reply."""

    def __init__(self):
        self.requests: list[dict] = []
        self.replies: list[tuple[int, bytes, float]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                gateway.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                status, body, delay = gateway.replies.pop(0) if gateway.replies else (200, b"{}", 0)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def reply(self, status: int, body: object = None, *, delay: float = 0):
        raw = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
        self.replies.append((status, raw, delay))

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway_server():
    server = Gateway()
    yield server
    server.close()


def test_http_backend_posts_the_message_and_returns_the_provider_id(gateway_server):
    gateway_server.reply(200, {"id": "msg-0001", "status": "queued"})
    backend = HttpBackend(gateway_server.url, api_key="k-123", timeout=5, sign="一网")
    assert backend.send(PHONE, TEXT) == "msg-0001"

    [request] = gateway_server.requests
    assert (request["method"], request["path"]) == ("POST", "/sms/send")
    assert request["headers"]["content-type"] == "application/json; charset=utf-8"
    assert request["headers"]["accept"] == "application/json"
    assert request["headers"]["x-api-key"] == "k-123"
    assert json.loads(request["body"].decode("utf-8")) == {
        "phone": PHONE,
        "text": TEXT,
        "sign": "一网",
    }
    # Chinese travels as UTF-8, not \u escapes
    assert TEXT.encode("utf-8") in request["body"]


def test_without_key_and_sign_neither_is_sent(gateway_server):
    gateway_server.reply(200, {"message_id": 42})
    assert HttpBackend(gateway_server.url).send(PHONE, TEXT) == "42"
    [request] = gateway_server.requests
    assert "x-api-key" not in request["headers"]
    assert json.loads(request["body"]) == {"phone": PHONE, "text": TEXT}


def test_a_success_without_an_id_returns_an_empty_id(gateway_server):
    gateway_server.reply(200, b"OK")
    assert HttpBackend(gateway_server.url).send(PHONE, TEXT) == ""


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_are_retriable(gateway_server, status):
    gateway_server.reply(status, b"busy")
    with pytest.raises(DeliveryError) as error:
        HttpBackend(gateway_server.url).send(PHONE, TEXT)
    assert str(error.value) == f"短信网关暂时不可用：HTTP {status} busy"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_permanent(gateway_server, status):
    gateway_server.reply(status, {"error": "invalid phone"})
    with pytest.raises(DeliveryRejected) as error:
        HttpBackend(gateway_server.url).send(PHONE, TEXT)
    assert str(error.value) == f'短信网关拒绝：HTTP {status} {{"error": "invalid phone"}}'


def test_a_timeout_is_retriable(gateway_server):
    gateway_server.reply(200, {"id": "late"}, delay=1.5)
    backend = HttpBackend(gateway_server.url, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(DeliveryError) as error:
        backend.send(PHONE, TEXT)
    assert time.monotonic() - started < 1.2
    assert str(error.value) == "短信网关超时（0.3 秒）"
    assert len(gateway_server.requests) == 1


def test_a_refused_connection_is_retriable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DeliveryError) as error:
        HttpBackend(f"http://127.0.0.1:{port}/").send(PHONE, TEXT)
    assert str(error.value).startswith("无法连接短信网关：")


def test_only_http_urls_are_accepted():
    with pytest.raises(ImproperlyConfigured):
        HttpBackend("file:///etc/passwd")


@pytest.mark.django_db(transaction=True)
def test_send_sms_through_the_configured_gateway(gateway_server, settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = gateway_server.url
    settings.SMS_GATEWAY_API_KEY = "k-123"
    settings.SMS_GATEWAY_SIGN = ""
    gateway_server.reply(500, b"down")
    gateway_server.reply(200, {"id": "msg-0002"})

    with transaction.atomic():
        message = services.send_sms(PHONE, "sms/verification_code", {"code": "381204"})
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        Status.PENDING,
        1,
        "短信网关暂时不可用：HTTP 500 down",
    )
    # The immediate task backend cannot defer the retry; the sweep sends it once it is due.
    assert services.retry_due() == 0
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - services.SWEEP_GRACE
    )
    assert services.retry_due() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.provider_id, message.last_error) == (
        Status.SENT,
        2,
        "msg-0002",
        "",
    )
    assert [json.loads(r["body"]) for r in gateway_server.requests] == [
        {"phone": PHONE, "text": TEXT},
        {"phone": PHONE, "text": TEXT},
    ]
    assert Message.objects.count() == 1


def test_get_backend_follows_the_settings(settings):
    settings.SMS_BACKEND = "console"
    assert type(backends.get_backend()) is backends.ConsoleBackend
    settings.SMS_BACKEND = "outbox"
    assert type(backends.get_backend()) is backends.OutboxBackend
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "https://sms.example.gov.cn/api/send"
    settings.SMS_GATEWAY_API_KEY = "k"
    settings.SMS_GATEWAY_TIMEOUT = 7
    settings.SMS_GATEWAY_SIGN = "一网"
    backend = backends.get_backend()
    assert (backend.url, backend.api_key, backend.timeout, backend.sign) == (
        "https://sms.example.gov.cn/api/send",
        "k",
        7,
        "一网",
    )
    settings.SMS_GATEWAY_URL = ""
    with pytest.raises(ImproperlyConfigured):
        backends.get_backend()


def test_console_backend_logs_the_text_with_the_number_masked(caplog):
    with caplog.at_level(logging.INFO, logger="yiwang.notifications"):
        assert backends.ConsoleBackend().send(PHONE, TEXT) == "console"
    assert caplog.messages == [f"短信 → 138****5678：{TEXT}"]


def test_outbox_backend_sends_nothing():
    assert backends.OutboxBackend().send(PHONE, TEXT) == "outbox"


def test_system_check_reports_a_missing_gateway_url(settings):
    from yiwang.notifications.checks import sms_gateway

    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = ""
    assert [e.id for e in sms_gateway(None)] == ["notifications.E001"]
    settings.SMS_GATEWAY_URL = "https://sms.example.gov.cn/api/send"
    assert sms_gateway(None) == []
