from django.conf import settings

from organisation.navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "navigation": navigation_for(user) if user is not None else [],
        "session_timeout_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_TIMEOUT_WARNING_SECONDS,
    }
