"""The scrutiny screens: the group leader's case list, the case page with its timeline, recording a milestone's
scrutiny, following up its actions, 1:1 notes, the MOT selection and the managers' overview.

Every page reads through scrutiny.selectors (scoping): a case outside the user's scope is a 404.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from organisation import once, scoping
from organisation.models import Person, Role, TeamMembership
from scrutiny import milestones as milestone_dates
from scrutiny import selectors, services
from scrutiny.filters import CaseReviewFilter
from scrutiny.forms import (
    ACTION_ROWS_TO_START,
    MAX_ACTIONS,
    TOO_MANY_ACTIONS,
    ActionFormSet,
    FollowUpForm,
    MilestoneRecordForm,
    OneToOneForm,
)
from scrutiny.models import Milestone, MilestoneAction, MilestoneStatus

PAGE_SIZE = 25
NOT_YOURS = "Only the group leader and case scrutiny holders over the case record its scrutiny."
NOT_SAVED = "Nothing has been saved: put right what is marked below. Nothing you typed is lost."


def _query_string(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def case_list(request):
    """Case reviews in the user's purview or naming them, each with its next milestone and how it stands."""
    today = timezone.localdate()
    cases = selectors.with_next_milestone(
        selectors.visible_case_reviews(request.user).select_related("case_review_manager", "group_leader", "team")
    )
    filterset = CaseReviewFilter(request.GET, queryset=cases)
    ordered = filterset.qs.order_by("next_due_on", "allocated_on", "pk")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page:
        selectors.describe_next(case, today)
    context = {
        "filter": filterset,
        "page": page,
        "query_string": _query_string(request),
        "is_scrutiny_holder": Role.CASE_SCRUTINY in scoping.roles_held(request.user),
        "may_open": selectors.case_review_teams(request.user).exists(),
        "today": today,
    }
    return render(request, "scrutiny/case_list.html", context)


def _visible_case(request, pk):
    return get_object_or_404(
        selectors.visible_case_reviews(request.user).select_related(
            "case_review_manager", "group_leader", "team__unit__area"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    what: str
    detail: str = ""


def _timeline(case, milestones, notes) -> list[TimelineEntry]:
    """The case's story in date order: allocation, each scrutiny, the actions and follow-ups, the 1:1s."""
    entries = [TimelineEntry(case.allocated_on, "Allocated", f"to {case.case_review_manager.full_name}")]
    for milestone in milestones:
        if milestone.status == MilestoneStatus.DONE:
            entries.append(TimelineEntry(milestone.done_on, f"{milestone.get_kind_display()} done", milestone.outcome))
        for action in milestone.actions.all():
            entries.append(
                TimelineEntry(
                    action.created_at.date(),
                    "Action raised",
                    f"{action.description} — {action.owner.full_name}, by {action.due_on:%-d %b %Y}",
                )
            )
            if action.completed_on:
                entries.append(TimelineEntry(action.completed_on, "Action completed", action.follow_up))
    entries += [TimelineEntry(note.met_on, "1:1", note.note) for note in notes]
    if case.closed_on:
        entries.append(TimelineEntry(case.closed_on, "Closed", f"{case.get_decision_display()}"))
    return sorted(entries, key=lambda entry: entry.day)


@login_required
def case_detail(request, pk, one_to_one_form=None):
    """The case page; `one_to_one_form` is a submitted form to show again with its errors."""
    case = _visible_case(request, pk)
    user, today = request.user, timezone.localdate()
    case_milestones = list(
        case.milestones.select_related("done_by").prefetch_related(
            Prefetch("actions", queryset=MilestoneAction.objects.select_related("owner"))
        )
    )
    for milestone in case_milestones:
        milestone.timing = ""
        if milestone.status == MilestoneStatus.PENDING and not case.is_closed:
            milestone.timing = milestone_dates.timing(
                milestone.due_on, today, days_before=settings.SCRUTINY_REMINDER_DAYS_BEFORE
            )
            milestone.timing_label = milestone_dates.STATUS_LABELS[milestone.timing]
    notes = list(case.one_to_one_notes.select_related("recorded_by"))
    allowed = selectors.case_permissions(user, case)
    context = {
        "case": case,
        "show_applicant": allowed.see_applicant,
        "milestones": case_milestones,
        "notes": notes,
        "timeline": _timeline(case, case_milestones, notes),
        "may_scrutinise": allowed.scrutinise,
        "may_manage": allowed.manage,
        "one_to_one_form": one_to_one_form
        or (OneToOneForm(initial={"met_on": today}) if allowed.note_one_to_one else None),
    }
    return render(request, "scrutiny/case_detail.html", context)


def _action_owners(case):
    """Who may own an action: the case's CRM and GL and anyone in post in its unit."""
    in_unit = TeamMembership.objects.active_on(timezone.localdate()).filter(team__unit_id=case.team.unit_id)
    return Person.objects.filter(
        Q(pk__in=[case.case_review_manager_id, case.group_leader_id]) | Q(pk__in=in_unit.values("person_id"))
    ).order_by("full_name")


@login_required
def milestone_record(request, pk):
    """Record a pending milestone's scrutiny, with the actions it raises. For the GL and case scrutiny holders."""
    milestone = get_object_or_404(
        Milestone.objects.select_related("case_review__team").filter(
            case_review__in=selectors.visible_case_reviews(request.user)
        ),
        pk=pk,
    )
    case = milestone.case_review
    if not selectors.case_permissions(request.user, case).scrutinise:
        raise Http404(NOT_YOURS)
    if milestone.status != MilestoneStatus.PENDING or case.is_closed:
        messages.error(request, f"This {milestone.get_kind_display()} is not pending: there is nothing to record.")
        return redirect("scrutiny_case_detail", case.pk)
    owners = _action_owners(case)
    data = request.POST if request.method == "POST" else None
    adding = data is not None and "add_action" in data
    if adding:
        form, actions = _with_another_action(request, case, owners)
    else:
        form = MilestoneRecordForm(data, allocated_on=case.allocated_on)
        rows = None if data is not None else [{}] * ACTION_ROWS_TO_START
        actions = ActionFormSet(data, prefix="actions", initial=rows, form_kwargs={"owners": owners})
    if data is not None and not adding:
        if form.is_valid() and actions.is_valid():
            rows = [
                services.ActionInput(row["description"], row["owner"].pk, row["due_on"])
                for row in actions.cleaned_data
                if row.get("description")
            ]
            try:
                services.milestone_record(milestone, request.user, actions=rows, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("scrutiny_case_detail", case.pk)
            messages.success(request, f"The {milestone.get_kind_display()} is recorded.")
            return redirect(reverse("scrutiny_case_detail", args=[case.pk]) + "#milestones")
        messages.error(request, NOT_SAVED)
    context = {"case": case, "milestone": milestone, "form": form, "actions": actions, "max_actions": MAX_ACTIONS}
    return render(request, "scrutiny/milestone_record.html", context)


ACTION_FIELDS = ("description", "owner", "due_on")


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
        raise Http404("Only the action's owner, the group leader and case scrutiny holders over the case follow it up.")
    form = FollowUpForm(
        request.POST or None, initial={"completed_on": action.completed_on, "follow_up": action.follow_up}
    )
    if request.method == "POST":
        if form.is_valid():
            services.action_follow_up(action, **form.cleaned_data)
            messages.success(request, "The follow-up is recorded.")
            return redirect(reverse("scrutiny_case_detail", args=[case.pk]) + "#milestones")
        messages.error(request, NOT_SAVED)
    context = {"case": case, "action": action, "form": form}
    return render(request, "scrutiny/action_follow_up.html", context)


@login_required
@require_POST
def one_to_one_record(request, pk):
    case = _visible_case(request, pk)
    if not selectors.case_permissions(request.user, case).note_one_to_one:
        raise Http404(NOT_YOURS)
    form = OneToOneForm(request.POST)
    if form.is_valid():
        try:
            once.create_once(request, lambda: services.one_to_one_record(case, request.user, **form.cleaned_data))
        except once.FormExpired as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The 1:1 note is recorded.")
            return redirect(reverse("scrutiny_case_detail", args=[pk]) + "#one-to-ones")
    messages.error(request, NOT_SAVED)
    return case_detail(request, pk, one_to_one_form=form)


@login_required
def mot_selection(request):
    """The group leader's MOT dip sample: cases past 6 weeks without an MOT decision; tick those selected."""
    if not_theirs := _for_scrutiny_holders(request):
        return not_theirs
    today = timezone.localdate()
    proposals = selectors.mot_proposals(request.user, today)
    if request.method == "POST":
        shown = {int(pk) for pk in request.POST.getlist("proposed") if pk.isdigit()}
        ticked = {int(pk) for pk in request.POST.getlist("selected") if pk.isdigit()}
        proposed = list(proposals.filter(pk__in=shown))
        if not proposed:
            messages.error(request, "Those cases have already been decided on: the list below is up to date.")
        else:
            selected, not_selected = services.mot_select(request.user, proposed=proposed, selected_ids=ticked)
            messages.success(request, f"{selected} selected for the case-plan MOT, {not_selected} not selected.")
        return redirect("scrutiny_mot_selection")
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "scrutiny/mot_selection.html", {"page": page, "today": today})


@login_required
def overview(request):
    """Managers' overview of their case scrutiny purview: counts only, no applicants' names."""
    if not_theirs := _for_scrutiny_holders(request):
        return not_theirs
    today = timezone.localdate()
    return render(request, "scrutiny/overview.html", {"overview": selectors.overview(request.user, today)})


def _for_scrutiny_holders(request):
    """The MOT selection and the overview are for case scrutiny holders only, never linked for anyone else.

    Seed 000 (3.1(1)) gives the case-plan MOT dip sample and the 10-month scrutiny to group leaders, and the
    overview counts a purview; a case review manager has no purview, only their own cases. So a CRM (or a group
    leader without the role) who follows a link here is sent to the case reviews naming them, with a word why,
    rather than left at a 404. Anyone else gets the 404, as for anything outside their scope.
    """
    if Role.CASE_SCRUTINY in scoping.roles_held(request.user):
        return None
    if not selectors.named_on_case_reviews(request.user):
        raise Http404(f"You do not hold the {Role.CASE_SCRUTINY.label.lower()} role.")
    messages.info(
        request,
        "The MOT selection and the overview are for group leaders and managers with case scrutiny over a team. "
        "Here are the case reviews you manage or lead.",
    )
    return redirect("scrutiny_case_list")
