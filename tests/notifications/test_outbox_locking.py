"""Two workers (or two beats started by mistake) never send one message twice: a claimed row is skipped."""

from datetime import UTC, datetime

import time_machine
from django.core import mail
from django.db import DEFAULT_DB_ALIAS, connections

from notifications import outbox
from notifications.models import Message

NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)


def queue():
    return outbox.enqueue(dedupe_key="event:1:x", recipient="a@example.org", template="feedback_reminder", due_at=NOON)


def test_a_message_locked_by_another_worker_is_skipped_not_sent_twice(transactional_db):
    queue()
    other_worker = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        other_worker.set_autocommit(False)
        with other_worker.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {Message._meta.db_table} FOR UPDATE")  # noqa: S608
            with time_machine.travel(NOON, tick=False):
                assert outbox.dispatch_due()["sent"] == 0
        other_worker.rollback()
    finally:
        other_worker.close()
    with time_machine.travel(NOON, tick=False):
        assert outbox.dispatch_due()["sent"] == 1
    assert len(mail.outbox) == 1
