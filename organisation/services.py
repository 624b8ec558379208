"""Writes for the organisation app."""

from organisation.models import AccessLogEntry, Person


def access_log_record(*, viewer: Person, subject: Person, what: str, purpose: str = "") -> AccessLogEntry | None:
    """Note that `viewer` saw `subject`'s individual data. Looking at your own data is not logged."""
    if viewer.pk == subject.pk:
        return None
    return AccessLogEntry.objects.create(viewer=viewer, subject=subject, what=what[:200], purpose=purpose)
