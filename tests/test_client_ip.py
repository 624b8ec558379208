import pytest
from django.test import RequestFactory

from qa_platform.client_ip import client_ip


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "1.1.1.1", "10.0.0.9"),  # no proxies trusted: the header is ignored
        (1, "6.6.6.6, 2.2.2.2", "2.2.2.2"),  # the client forged 6.6.6.6; our proxy saw 2.2.2.2
        (2, "6.6.6.6, 3.3.3.3, 10.0.0.5", "3.3.3.3"),
        (2, "3.3.3.3", "10.0.0.9"),  # fewer hops than proxies: fall back to the connection
        (1, "", "10.0.0.9"),
    ],
)
def test_it_trusts_forwarded_addresses_only_as_far_as_our_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
