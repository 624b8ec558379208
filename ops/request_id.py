"""One id per web request, in every log line it causes, carried into the Celery tasks it publishes and the e-mails
it queues.

The middleware sets a context variable (taking a well-formed X-Request-ID from the proxy, or making one); the log
filter copies it onto every record; Celery's before_task_publish puts it in the task message's headers and
task_prerun sets it again in the worker (a task published by beat gets its own task id). The outbox stores it on
each message and sets it again while sending, so the lines of the request and of its e-mail's sending share it.
"""

import logging
import re
import time

from qa_platform.request_context import bound, current, new_id, request_id_var  # noqa: F401 - current and bound: ops API

HEADER = "qa_request_id"  # in a Celery message's headers
HTTP_HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

logger = logging.getLogger("qa_platform.requests")


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (as `request_id`; empty outside a request or task)."""

    def filter(self, record):
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


class RequestIdMiddleware:
    """Sets the request id for the request, returns it in X-Request-ID, and logs one line per request with its
    method, route, status and duration. No database query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HTTP_HEADER, "")
        value = offered if _VALID.match(offered) else new_id()
        request.request_id = value
        started = time.perf_counter()
        with bound(value):
            response = self.get_response(request)
            duration = time.perf_counter() - started
            route = route_of(request)
            from ops import metrics

            metrics.observe_request(request.method, route, response.status_code, duration)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                },
            )
        response[HTTP_HEADER] = value
        return response


def route_of(request) -> str:
    """The URL pattern's name (few distinct values, fit for a metric label), not the path with its ids."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else "unmatched"


# --- Celery -------------------------------------------------------------------------------------------------------


def _on_publish(headers=None, **kwargs):
    value = request_id_var.get()
    if value and headers is not None:
        headers.setdefault(HEADER, value)


def _on_task_start(task=None, **kwargs):
    request = task.request
    value = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER) or request.id
    request._qa_request_id_token = request_id_var.set(value or "")


def _on_task_end(task=None, **kwargs):
    token = getattr(task.request, "_qa_request_id_token", None)
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:  # set in another context (eager tasks run nested): just clear it
            request_id_var.set("")


def connect_celery_signals():
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(_on_publish, weak=False, dispatch_uid="ops.request_id.publish")
    task_prerun.connect(_on_task_start, weak=False, dispatch_uid="ops.request_id.prerun")
    task_postrun.connect(_on_task_end, weak=False, dispatch_uid="ops.request_id.postrun")
