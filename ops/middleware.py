"""Middleware of the operations module. Nothing here touches the database on an ordinary request."""

from django.http import JsonResponse

from ops import health


class HealthMiddleware:
    """/healthz, answered first: before the host check, the https redirect and the session, so a load balancer or
    container health check can ask http://127.0.0.1:8000/healthz whatever ALLOWED_HOSTS and HTTPS say.

    200 when every check passes, 503 otherwise, with each check's finding as JSON. `?only=database,redis` runs
    some checks only (the web container's own health check: see docker-compose.yml).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz":
            return self.get_response(request)
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
