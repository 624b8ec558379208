"""Proposing which IQAs to dip sample: a random sample meeting the 10% target, and targeted selections beside it.

Random (stratified by activity): for each activity, the IQAs in scope whose work falls in the chosen quarter
count towards the target of 10% rounded up (dipsampling/rates.py). IQAs already selected or dip sampled count
towards it; the rest is drawn from the IQAs not yet selected, by `random.Random(seed).sample` over their ids in
ascending order, activity by activity in the scheme's order. The seed, the ids that were eligible and the
numbers are stored in the selection's rule, so `redraw(selection)` gives the same sample again.

Targeted (the dip sampler chooses among the proposals; nothing random):
- high fully met: IQAs by an assessor whose fully met rate in the period is at least HIGH_MARGIN above the
  rate of all IQAs in scope on the same unit, with at least MIN_ANSWERS applicable answers behind it;
- adverse outcome: a Case records no verdict, so an adverse outcome is read from what it does record: the case
  is finalised at a stage before trial (pre-charge, post-charge or before trial) — it ended early, by
  discontinuance, no evidence offered or a plea we did not expect, the cases seed 001 5.33 found IQAs missing;
- finalised case: IQAs on cases now finalised, where the IQA could no longer change the outcome (seed 001 5.33).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from assessments.models import Activity, AnswerValue, Assessment, CaseStage, CaseStatus
from dipsampling import selectors
from dipsampling.models import SelectionKind
from dipsampling.rates import TARGET, required_for
from organisation import scoping
from organisation.models import Role
from qa_platform import sampling
from qa_platform.percent import percent_of
from qa_platform.periods import Period

HIGH_MARGIN = 0.10  # ten percentage points above the unit's fully met rate
MIN_ANSWERS = 10  # applicable answers before an assessor's rate is compared at all
TARGETED_LIMIT = 100  # proposals shown for one targeted rule, oldest work first
STAGES_BEFORE_TRIAL = (CaseStage.PRE_CHARGE, CaseStage.POST_CHARGE, CaseStage.BEFORE_TRIAL)


@dataclass
class Stratum:
    """One activity's numbers in a random selection."""

    activity: str
    iqas: int
    already: int
    eligible: list[int] = field(default_factory=list)
    chosen: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return Activity(self.activity).label

    @property
    def required(self) -> int:
        return required_for(self.iqas)

    @property
    def needed(self) -> int:
        return max(0, self.required - self.already)


@dataclass
class Proposal:
    kind: str
    period: Period
    rule: dict
    assessment_ids: list[int]
    seed: int | None = None
    strata: list[Stratum] = field(default_factory=list)
    notes: dict = field(default_factory=dict)  # assessment id → why it was proposed

    @property
    def kind_label(self) -> str:
        return SelectionKind(self.kind).label

    @property
    def eligible_count(self) -> int:
        """The IQAs the rule chose from: a random draw's pool (the period's IQAs not yet selected), or the IQAs a
        targeted rule proposed for the dip sampler to tick."""
        if self.kind == SelectionKind.RANDOM:
            return sum(len(ids) for ids in self.rule["eligible"].values())
        return len(self.assessment_ids)


def new_seed() -> int:
    return sampling.new_seed(31)


def draw(eligible_by_activity: dict[str, list[int]], needed_by_activity: dict[str, int], seed: int) -> list[int]:
    """The random draw itself (qa_platform/sampling.py), activity by activity in the scheme's order, each
    activity's ids ascending: the same inputs and seed always give the same ids."""
    strata = [
        (eligible_by_activity.get(activity.value, []), needed_by_activity.get(activity.value, 0))
        for activity in Activity
    ]
    return [pk for drawn in sampling.draw(strata, seed=seed) for pk in sorted(drawn)]


def _team_ids(user) -> list[int]:
    return sorted(scoping.teams_in_scope(user, Role.DIP_SAMPLER).values_list("pk", flat=True))


def selection_propose(*, user, period: Period, kind: str, seed: int | None = None) -> Proposal:
    """What the selection tool proposes for the period: a random sample (from the seed, or a fresh one) or the IQAs
    a targeted rule picks out. Confirmed by services.selection_confirm."""
    if kind == SelectionKind.RANDOM:
        return propose_random(user, period, seed=seed)
    return propose_targeted(user, period, kind)


def propose_random(user, period: Period, seed: int | None = None) -> Proposal:
    """A stratified random sample that brings every activity in the quarter up to the target. Two queries."""
    seed = new_seed() if seed is None else seed
    in_quarter = selectors.in_period(selectors.samplable_assessments(user), period)
    strata = {activity.value: Stratum(activity=activity.value, iqas=0, already=0) for activity in Activity}
    for activity, pk, sampled in in_quarter.order_by("pk").values_list("activity", "pk", "dip_sample"):
        stratum = strata[activity]
        stratum.iqas += 1
        if sampled is None:
            stratum.eligible.append(pk)
        else:
            stratum.already += 1
    eligible = {activity: stratum.eligible for activity, stratum in strata.items()}
    needed = {activity: stratum.needed for activity, stratum in strata.items()}
    chosen = draw(eligible, needed, seed)
    chosen_set = set(chosen)
    for stratum in strata.values():
        stratum.chosen = [pk for pk in stratum.eligible if pk in chosen_set]
    rule = {
        "rule": "stratified random by activity: 10% of each activity's IQAs in the period, rounded up",
        "target": TARGET,
        "period": period.label,
        "team_ids": _team_ids(user),
        "excluded_person_id": user.pk,
        "eligible": eligible,
        "needed": needed,
        # Each activity's IQAs in the period and those already selected: what "needed" was worked out from.
        "strata": {key: {"iqas": stratum.iqas, "already": stratum.already} for key, stratum in strata.items()},
    }
    return Proposal(
        kind=SelectionKind.RANDOM,
        period=period,
        rule=rule,
        assessment_ids=chosen,
        seed=seed,
        strata=list(strata.values()),
    )


def redraw(selection) -> list[int]:
    """The sample a stored random selection's seed and rule give: the same ids as it chose."""
    return draw(selection.rule["eligible"], selection.rule["needed"], selection.seed)


def propose_targeted(user, period: Period, kind: str) -> Proposal:
    """IQAs not yet selected that a targeted rule picks out. Two queries at most."""
    queue = selectors.in_period(selectors.unsampled_assessments(user), period)
    rule = {"period": period.label, "team_ids": _team_ids(user), "excluded_person_id": user.pk}
    notes = {}
    if kind == SelectionKind.HIGH_FULLY_MET:
        flagged = high_fully_met_assessors(selectors.in_period(selectors.samplable_assessments(user), period))
        queue = queue.filter(assessor_id__in=list(flagged))
        rule.update(rule="assessor's fully met rate well above their unit's", margin=HIGH_MARGIN, minimum=MIN_ANSWERS)
        ids = list(queue.order_by("work_date", "pk").values_list("pk", "assessor_id")[:TARGETED_LIMIT])
        notes = {pk: flagged[assessor_id] for pk, assessor_id in ids}
        return Proposal(kind=kind, period=period, rule=rule, assessment_ids=[pk for pk, _ in ids], notes=notes)
    if kind == SelectionKind.ADVERSE_OUTCOME:
        queue = queue.filter(case_status=CaseStatus.FINALISED, case_stage__in=STAGES_BEFORE_TRIAL)
        rule.update(rule="case finalised before trial", stages=list(STAGES_BEFORE_TRIAL))
    elif kind == SelectionKind.FINALISED_CASE:
        queue = queue.filter(case_status=CaseStatus.FINALISED)
        rule.update(rule="case finalised")
    else:
        raise ValueError(f"Not a targeted selection: {kind}")
    ids = list(queue.order_by("work_date", "pk").values_list("pk", flat=True)[:TARGETED_LIMIT])
    return Proposal(kind=kind, period=period, rule=rule, assessment_ids=ids)


def high_fully_met_assessors(assessments: QuerySet[Assessment]) -> dict[int, str]:
    """Assessors whose fully met rate is well above their unit's: assessor id → why. One query.

    The unit's rate is over all these IQAs filed under the unit, the assessor's over theirs in that unit.
    """
    applicable = ~Q(answers__value=AnswerValue.NOT_APPLICABLE)
    rows = (
        assessments.order_by()
        .values("assessor_id", "team__unit_id")
        .annotate(
            fully_met=Count("answers", filter=Q(answers__value=AnswerValue.FULLY_MET)),
            applicable=Count("answers", filter=applicable),
        )
    )
    units: dict[int, list[int]] = {}
    by_assessor = []
    for row in rows:
        unit = units.setdefault(row["team__unit_id"], [0, 0])
        unit[0] += row["fully_met"]
        unit[1] += row["applicable"]
        by_assessor.append(row)
    flagged = {}
    for row in by_assessor:
        if row["applicable"] < MIN_ANSWERS:
            continue
        unit_fully_met, unit_applicable = units[row["team__unit_id"]]
        rate, unit_rate = row["fully_met"] / row["applicable"], unit_fully_met / unit_applicable
        if rate - unit_rate >= HIGH_MARGIN:
            flagged[row["assessor_id"]] = (
                f"assessor's fully met rate {percent_of(row['fully_met'], row['applicable'])}% "
                f"against the unit's {percent_of(unit_fully_met, unit_applicable)}%"
            )
    return flagged
