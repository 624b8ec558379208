"""Nothing typed into an IQA is lost when the session ends or the CSRF token changes under an open form.

What was posted is kept in the browser's session (which survives logging in again) and written back into the
draft the next time its owner opens it. It is only ever restored into a draft its owner opens, and never
recorded without the owner submitting it again.
"""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.views.csrf import csrf_failure as django_csrf_failure

from assessments import services

SESSION_KEY = "rescued_drafts"
DRAFT_VIEWS = {"draft_edit", "draft_autosave"}
KEEP_AT_MOST = 5
AUTOSAVE_EXPIRED_MESSAGE = "Not saved on the server: this page has expired. Reload it and what you typed is kept."
RESTORED_MESSAGE = (
    "Your page or your session had expired, so nothing was recorded yet. "
    "What you typed is back below: check it and record it."
)


def stash(request, draft_id) -> None:
    rescued = request.session.get(SESSION_KEY, {})
    rescued[str(draft_id)] = services.typed_data(request.POST)
    # The newest few only: a session is not a store.
    request.session[SESSION_KEY] = dict(list(rescued.items())[-KEEP_AT_MOST:])


def restore(request, draft) -> bool:
    """Write what was rescued for this draft back into it (the caller has checked the draft is the user's)."""
    rescued = request.session.get(SESSION_KEY, {})
    data = rescued.pop(str(draft.pk), None)
    if data is None:
        return False
    request.session[SESSION_KEY] = rescued
    if services.autosave(draft, data):
        draft.data = data
        return True
    return False


def csrf_failure(request, reason=""):
    """A draft posted with a stale CSRF token is kept and its form reopened; anything else gets the usual 403."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if request.method != "POST" or match is None or match.url_name not in DRAFT_VIEWS:
        return django_csrf_failure(request, reason)
    stash(request, match.kwargs["pk"])
    if match.url_name == "draft_autosave":
        return HttpResponse(AUTOSAVE_EXPIRED_MESSAGE)
    return redirect(reverse("draft_edit", args=[match.kwargs["pk"]]))
