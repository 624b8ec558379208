"""The client's address for login throttling, trusting X-Forwarded-For only as far as our own proxies."""

from django.conf import settings


def client_ip(request) -> str:
    """With TRUSTED_PROXY_COUNT = n, the address the outermost of our n proxies saw: the n-th from the right.

    Entries further left are whatever the client chose to send, so they are never trusted.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
