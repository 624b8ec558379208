"""/healthz and /metrics, answered by the first middleware. Nothing here touches the database on other requests."""

import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from ops import health


class OpsEndpointsMiddleware:
    """Answered first: before the host check, the https redirect and the session, so a load balancer, a container
    health check or Prometheus can ask http://127.0.0.1:8000/… whatever ALLOWED_HOSTS and HTTPS say. Keep both
    paths off the public side of the reverse proxy.

    /healthz: 200 when every check passes, 503 otherwise, with each check's finding as JSON; `?only=database,redis`
    runs some checks only. /metrics: Prometheus's text format; with METRICS_TOKEN set, only for
    `Authorization: Bearer <token>`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        if request.path == "/metrics":
            return metrics(request)
        return self.get_response(request)


def healthz(request):
    only = [name for name in request.GET.get("only", "").split(",") if name]
    unknown = sorted(set(only) - set(health.CHECKS))
    if unknown:
        return JsonResponse(
            {"error": f"unknown checks: {', '.join(unknown)}", "checks": list(health.CHECKS)}, status=400
        )
    result = health.report(health.run_checks(only))
    response = JsonResponse(result, status=200 if result["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response


def metrics(request):
    from ops.metrics import exposition

    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and not hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
    body, content_type = exposition()
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response
