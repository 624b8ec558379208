"""The outbox: one row per e-mail, written in the same transaction as the event that causes it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class MessageQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True, cancelled_at__isnull=True, failed_at__isnull=True)

    def due(self, now):
        return self.pending().filter(next_attempt_at__lte=now)


class Message(models.Model):
    """An e-mail to send at `due_at` (UTC). Sent, cancelled or given up on: never deleted, so it can be seen."""

    dedupe_key = models.CharField(
        max_length=200, unique=True, help_text="One message per event and recipient, e.g. 'iqa:12:assessed-notice'."
    )
    recipient = models.EmailField()
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    template = models.CharField(max_length=100, help_text="Templates under templates/notifications/<template>/.")
    context = models.JSONField(default=dict, blank=True)
    condition = models.CharField(
        max_length=100,
        blank=True,
        help_text="A check run just before sending (notifications.conditions); if it fails the message is cancelled.",
    )
    due_at = models.DateTimeField(db_index=True)
    next_attempt_at = models.DateTimeField(help_text="Due, or later after a failed attempt (back-off).")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text="Given up after too many failed attempts.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    request_id = models.CharField(
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text="The request (or task) that queued it: its sending is logged under the same id.",
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-due_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_by_next_attempt",
                condition=Q(sent_at__isnull=True, cancelled_at__isnull=True, failed_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.template} to {self.recipient} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def status(self):
        if self.sent_at:
            return "sent"
        if self.cancelled_at:
            return "cancelled"
        if self.failed_at:
            return "given up"
        return "retrying" if self.attempts else "pending"
