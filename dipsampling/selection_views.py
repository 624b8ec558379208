"""Past dip-sample selections, newest first, and one selection with its rule, seed and the IQAs it drew, so a
reviewer can re-check the draw. Dip sampler role only; a selection outside the purview is a 404
(dipsampling.selectors.selections_in_scope)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from assessments.models import Activity
from dipsampling import selection as sampling
from dipsampling import selectors
from dipsampling.models import SelectionKind
from organisation import scoping
from organisation.models import Role

PAGE_SIZE = 25
IQA_RELATED = ("assessor", "assessed", "team__unit", "case")


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def selection_list(request):
    scoping.require_role(request.user, Role.DIP_SAMPLER)
    # The rule holds every eligible id of a random draw (thousands at national scope): not needed for the list.
    selections = selectors.selections_in_scope(request.user).select_related("made_by").defer("rule")
    page = _page(request, selections.order_by("-made_at", "-pk"))
    return render(request, "dipsampling/selection_list.html", {"page": page, "query_string": ""})


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
        text += f" by {round(rule['margin'] * 100)} percentage points or more, over at least {rule['minimum']} answers"
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
    scoping.require_role(request.user, Role.DIP_SAMPLER)
    selection = get_object_or_404(selectors.selections_in_scope(request.user).select_related("made_by"), pk=pk)
    dip_samples = (
        selectors.dip_samples_in_scope(request.user)
        .filter(selection=selection)
        .select_related(*(f"assessment__{name}" for name in IQA_RELATED))
        .order_by("assessment__activity", "assessment__work_date", "assessment_id")
    )
    page = _page(request, dip_samples)
    made = selection.dip_samples.count()
    rule = selection.rule
    context = {
        "selection": selection,
        "rule_text": rule_text(selection),
        "page": page,
        "query_string": "",
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
