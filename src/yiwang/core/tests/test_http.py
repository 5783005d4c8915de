"""client_ip trusts X-Forwarded-For only as far as the configured proxies reach."""

import pytest
from django.test import RequestFactory

from yiwang.core.http import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.9"),  # no proxy: the header is the client's own words
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the proxy appended the real client
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.2", "1.2.3.4"),
        (2, "1.2.3.4", "10.0.0.9"),  # fewer hops than proxies: do not guess
        (1, "", "10.0.0.9"),
    ],
)
def test_client_ip(settings, proxies, forwarded, expected):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
