from celery import shared_task

from scrutiny import closed_sample, reminders


@shared_task(name="scrutiny.hourly", ignore_result=True)
def scrutiny_hourly():
    """Run by beat every hour: queue the reminder steps that have come, and on the first working day of a month draw
    last month's closed-case dip sample. Both are idempotent, so a run repeated or missed does no harm."""
    queued = reminders.queue_due()
    sample = closed_sample.closed_case_sample_draw()
    return {"reminders_queued": queued, "closed_sample_drawn": sample is not None}
