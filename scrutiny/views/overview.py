"""The managers' overview of their case scrutiny purview: counts only, no applicants' names."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from scrutiny import selectors
from scrutiny.views.shared import for_scrutiny_holders


@login_required
def overview(request):
    if not_theirs := for_scrutiny_holders(request):
        return not_theirs
    today = timezone.localdate()
    return render(request, "scrutiny/overview.html", {"overview": selectors.overview(request.user, today)})
