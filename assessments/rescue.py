"""Nothing typed into an IQA is lost when the session ends or the CSRF token changes under an open form.

What was posted is kept in the browser's session (which survives logging in again) and written back into the
draft the next time its owner opens it. It is only ever restored into a draft its owner opens, and never
recorded without the owner submitting it again.

Keeping a post writes a session row for a browser nobody has signed in, so it is kept only when (`refusal`):

- it comes from our own pages: its Origin (or, without one, its Referer) passes Django's CSRF origin check, the
  site itself or CSRF_TRUSTED_ORIGINS. A cross-site post is never kept, so it can never reach anyone's draft;
- the browser had a session of this site: it sent a session cookie, even one that has expired;
- it is at most MAX_KEPT_BYTES, with a message saying so when it is larger.

Expired sessions, and so anything kept and never restored, are cleared every day (organisation/tasks.py).
"""

import copy
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.views.csrf import csrf_failure as django_csrf_failure

from assessments import services

SESSION_KEY = "rescued_drafts"
DRAFT_VIEWS = {"draft_edit", "draft_autosave"}
KEEP_AT_MOST = 5
# A full IQA with a long comment on every question is a few tens of kilobytes.
MAX_KEPT_BYTES = 64 * 1024
AUTOSAVE_EXPIRED_MESSAGE = "Not saved on the server: this page has expired. Reload it and what you typed is kept."
KEPT_MESSAGE = "Your session had ended. Log in again: what you typed has been kept."
NOT_KEPT_MESSAGE = "Your session had ended. Log in again: the draft has what was saved before it ended."
TOO_LARGE_MESSAGE = (
    f"What you typed is over {MAX_KEPT_BYTES // 1024} KB, too much to keep while you are logged out, so it was not "
    "kept: copy it somewhere safe now, log in again and paste it into the draft."
)
RESTORED_MESSAGE = (
    "Your page or your session had expired, so nothing was recorded yet. "
    "What you typed is back below: check it and record it."
)


def _origin_of(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def is_same_origin(request) -> bool:
    """Django's CSRF origin rule, for the Origin header or, when a browser sent none, for the Referer's origin.
    A browser sends at least one with every post from our pages (SECURE_REFERRER_POLICY is same-origin)."""
    origin = request.META.get("HTTP_ORIGIN") or _origin_of(request.META.get("HTTP_REFERER", ""))
    if not origin:
        return False
    judged = copy.copy(request)
    judged.META = {**request.META, "HTTP_ORIGIN": origin}
    return CsrfViewMiddleware(lambda request: None)._origin_verified(judged)


def refusal(request, data) -> str:
    """Why this post may not be kept in the session, or ''."""
    if not is_same_origin(request) or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return NOT_KEPT_MESSAGE
    if len(json.dumps(data).encode()) > MAX_KEPT_BYTES:
        return TOO_LARGE_MESSAGE
    return ""


def stash(request, draft_id) -> str:
    """Keep what was posted for the draft in the session. Returns '' when kept, else why not (for the user)."""
    data = services.typed_data(request.POST)
    problem = refusal(request, data)
    if problem:
        return problem
    rescued = request.session.get(SESSION_KEY, {})
    rescued[str(draft_id)] = data
    # The newest few only: a session is not a store.
    request.session[SESSION_KEY] = dict(list(rescued.items())[-KEEP_AT_MOST:])
    return ""


def restore(request, draft) -> bool:
    """Write what was rescued for this draft back into it (the caller has checked the draft is the user's)."""
    rescued = request.session.get(SESSION_KEY, {})
    data = rescued.pop(str(draft.pk), None)
    if data is None:
        return False
    request.session[SESSION_KEY] = rescued
    if services.draft_autosave(draft=draft, data=data):
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
    problem = stash(request, match.kwargs["pk"])
    if problem == NOT_KEPT_MESSAGE:  # cross-site, or from a browser with no session here: refused as before
        return django_csrf_failure(request, reason)
    if match.url_name == "draft_autosave":
        return HttpResponse(problem or AUTOSAVE_EXPIRED_MESSAGE)
    if problem:
        messages.error(request, problem)
    return redirect(reverse("draft_edit", args=[match.kwargs["pk"]]))
