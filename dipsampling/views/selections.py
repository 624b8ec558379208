"""Selections: the selection tool proposes a random or targeted sample for a quarter and confirms it; past
selections are listed newest first, and one selection shows its rule, seed and the IQAs it drew, so a reviewer can
re-check the draw. Dip sampler role only; a selection outside the purview is a 404
(dipsampling.selectors.selections_in_scope)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from assessments.models import Activity
from dipsampling import selection as sampling
from dipsampling import selectors, services
from dipsampling.forms import ProposeForm
from dipsampling.models import SelectionKind
from dipsampling.views.shared import DIP_SAMPLE_RELATED, IQA_RELATED, require_dip_sampler
from organisation import once
from qa_platform import periods
from qa_platform.pagination import page_of
from qa_platform.percent import percent

SHOWN_LIMIT = 200  # proposed IQAs listed on the selection page


@login_required
def propose(request):
    """The selection tool: propose a random or targeted sample for a quarter, then confirm it."""
    require_dip_sampler(request)
    if request.method == "POST":
        form = ProposeForm(request.POST)
        if form.is_valid() and (confirmed := _confirm(request, form)) is not None:
            return confirmed
    else:
        form = ProposeForm(request.GET or None, initial={"period": periods.this_quarter().label})
    return render(request, "dipsampling/propose.html", _propose_context(request.user, form))


def _proposal(user, form):
    data = form.cleaned_data
    return sampling.selection_propose(user=user, period=data["period"], kind=data["kind"], seed=data["seed"])


def _confirm(request, form):
    """Confirm the proposal the valid form describes (all of a random one, the IQAs ticked of a targeted one): the
    redirect to the user's dip samples, or None with the refusal shown, to show the form again."""
    user = request.user
    proposal = _proposal(user, form)
    chosen = proposal.assessment_ids
    if proposal.kind != SelectionKind.RANDOM:
        chosen = [int(value) for value in request.POST.getlist("iqa") if value.isdigit()]
    try:
        made, _ = once.create_once(
            request, lambda: services.selection_confirm(user=user, proposal=proposal, assessment_ids=chosen)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    except once.FormExpired as error:
        messages.error(request, str(error))
        return None
    if made is not None:
        count = made.dip_samples.count()
        seed = f" (seed {made.seed})" if made.seed is not None else ""
        messages.success(request, f"{count} IQA{'s' if count != 1 else ''} selected for dip sampling{seed}.")
    return redirect("dip_sample_mine")


def _propose_context(user, form) -> dict:
    proposal = _proposal(user, form) if form.is_bound and form.is_valid() else None
    context = {"form": form, "proposal": proposal, "iqas": [], "not_shown": 0}
    if proposal is not None:
        # A national random sample can run to thousands: show the first SHOWN_LIMIT; confirming takes them all.
        iqas = list(
            selectors.samplable_assessments(user)
            .filter(pk__in=proposal.assessment_ids)
            .select_related(*IQA_RELATED)
            .order_by("activity", "work_date", "pk")[:SHOWN_LIMIT]
        )
        for iqa in iqas:
            iqa.why = proposal.notes.get(iqa.pk, "")
        context.update(iqas=iqas, not_shown=len(proposal.assessment_ids) - len(iqas))
    return context


@login_required
def selection_list(request):
    require_dip_sampler(request)
    # The rule holds every eligible id of a random draw (thousands at national scope): not needed for the list.
    selections = selectors.selections_in_scope(request.user).select_related("made_by").defer("rule")
    page = page_of(request, selections.order_by("-made_at", "-pk"))
    return render(request, "dipsampling/selection_list.html", {"page": page})


def strata(rule: dict) -> list[dict]:
    """A random selection's numbers per activity, from its stored rule: IQAs in the period and already selected
    (kept since December 2026; None before), how many the 10% target needed, the pool and how many were drawn."""
    chosen = set(rule.get("chosen", []))
    kept = rule.get("strata", {})
    rows = []
    for activity in Activity:
        eligible = rule.get("eligible", {}).get(activity.value, [])
        numbers = kept.get(activity.value, {})
        rows.append(
            {
                "label": activity.label,
                "iqas": numbers.get("iqas"),
                "already": numbers.get("already"),
                "needed": rule.get("needed", {}).get(activity.value, 0),
                "eligible": len(eligible),
                "drawn": len(chosen.intersection(eligible)),
            }
        )
    return rows


def rule_text(selection) -> str:
    """The rule as applied, in words, from what the selection stored."""
    rule = selection.rule
    text = rule.get("rule") or selection.get_kind_display()
    if "margin" in rule:
        points = percent(rule["margin"])
        text += f" by {points} percentage points or more, over at least {rule['minimum']} answers"
    return text


def redraw_check(selection) -> bool | None:
    """Whether drawing again from the stored seed and pool gives the IQAs the selection chose; None if it cannot be
    re-drawn (a targeted selection, which chooses nothing at random)."""
    rule = selection.rule
    if selection.kind != SelectionKind.RANDOM or selection.seed is None or "eligible" not in rule:
        return None
    return sorted(sampling.redraw(selection)) == sorted(rule.get("chosen", []))


@login_required
def selection_detail(request, pk):
    require_dip_sampler(request)
    selection = get_object_or_404(selectors.selections_in_scope(request.user).select_related("made_by"), pk=pk)
    dip_samples = (
        selectors.dip_samples_in_scope(request.user)
        .filter(selection=selection)
        .select_related(*DIP_SAMPLE_RELATED)
        .order_by("assessment__activity", "assessment__work_date", "assessment_id")
    )
    page = page_of(request, dip_samples)
    made = selection.dip_samples.count()
    rule = selection.rule
    context = {
        "selection": selection,
        "rule_text": rule_text(selection),
        "page": page,
        "strata": strata(rule) if selection.kind == SelectionKind.RANDOM else [],
        "redraw_matches": redraw_check(selection),
        "made": made,
        # IQAs another selection took between the proposal and the confirmation: chosen, never sampled twice.
        "taken_meanwhile": max(0, len(rule.get("chosen", [])) - made),
        # Dip samples of this selection the viewer may not open: outside their purview, or about their own work.
        "not_listed": made - page.paginator.count,
        "unticked": len(set(rule.get("proposed", [])) - set(rule.get("chosen", []))),
    }
    return render(request, "dipsampling/selection_detail.html", context)
