"""Opening a case review, correcting it, closing it with its decision and reopening it, in the app (as admin could
before): for the case's case review manager and group leader, and case scrutiny holders over it.

Every write goes through scrutiny.services, which keeps the milestones current (the same save as admin's) and
whose refusals are shown next to the fields, keeping what was typed. A case the user may not manage is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from organisation import once
from scrutiny import selectors, services
from scrutiny.forms import CaseCloseForm, CaseReviewForm
from scrutiny.views.shared import NOT_SAVED, put_on_form, visible_case


def _managed_case(request, pk):
    case = visible_case(request, pk)
    if not selectors.case_permissions(request.user, case).manage:
        raise Http404(services.NOT_MANAGED)
    return case


def _choices(user, case=None):
    """The teams and people the form offers: the user's case review teams, and the people in post in their units
    (plus, when editing, whoever the case names now, who may since have moved on)."""
    teams = selectors.case_review_teams(user)
    people = selectors.case_review_people(teams)
    if case is not None:
        people = people | people.model.objects.filter(pk__in=[case.case_review_manager_id, case.group_leader_id])
        teams = teams | teams.model.objects.filter(pk=case.team_id)
    return teams.distinct(), people.distinct()


@login_required
def case_open(request):
    teams, people = _choices(request.user)
    if not teams.exists():
        raise Http404("Case reviews are opened by case scrutiny holders and by those already named on case reviews.")
    form = CaseReviewForm(request.POST or None, teams=teams, people=people, initial={"group_leader": request.user.pk})
    if request.method == "POST":
        if form.is_valid():
            try:  # once per form: a double click or a resend finds the case the first post opened
                case, _ = once.create_once(
                    request, lambda: services.case_review_open(user=request.user, **form.cleaned_data)
                )
            except once.FormExpired as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                put_on_form(form, error)
            else:
                if case is None:  # opened by the first post and deleted since
                    return redirect("scrutiny_case_list")
                messages.success(request, f"Case review {case.reference} is open, with its three scrutiny milestones.")
                return redirect("scrutiny_case_detail", case.pk)
        messages.error(request, NOT_SAVED)
    return render(request, "scrutiny/case_form.html", {"form": form, "case": None})


@login_required
def case_edit(request, pk):
    case = _managed_case(request, pk)
    if case.is_closed:
        messages.error(request, f"Case review {case.reference} is closed: reopen it before changing it.")
        return redirect("scrutiny_case_detail", pk)
    teams, people = _choices(request.user, case)
    initial = {name: getattr(case, name) for name in (*services.DETAIL_FIELDS, "status")}
    form = CaseReviewForm(request.POST or None, teams=teams, people=people, with_status=True, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            moved = form.cleaned_data["allocated_on"] != case.allocated_on
            try:
                services.case_review_update(user=request.user, case_review=case, **form.cleaned_data)
            except ValidationError as error:
                put_on_form(form, error)
            else:
                note = " Its pending milestones follow the new allocated date." if moved else ""
                messages.success(request, f"Case review {case.reference} is updated.{note}")
                return redirect("scrutiny_case_detail", pk)
        messages.error(request, NOT_SAVED)
    return render(request, "scrutiny/case_form.html", {"form": form, "case": case})


@login_required
def case_close(request, pk):
    case = _managed_case(request, pk)
    if case.is_closed:
        messages.info(request, f"Case review {case.reference} is already closed.")
        return redirect("scrutiny_case_detail", pk)
    form = CaseCloseForm(request.POST or None, case_review=case)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.case_review_close(case_review=case, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                put_on_form(form, error)
            else:
                messages.success(
                    request,
                    f"Case review {case.reference} is closed: its pending milestones and reminders are cancelled.",
                )
                return redirect("scrutiny_case_detail", pk)
        messages.error(request, NOT_SAVED)
    return render(request, "scrutiny/case_close.html", {"form": form, "case": case})


@login_required
@require_POST
def case_reopen(request, pk):
    case = _managed_case(request, pk)
    try:
        services.case_review_reopen(case_review=case, user=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, f"Case review {case.reference} is reopened: its milestones are pending again.")
    return redirect("scrutiny_case_detail", pk)
