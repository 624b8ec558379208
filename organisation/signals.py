from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from organisation.admin_access import sync_admin_access
from organisation.models import RoleGrant


@receiver(post_save, sender=RoleGrant)
@receiver(post_delete, sender=RoleGrant)
def keep_admin_access_in_step(sender, instance, **kwargs):
    """A grant given, ended or taken away changes the person's Django admin access the same moment."""
    sync_admin_access(instance.person)
