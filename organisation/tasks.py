from celery import shared_task
from django.core.management import call_command


@shared_task(name="organisation.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions():
    """Run by beat every day: `manage.py clearsessions`. Django never deletes an expired session by itself, and a
    draft kept for a browser whose session had ended (assessments/rescue.py) lives in one."""
    call_command("clearsessions")
