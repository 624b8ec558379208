"""The beat schedule row for clearing expired sessions, made by migration 0002 (and by tests after a flush)."""

from notifications.schedule import ensure_interval_task

TASK_NAME = "Clear expired sessions"
TASK = "organisation.clear_expired_sessions"


def ensure_session_clearing_schedule(interval_model=None, periodic_task_model=None):
    """Every day."""
    ensure_interval_task(TASK_NAME, TASK, "days", interval_model, periodic_task_model)
