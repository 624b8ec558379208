"""The Wilson interval against published values, and the "too few to judge" threshold."""

import pytest

from reporting.stats import Rate, rate_difference, wilson_interval


@pytest.mark.parametrize(
    ("successes", "total", "low", "high"),
    [(8, 10, 0.490, 0.943), (0, 10, 0.0, 0.278), (10, 10, 0.722, 1.0), (50, 100, 0.404, 0.596), (1, 1, 0.207, 1.0)],
)
def test_it_gives_the_wilson_95_percent_interval(successes, total, low, high):
    interval = wilson_interval(successes, total)
    assert interval == pytest.approx((low, high), abs=0.0005)


def test_it_has_no_interval_without_a_denominator():
    assert wilson_interval(0, 0) is None
    assert Rate(0, 0).value is None
    assert str(Rate(0, 0)) == "–"


def test_it_calls_a_rate_too_few_to_judge_below_the_setting(settings):
    settings.REPORTING_MIN_COUNT = 10
    assert Rate(5, 9).too_few
    assert not Rate(5, 10).too_few


def test_it_gives_the_difference_in_points():
    assert rate_difference(Rate(1, 2), Rate(3, 4)) == pytest.approx(0.25)
    assert rate_difference(Rate(1, 2), Rate(0, 0)) is None
