"""Errors to Sentry when SENTRY_DSN is set; sentry-sdk is imported only then (qa_platform/settings.py)."""

import os


def before_send(event, hint):
    """Tag each event with the request id, to find the request's (and its tasks') log lines."""
    from ops.request_id import current

    if current():
        event.setdefault("tags", {})["request_id"] = current()
    return event


def init_sentry(dsn: str) -> None:
    import sentry_sdk

    # The Django, Celery and Redis integrations switch themselves on. No personal data: no user e-mail, no IP.
    sentry_sdk.init(
        dsn=dsn,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
        send_default_pii=False,
        before_send=before_send,
    )
