from django.db.models.signals import post_delete
from django.dispatch import receiver

from assessments import feedback_emails
from assessments.models import Assessment


@receiver(post_delete, sender=Assessment)
def cancel_unsent_emails(sender, instance, **kwargs):
    """A deleted IQA's e-mails that have not gone yet never go."""
    feedback_emails.cancel_for(instance.pk, "The IQA was deleted.")
