"""The monthly closed-case dip sample: the reviewer's list and the review form (rule 8; seed 000, 1.2)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from qa_platform.pagination import page_of
from scrutiny import closed_sample, selectors
from scrutiny.forms import ClosedCaseReviewForm
from scrutiny.models import DECISION_CRITERIA
from scrutiny.views.shared import NOT_SAVED

REVIEW_FIELDS = closed_sample.REVIEW_FIELDS


@login_required
def closed_list(request):
    """Closed cases drawn for dip sampling that the user reviews or oversees, to review first."""
    items = (
        closed_sample.visible_items(request.user)
        .select_related("sample", "case_review__team", "reviewer")
        .order_by("reviewed_on", "-sample__month", "pk")
    )
    return render(request, "scrutiny/closed_list.html", {"page": page_of(request, items)})


@login_required
def closed_review(request, pk):
    """The reviewer records the review; others who may see the item read it."""
    item = get_object_or_404(
        closed_sample.visible_items(request.user).select_related(
            "sample", "case_review__case_review_manager", "case_review__group_leader", "reviewer"
        ),
        pk=pk,
    )
    form = _review_form(request, item) if item.reviewer_id == request.user.pk else None
    if request.method == "POST" and form is not None:
        if form.is_valid():
            review = {name: form.cleaned_data[name] for name in REVIEW_FIELDS}
            closed_sample.closed_case_review_record(item=item, user=request.user, **review)
            messages.success(request, f"Your review of {item.case_review.reference} is recorded.")
            return redirect("scrutiny_closed_list")
        messages.error(request, NOT_SAVED)
    context = {
        "item": item,
        "case": item.case_review,
        "form": form,
        "criteria": [(label, getattr(item, name)) for name, label in DECISION_CRITERIA],
        "show_applicant": selectors.case_permissions(request.user, item.case_review).see_applicant,
    }
    return render(request, "scrutiny/closed_review.html", context)


def _review_form(request, item):
    """The review form for its reviewer, filled in with the review so far."""
    initial = {name: getattr(item, name) for name in REVIEW_FIELDS}
    for name in [*(n for n, _ in DECISION_CRITERIA), "should_reopen"]:
        initial[name] = {True: "yes", False: "no"}.get(initial[name])
    return ClosedCaseReviewForm(request.POST or None, initial=initial)
