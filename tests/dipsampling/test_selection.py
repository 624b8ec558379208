"""Random selections meet the 10% target per activity and repeat from their seed; targeted rules; scope."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Activity, CaseStage, CaseStatus
from dipsampling import selection, services
from dipsampling.models import DipSample, Selection, SelectionKind
from qa_platform.periods import quarter_of
from tests.dipsampling.conftest import NM

DAY = datetime.date(2026, 5, 12)  # 2026-27 Q1
QUARTER = quarter_of(DAY)


@pytest.fixture
def quarter_iqas(make_iqa, neighbour, colleague):
    """23 case progression and 7 advice IQAs in the quarter in unit A1; 5 outside it."""
    iqas = [make_iqa(work_date=DAY - datetime.timedelta(days=n % 20)) for n in range(23)]
    iqas += [make_iqa(Activity.ADVICE, work_date=DAY, assessed=neighbour, team=neighbour.memberships.get().team)]
    iqas += [make_iqa(Activity.ADVICE, work_date=DAY, assessed=colleague) for _ in range(6)]
    for _ in range(5):
        make_iqa(work_date=QUARTER.start - datetime.timedelta(days=1))
    return iqas


def _sampled_by_activity():
    counts = {}
    for activity in DipSample.objects.values_list("assessment__activity", flat=True):
        counts[activity] = counts.get(activity, 0) + 1
    return counts


def test_it_proposes_enough_of_each_activity_to_meet_the_target(dip_sampler, quarter_iqas):
    proposal = selection.propose_random(dip_sampler, QUARTER, seed=7)
    strata = {stratum.activity: stratum for stratum in proposal.strata}
    # 10% rounded up: 23 → 3, 7 → 1.
    assert (strata["case_progression"].iqas, strata["case_progression"].required) == (23, 3)
    assert (strata["advice"].iqas, strata["advice"].required) == (7, 1)
    assert len(strata["case_progression"].chosen) == 3
    assert len(strata["advice"].chosen) == 1
    assert len(proposal.assessment_ids) == 4

    services.selection_confirm(user=dip_sampler, proposal=proposal, assessment_ids=proposal.assessment_ids)
    assert _sampled_by_activity() == {"case_progression": 3, "advice": 1}


def test_it_draws_the_same_sample_from_the_same_seed_and_stores_seed_and_rule(dip_sampler, quarter_iqas):
    first = selection.propose_random(dip_sampler, QUARTER, seed=12345)
    again = selection.propose_random(dip_sampler, QUARTER, seed=12345)
    assert first.assessment_ids == again.assessment_ids
    other_seeds = {tuple(selection.propose_random(dip_sampler, QUARTER, seed=s).assessment_ids) for s in range(8)}
    assert len(other_seeds) > 1, "different seeds should draw different samples"

    made = services.selection_confirm(user=dip_sampler, proposal=first, assessment_ids=first.assessment_ids)
    made = Selection.objects.get(pk=made.pk)
    assert made.seed == 12345
    assert made.kind == SelectionKind.RANDOM
    assert made.period_label == QUARTER.label
    assert made.rule["target"] == 0.10
    # Re-running the stored rule with the stored seed gives the same sample, even now those IQAs are taken.
    assert sorted(selection.redraw(made)) == sorted(made.dip_samples.values_list("assessment_id", flat=True))
    assert selection.redraw(made) == first.assessment_ids


def test_it_counts_dip_samples_already_selected_towards_the_target(dip_sampler, quarter_iqas):
    first = selection.propose_random(dip_sampler, QUARTER, seed=1)
    services.selection_confirm(user=dip_sampler, proposal=first, assessment_ids=first.assessment_ids)

    second = selection.propose_random(dip_sampler, QUARTER, seed=2)

    assert second.assessment_ids == []
    assert all(stratum.needed == 0 for stratum in second.strata)


def test_it_samples_only_iqas_in_scope(make_iqa, dip_sampler, outsider, org, assessor, assessed, neighbour):
    in_scope = make_iqa(work_date=DAY)
    outside = make_iqa(work_date=DAY, assessed=outsider, team=org.team_b1a)
    own_work = make_iqa(work_date=DAY, assessed=dip_sampler, team=org.team_a1b)
    own_iqa = make_iqa(work_date=DAY, assessor=dip_sampler, assessed=neighbour, team=org.team_a1b)

    proposal = selection.propose_random(dip_sampler, QUARTER, seed=3)
    assert proposal.assessment_ids == [in_scope.pk]

    # Ids outside the proposal are ignored on confirmation, whatever is posted.
    services.selection_confirm(
        user=dip_sampler, proposal=proposal, assessment_ids=[in_scope.pk, outside.pk, own_work.pk, own_iqa.pk]
    )
    assert list(DipSample.objects.values_list("assessment_id", flat=True)) == [in_scope.pk]
    with pytest.raises(ValidationError):
        services.dip_sample_start(user=dip_sampler, assessment=outside)
    with pytest.raises(ValidationError):
        services.dip_sample_start(user=dip_sampler, assessment=own_iqa)


def test_it_refuses_to_confirm_nothing(dip_sampler, quarter_iqas):
    proposal = selection.propose_targeted(dip_sampler, QUARTER, SelectionKind.FINALISED_CASE)
    with pytest.raises(ValidationError, match="at least one"):
        services.selection_confirm(user=dip_sampler, proposal=proposal, assessment_ids=[])


def test_it_targets_an_assessor_whose_fully_met_rate_is_well_above_their_units(
    make_iqa, dip_sampler, assessor, colleague, neighbour, org
):
    from tests.factories import RoleGrantFactory

    strict = colleague  # the generous assessor is `assessor`
    RoleGrantFactory(person=strict, role="assessor", team=org.team_a1b)
    generous_iqas = [make_iqa(work_date=DAY) for _ in range(2)]  # 9 questions each, all fully met
    for _ in range(3):
        make_iqa(
            work_date=DAY,
            assessor=strict,
            assessed=neighbour,
            team=org.team_a1b,
            answers={"Q9": NM, "Q10": NM, "Q11": NM, "Q12": NM},
        )

    proposal = selection.propose_targeted(dip_sampler, QUARTER, SelectionKind.HIGH_FULLY_MET)

    assert sorted(proposal.assessment_ids) == sorted(iqa.pk for iqa in generous_iqas)
    assert "100.0%" in proposal.notes[generous_iqas[0].pk]
    assert proposal.seed is None


def test_it_targets_adverse_outcomes_and_finalised_cases(make_iqa, dip_sampler, django_assert_max_num_queries):
    live = make_iqa(work_date=DAY)
    ended_early = make_iqa(work_date=DAY, case_status=CaseStatus.FINALISED, case={"stage": CaseStage.PRE_CHARGE})
    after_trial = make_iqa(work_date=DAY, case_status=CaseStatus.FINALISED, case={"stage": CaseStage.AFTER_TRIAL})

    adverse = selection.propose_targeted(dip_sampler, QUARTER, SelectionKind.ADVERSE_OUTCOME)
    finalised = selection.propose_targeted(dip_sampler, QUARTER, SelectionKind.FINALISED_CASE)

    assert adverse.assessment_ids == [ended_early.pk]
    assert sorted(finalised.assessment_ids) == sorted([ended_early.pk, after_trial.pk])
    assert live.pk not in finalised.assessment_ids
