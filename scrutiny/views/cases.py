"""The group leader's case list, the case page with its timeline, and the 1:1 notes recorded on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from organisation import once, scoping
from organisation.models import Role
from qa_platform.pagination import page_of
from scrutiny import selectors, services
from scrutiny.filters import CaseReviewFilter
from scrutiny.forms import OneToOneForm
from scrutiny.views.shared import NOT_SAVED, visible_case


@login_required
def case_list(request):
    """Case reviews in the user's purview or naming them, each with its next milestone and how it stands."""
    today = timezone.localdate()
    cases = selectors.with_next_milestone(
        selectors.visible_case_reviews(request.user).select_related("case_review_manager", "group_leader", "team")
    )
    filterset = CaseReviewFilter(request.GET, queryset=cases)
    page = page_of(request, filterset.qs.order_by("next_due_on", "allocated_on", "pk"))
    for case in page:
        selectors.describe_next(case, today)
    context = {
        "filter": filterset,
        "page": page,
        "is_scrutiny_holder": Role.CASE_SCRUTINY in scoping.roles_held(request.user),
        "may_open": selectors.case_review_teams(request.user).exists(),
        "today": today,
    }
    return render(request, "scrutiny/case_list.html", context)


@login_required
def case_detail(request, pk, one_to_one_form=None):
    """The case page; `one_to_one_form` is a submitted form to show again with its errors."""
    case = visible_case(request, pk)
    today = timezone.localdate()
    case_milestones = selectors.case_milestones(case, today)
    notes = list(case.one_to_one_notes.select_related("recorded_by"))
    allowed = selectors.case_permissions(request.user, case)
    if one_to_one_form is None and allowed.note_one_to_one:
        one_to_one_form = OneToOneForm(initial={"met_on": today})
    context = {
        "case": case,
        "show_applicant": allowed.see_applicant,
        "milestones": case_milestones,
        "notes": notes,
        "timeline": selectors.timeline(case, case_milestones, notes),
        "may_scrutinise": allowed.scrutinise,
        "may_manage": allowed.manage,
        "one_to_one_form": one_to_one_form,
    }
    return render(request, "scrutiny/case_detail.html", context)


@login_required
@require_POST
def one_to_one_record(request, pk):
    case = visible_case(request, pk)
    if not selectors.case_permissions(request.user, case).note_one_to_one:
        raise Http404(services.NOT_NOTING)
    form = OneToOneForm(request.POST)
    if form.is_valid():
        try:
            once.create_once(
                request,
                lambda: services.one_to_one_record(case_review=case, user=request.user, **form.cleaned_data),
            )
        except once.FormExpired as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The 1:1 note is recorded.")
            return redirect(reverse("scrutiny_case_detail", args=[pk]) + "#one-to-ones")
    messages.error(request, NOT_SAVED)
    return case_detail(request, pk, one_to_one_form=form)
