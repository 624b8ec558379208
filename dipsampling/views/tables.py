"""Annex B's re-mark tables, dip sample rates against the 10% target, and the accreditations in the purview."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from assessments.models import Assessment
from dipsampling import accreditation, rates, remarks, selectors
from dipsampling.models import Accreditation
from dipsampling.views.shared import period_from, require_dip_sampler
from organisation import scoping
from organisation.models import Role
from qa_platform.pagination import page_of


@login_required
def remark_tables(request):
    """Annex B of seed 001 for the re-marked dip samples recorded in the period, over the user's purview."""
    require_dip_sampler(request)
    period, problem, typed = period_from(request)
    recorded = selectors.dip_samples_in_scope(request.user).filter(
        recorded_at__isnull=False, sampled_on__gte=period.start, sampled_on__lte=period.end
    )
    context = {"period": period, "problem": problem, "typed": typed, "tables": remarks.annex_b(recorded)}
    return render(request, "dipsampling/remark_tables.html", context)


@login_required
def rate_table(request):
    """Dip sample rates per activity against the 10% target, for IQAs of work done in the period."""
    require_dip_sampler(request)
    period, problem, typed = period_from(request)
    in_purview = selectors.in_period(
        scoping.records_in_scope(request.user, Assessment.objects.all(), Role.DIP_SAMPLER), period
    )
    context = {"period": period, "problem": problem, "typed": typed, "rows": rates.dip_sample_rates(in_purview)}
    return render(request, "dipsampling/rates.html", context)


@login_required
def accreditations(request):
    """Read-only: the accreditations of assessors in the purview (administrators edit them in admin)."""
    require_dip_sampler(request)
    people = scoping.people_in_scope(request.user, Role.DIP_SAMPLER)
    rows = Accreditation.objects.filter(assessor__in=people).select_related("assessor", "accredited_by")
    context = {
        "page": page_of(request, rows.order_by("assessor__full_name", "-accredited_on")),
        "today": timezone.localdate(),
        "required": accreditation.required(),
    }
    return render(request, "dipsampling/accreditations.html", context)
