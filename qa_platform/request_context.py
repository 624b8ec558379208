"""The id of the request (or task) being served, as a context variable: set by ops/request_id.py, stored by the
outbox on each message it queues and bound again while sending it, so their log lines share it."""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="")


def current() -> str:
    return request_id_var.get()


@contextmanager
def bound(value: str):
    """Log under `value` for the duration (e.g. while the outbox sends a message a request queued)."""
    token = request_id_var.set(value or "")
    try:
        yield
    finally:
        request_id_var.reset(token)


def new_id() -> str:
    return uuid.uuid4().hex
