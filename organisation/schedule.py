"""The beat schedule rows for clearing expired sessions and for admin access following role grants' dates, made by
migrations 0002 and 0004 (and by tests after a flush)."""

from notifications.schedule import ensure_interval_task

TASK_NAME = "Clear expired sessions"
TASK = "organisation.clear_expired_sessions"
ADMIN_ACCESS_TASK_NAME = "Admin access follows role grants' dates"
ADMIN_ACCESS_TASK = "organisation.sync_admin_access"


def ensure_session_clearing_schedule(interval_model=None, periodic_task_model=None):
    """Every day."""
    ensure_interval_task(TASK_NAME, TASK, "days", interval_model, periodic_task_model)


def ensure_admin_access_schedule(interval_model=None, periodic_task_model=None):
    """Every day."""
    ensure_interval_task(ADMIN_ACCESS_TASK_NAME, ADMIN_ACCESS_TASK, "days", interval_model, periodic_task_model)
