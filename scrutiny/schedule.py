"""The beat schedule row for scrutiny reminders and the monthly closed-case draw, made by migration 0002 (and by
tests after a flush)."""

from notifications.schedule import ensure_interval_task

TASK_NAME = "Queue scrutiny reminders and draw the monthly closed-case dip sample"
TASK = "scrutiny.hourly"


def ensure_scrutiny_schedule(interval_model=None, periodic_task_model=None):
    """Every hour."""
    ensure_interval_task(TASK_NAME, TASK, "hours", interval_model, periodic_task_model)
