"""Queueing, cancelling and sending outbox messages.

Delivery guarantee: a message is claimed with SELECT ... FOR UPDATE SKIP LOCKED and stays locked while it is
sent, in its own transaction, so a second worker or a second beat started by mistake skips it. A worker killed
at any moment rolls its transaction back and the message is sent again later: nothing is lost. The only
duplicate possible is a message the SMTP server accepted in the instant before the kill, when our commit
marking it sent had not yet happened (at most one message per killed worker).
"""

import logging
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.models import Message
from qa_platform import request_context as request_id

logger = logging.getLogger(__name__)


def enqueue(*, dedupe_key, recipient, template, context=None, due_at=None, person=None, condition="") -> bool:
    """Queue an e-mail, once per dedupe key. Call inside the transaction of the event that causes it.

    Returns False when a message with that key already exists (the event was already handled).
    """
    due_at = due_at or timezone.now()
    try:
        with transaction.atomic():
            Message.objects.create(
                dedupe_key=dedupe_key,
                recipient=recipient,
                person=person,
                template=template,
                context=context or {},
                condition=condition,
                due_at=due_at,
                next_attempt_at=due_at,
                request_id=request_id.current(),
            )
    except IntegrityError:
        return False
    return True


def cancel(key_prefix: str, reason: str) -> int:
    """Cancel what is still unsent for an event, e.g. every message keyed 'iqa:12:' when IQA 12 is deleted."""
    return (
        Message.objects.pending()
        .filter(dedupe_key__startswith=key_prefix)
        .update(cancelled_at=timezone.now(), cancel_reason=reason[:200])
    )


def send_again(messages) -> int:
    """Admin: send these messages again at the next dispatch, whatever became of them."""
    now = timezone.now()
    return messages.update(
        sent_at=None,
        cancelled_at=None,
        cancel_reason="",
        failed_at=None,
        attempts=0,
        last_error="",
        next_attempt_at=now,
    )


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failure, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def _condition_holds(message) -> bool:
    if not message.condition:
        return True
    return bool(_call(message.condition, message))


# Context made only when a message is sent, per template, never stored in its row: a password-reset link is a
# credential (organisation/password_reset.py).
SEND_TIME_CONTEXT = {"password_reset": "organisation.password_reset.link_context"}


def _call(dotted_path, message):
    module, _, name = dotted_path.rpartition(".")
    return getattr(import_module(module), name)(message)


def render(message) -> EmailMultiAlternatives:
    made_now = _call(SEND_TIME_CONTEXT[message.template], message) if message.template in SEND_TIME_CONTEXT else {}
    context = {**message.context, **made_now, "site_url": settings.SITE_URL.rstrip("/")}
    base = f"notifications/{message.template}"
    subject = " ".join(render_to_string(f"{base}/subject.txt", context).split())
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{base}/body.txt", context),
        to=[message.recipient],
        headers={"X-Outbox-Key": message.dedupe_key},
    )
    email.attach_alternative(render_to_string(f"{base}/body.html", context), "text/html")
    return email


def _send_one(now) -> str | None:
    """Claim, send and record one due message in one transaction. Returns its outcome, or None when none is due."""
    with transaction.atomic():
        message = Message.objects.due(now).select_for_update(skip_locked=True).order_by("next_attempt_at", "pk").first()
        if message is None:
            return None
        # Logged under the id of the request that queued it, so its lines and the request's can be found together.
        with request_id.bound(message.request_id or request_id.current()):
            return _send_claimed(message, now)


def _send_claimed(message, now) -> str:
    """Send a claimed message (or cancel it) and record the outcome, inside the claiming transaction."""
    if not _condition_holds(message):
        message.cancelled_at, message.cancel_reason = now, "No longer wanted when it fell due."
        message.save(update_fields=["cancelled_at", "cancel_reason"])
        return "cancelled"
    message.attempts += 1
    try:
        render(message).send()
    except Exception as error:  # any failure to send is recorded and retried
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            message.failed_at = now
            logger.error("Outbox gave up on message %s after %s attempts: %s", message.pk, message.attempts, error)
        else:
            message.next_attempt_at = now + backoff(message.attempts)
        message.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"])
        return "failed"
    message.sent_at = timezone.now()
    message.save(update_fields=["attempts", "sent_at"])
    logger.info("Outbox sent message %s (%s)", message.pk, message.dedupe_key, extra={"outbox_message": message.pk})
    return "sent"


def dispatch_due(*, limit: int = 500) -> dict[str, int]:
    """Send what is due, up to `limit` messages; what is left goes at the next run."""
    counts = {"sent": 0, "failed": 0, "cancelled": 0}
    for _ in range(limit):
        outcome = _send_one(timezone.now())
        if outcome is None:
            break
        counts[outcome] += 1
    return counts
