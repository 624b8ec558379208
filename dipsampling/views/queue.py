"""The queue of IQAs to dip sample, taking one from it, and the dip sampler's own dip samples."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dipsampling import selectors, services
from dipsampling.forms import QueueFilter
from dipsampling.views.shared import DIP_SAMPLE_RELATED, IQA_RELATED, require_dip_sampler
from organisation import scoping
from organisation.models import Person, Role
from qa_platform.pagination import page_of


@login_required
def queue(request):
    """Recorded IQAs in the purview not yet selected for a dip sample, newest work first."""
    require_dip_sampler(request)
    user = request.user
    filterset = QueueFilter(
        request.GET or None,
        queryset=selectors.unsampled_assessments(user).select_related(*IQA_RELATED),
        assessors=Person.objects.filter(pk__in=selectors.samplable_assessments(user).values("assessor_id")),
        teams=scoping.teams_in_scope(user, Role.DIP_SAMPLER).select_related("unit"),
    )
    context = {
        "filter": filterset,
        "page": page_of(request, filterset.qs.order_by("-work_date", "-pk")),
        "to_do": selectors.dip_samples_in_scope(user).filter(dip_sampler=user, recorded_at__isnull=True).count(),
    }
    return render(request, "dipsampling/queue.html", context)


@login_required
@require_POST
def start(request, pk):
    """Take one IQA from the queue for a dip sample now."""
    require_dip_sampler(request)
    assessment = get_object_or_404(selectors.samplable_assessments(request.user), pk=pk)
    dip_sample = services.dip_sample_start(user=request.user, assessment=assessment)
    return redirect("dip_sample_record", dip_sample.pk)


@login_required
def mine(request):
    """The user's dip samples: selected and still to do first, then recorded, newest first."""
    require_dip_sampler(request)
    own = (
        selectors.dip_samples_in_scope(request.user)
        .filter(dip_sampler=request.user)
        .select_related(*DIP_SAMPLE_RELATED, "selection")
        .order_by(F("recorded_at").desc(nulls_first=True), "-created_at", "-pk")
    )
    return render(request, "dipsampling/mine.html", {"page": page_of(request, own)})
