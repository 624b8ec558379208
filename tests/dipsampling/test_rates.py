"""Dip sample rates per activity against the 10% target, for a scoped, period-filtered set of IQAs."""

import pytest
from django.utils import timezone

from assessments.models import Activity, Assessment
from dipsampling import services
from dipsampling.models import Outcome
from dipsampling.rates import dip_sample_rates, required_for


@pytest.mark.parametrize(("iqas", "required"), [(0, 0), (1, 1), (9, 1), (10, 1), (11, 2), (30, 3), (31, 4)])
def test_it_needs_ten_percent_rounded_up(iqas, required):
    assert required_for(iqas) == required


def _recorded(iqa, dip_sampler):
    dip_sample = services.dip_sample_start(user=dip_sampler, assessment=iqa)
    services.dip_sample_record(
        dip_sample=dip_sample,
        user=dip_sampler,
        sampled_on=timezone.localdate(),
        iqa_comment="Sound",
        casework_comment="Sound",
        outcome=Outcome.ROBUST,
    )


def test_it_counts_recorded_dip_samples_per_activity(make_iqa, dip_sampler, django_assert_num_queries):
    progression = [make_iqa() for _ in range(11)]
    advice = [make_iqa(Activity.ADVICE) for _ in range(3)]
    _recorded(progression[0], dip_sampler)
    services.dip_sample_start(user=dip_sampler, assessment=progression[1])  # selected, not done: not counted
    _recorded(advice[0], dip_sampler)

    with django_assert_num_queries(1):
        rows = {row.activity: row for row in dip_sample_rates(Assessment.objects.all())}

    assert list(rows) == [activity.value for activity in Activity]
    assert (rows["case_progression"].iqas, rows["case_progression"].dip_sampled) == (11, 1)
    assert rows["case_progression"].rate == pytest.approx(1 / 11)
    assert rows["case_progression"].required == 2
    assert not rows["case_progression"].meets_target
    assert rows["advice"].rate == pytest.approx(1 / 3)
    assert rows["advice"].meets_target
    assert rows["charging_review"].iqas == 0
    assert rows["charging_review"].rate is None
    assert rows["charging_review"].meets_target
    assert rows["advice"].target == 0.10
