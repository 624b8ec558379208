from celery import shared_task
from django.core.management import call_command


@shared_task(name="organisation.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions():
    """Run by beat every day: `manage.py clearsessions`. Django never deletes an expired session by itself, and a
    draft kept for a browser whose session had ended (assessments/rescue.py) lives in one. The create forms'
    one-time claims (organisation/once.py) go with them once they are a week old."""
    from organisation.once import prune_claims

    call_command("clearsessions")
    prune_claims()


@shared_task(name="organisation.sync_admin_access", ignore_result=True)
def sync_admin_access():
    """Run by beat every day: grants that start or end today give or take their Django admin access."""
    from organisation.admin_access import sync_everyone

    sync_everyone()
