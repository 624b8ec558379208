"""Recording a milestone's scrutiny with the actions it raises, following up an action, and the group leader's MOT
selection (rule 7; seed 000, 3.1(1))."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from qa_platform.pagination import page_of
from scrutiny import selectors, services
from scrutiny.forms import (
    ACTION_ROWS_TO_START,
    MAX_ACTIONS,
    TOO_MANY_ACTIONS,
    ActionFormSet,
    FollowUpForm,
    MilestoneRecordForm,
)
from scrutiny.models import Milestone, MilestoneAction, MilestoneStatus
from scrutiny.views.shared import NOT_SAVED, for_scrutiny_holders

ACTION_FIELDS = ("description", "owner", "due_on")


@login_required
def milestone_record(request, pk):
    """Record a pending milestone's scrutiny, with the actions it raises. For the GL and case scrutiny holders."""
    milestone = _milestone_to_record(request, pk)
    case = milestone.case_review
    if milestone.status != MilestoneStatus.PENDING or case.is_closed:
        messages.error(request, f"This {milestone.get_kind_display()} is not pending: there is nothing to record.")
        return redirect("scrutiny_case_detail", case.pk)
    owners = selectors.action_owners(case)
    if request.method == "POST" and "add_action" in request.POST:
        form, actions = _with_another_action(request, case, owners)
    elif request.method == "POST":
        form = MilestoneRecordForm(request.POST, allocated_on=case.allocated_on)
        actions = ActionFormSet(request.POST, prefix="actions", form_kwargs={"owners": owners})
        if form.is_valid() and actions.is_valid():
            return _record(request, milestone, form, actions)
        messages.error(request, NOT_SAVED)
    else:
        form = MilestoneRecordForm(allocated_on=case.allocated_on)
        rows = [{}] * ACTION_ROWS_TO_START
        actions = ActionFormSet(prefix="actions", initial=rows, form_kwargs={"owners": owners})
    context = {"case": case, "milestone": milestone, "form": form, "actions": actions, "max_actions": MAX_ACTIONS}
    return render(request, "scrutiny/milestone_record.html", context)


def _milestone_to_record(request, pk) -> Milestone:
    """The milestone, on a case the user may see (a 404 otherwise) and may scrutinise (a 404 otherwise)."""
    milestone = get_object_or_404(
        Milestone.objects.select_related("case_review__team").filter(
            case_review__in=selectors.visible_case_reviews(request.user)
        ),
        pk=pk,
    )
    if not selectors.case_permissions(request.user, milestone.case_review).scrutinise:
        raise Http404(services.NOT_SCRUTINISING)
    return milestone


def _record(request, milestone, form, actions):
    """Record the valid forms; back to the case page either way, with what happened."""
    case = milestone.case_review
    rows = [
        services.ActionInput(row["description"], row["owner"].pk, row["due_on"])
        for row in actions.cleaned_data
        if row.get("description")
    ]
    try:
        services.milestone_record(milestone=milestone, user=request.user, actions=rows, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("scrutiny_case_detail", case.pk)
    messages.success(request, f"The {milestone.get_kind_display()} is recorded.")
    return redirect(reverse("scrutiny_case_detail", args=[case.pk]) + "#milestones")


def _with_another_action(request, case, owners):
    """ "Add another action" (a submit button, so it works without JavaScript): the form again, unchecked, with
    everything typed so far and one more empty action row, its first field focused."""
    data = request.POST
    try:
        typed = int(data.get("actions-TOTAL_FORMS", ""))
    except ValueError:
        typed = 0
    typed = max(0, min(typed, MAX_ACTIONS))
    rows = [{name: data.get(f"actions-{i}-{name}", "") for name in ACTION_FIELDS} for i in range(typed)]
    added = len(rows) < MAX_ACTIONS
    if added:
        rows.append({})
    else:
        messages.error(request, TOO_MANY_ACTIONS)
    initial = {name: data.get(name, "") for name in MilestoneRecordForm.base_fields}
    form = MilestoneRecordForm(initial=initial, allocated_on=case.allocated_on)
    actions = ActionFormSet(prefix="actions", initial=rows, form_kwargs={"owners": owners})
    if added:
        actions.forms[-1].fields["description"].widget.attrs["autofocus"] = True
    return form, actions


@login_required
def action_follow_up(request, pk):
    action = get_object_or_404(
        MilestoneAction.objects.select_related("milestone__case_review", "owner").filter(
            milestone__case_review__in=selectors.visible_case_reviews(request.user)
        ),
        pk=pk,
    )
    case = action.milestone.case_review
    if not selectors.case_permissions(request.user, case).follow_up(action):
        raise Http404(services.NOT_FOLLOWING_UP)
    form = FollowUpForm(
        request.POST or None, initial={"completed_on": action.completed_on, "follow_up": action.follow_up}
    )
    if request.method == "POST":
        if form.is_valid():
            services.action_follow_up(action=action, user=request.user, **form.cleaned_data)
            messages.success(request, "The follow-up is recorded.")
            return redirect(reverse("scrutiny_case_detail", args=[case.pk]) + "#milestones")
        messages.error(request, NOT_SAVED)
    context = {"case": case, "action": action, "form": form}
    return render(request, "scrutiny/action_follow_up.html", context)


@login_required
def mot_selection(request):
    """The group leader's MOT dip sample: cases past 6 weeks without an MOT decision; tick those selected."""
    if not_theirs := for_scrutiny_holders(request):
        return not_theirs
    today = timezone.localdate()
    if request.method == "POST":
        shown = {int(pk) for pk in request.POST.getlist("proposed") if pk.isdigit()}
        ticked = {int(pk) for pk in request.POST.getlist("selected") if pk.isdigit()}
        try:
            made = services.mot_select(user=request.user, milestone_ids=shown, selected_ids=ticked, today=today)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"{made.selected} selected for the case-plan MOT, {made.not_selected} not selected."
            )
        return redirect("scrutiny_mot_selection")
    proposals = selectors.mot_proposals(request.user, today)
    return render(request, "scrutiny/mot_selection.html", {"page": page_of(request, proposals), "today": today})
