"""At log-in, remember whether the person is named on a case review, for the navigation's *Case reviews* link."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from organisation.navigation import remember_named_section
from scrutiny import selectors


@receiver(user_logged_in)
def remember_case_reviews_section(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        remember_named_section(session, "case_reviews", selectors.named_on_case_reviews(user))
