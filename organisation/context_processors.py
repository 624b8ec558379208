from django.conf import settings

from organisation.navigation import named_sections, navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "navigation": navigation_for(user, named=named_sections(getattr(request, "session", None)))
        if user is not None
        else [],
        "session_timeout_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_TIMEOUT_WARNING_SECONDS,
    }
