"""The monthly dip sample of closed cases (rule 8): its exclusions, its size, its stored seed, once a month on
the first working day, and its reviewer."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from notifications import outbox
from notifications.models import Message
from organisation.models import PurviewLevel, Role
from scrutiny import closed_sample, services
from scrutiny.models import ClosedCaseDipSample, DecidedBy, Decision, MonthlyClosedCaseSample
from tests.conftest import _person_in
from tests.factories import RoleGrantFactory

pytestmark = pytest.mark.django_db
# 1 December 2026 is a Tuesday: the first working day of December; November's closed cases are drawn.
DRAW_DAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def in_december():
    with time_machine.travel(date(2026, 12, 1), tick=False):
        yield


def closed_case(make_case, *, closed_on=date(2026, 11, 10), decision=Decision.NON_REFERRAL, **fields):
    decided_by = fields.pop("decided_by", DecidedBy.SINGLE)
    heard_by_lrcc = fields.pop("heard_by_lrcc", False)
    case = make_case(date(2025, 6, 1), **fields)
    return services.case_review_close(
        case_review=case,
        user=case.group_leader,
        decision=decision,
        decided_by=decided_by,
        heard_by_lrcc=heard_by_lrcc,
        closed_on=closed_on,
    )


def test_it_draws_only_single_decision_maker_non_referrals_closed_last_month(make_case):
    eligible = closed_case(make_case)
    closed_case(make_case, decision=Decision.REFERRAL)
    closed_case(make_case, decided_by=DecidedBy.COMMITTEE)
    closed_case(make_case, heard_by_lrcc=True)
    closed_case(make_case, closed_on=date(2026, 10, 31))  # the month before
    make_case(date(2026, 9, 1))  # still open
    assert list(closed_sample.eligible_cases(date(2026, 11, 1))) == [eligible]

    sample = closed_sample.closed_case_sample_draw(today=DRAW_DAY)
    assert sample.month == date(2026, 11, 1)
    assert sample.eligible_count == 1
    assert list(sample.items.values_list("case_review", flat=True)) == [eligible.pk]
    assert "non-referral decided by a single decision-maker and not heard by the LRCC" in sample.rule


def test_it_never_draws_an_excluded_case_even_when_nothing_else_closed(make_case):
    closed_case(make_case, decision=Decision.REFERRAL)
    closed_case(make_case, decided_by=DecidedBy.COMMITTEE)
    sample = closed_sample.closed_case_sample_draw(today=DRAW_DAY)
    assert sample.eligible_count == 0
    assert not sample.items.exists()


@pytest.mark.parametrize(("eligible", "percent", "expected"), [(0, 10, 0), (1, 10, 1), (9, 10, 1), (11, 10, 2)])
def test_it_draws_the_configured_share_and_at_least_one(eligible, percent, expected):
    assert closed_sample.sample_size(eligible, percent) == expected


def test_the_draw_is_repeatable_from_its_stored_seed():
    cases = {1: list(range(1, 41)), 2: list(range(100, 121))}
    first = closed_sample.draw(cases, seed=2026, percent=10)
    assert first == closed_sample.draw(cases, seed=2026, percent=10)
    assert len(first) == 4 + 3
    assert set(first[:4]) <= set(cases[1]) and set(first[4:]) <= set(cases[2])


def test_it_draws_once_a_month_on_the_first_working_day(make_case):
    closed_case(make_case, closed_on=date(2026, 12, 15))
    # 1 January 2027 is a bank holiday: the first working day is Monday 4 January (2 and 3 are a weekend).
    assert closed_sample.closed_case_sample_draw(today=date(2027, 1, 1)) is None
    sample = closed_sample.closed_case_sample_draw(today=date(2027, 1, 4))
    assert sample is not None and sample.month == date(2026, 12, 1)
    assert closed_sample.closed_case_sample_draw(today=date(2027, 1, 4)) is None
    assert closed_sample.closed_case_sample_draw(today=date(2027, 1, 5)) is None
    assert MonthlyClosedCaseSample.objects.count() == 1


def test_it_assigns_a_scrutiny_holder_not_named_on_the_case_and_tells_them(make_case, org, group_leader):
    case = closed_case(make_case)
    reviewer = _person_in(org.team_a1b, full_name="Rita Reviewer")
    RoleGrantFactory(person=reviewer, role=Role.CASE_SCRUTINY, level=PurviewLevel.UNIT, team=None, unit=org.unit_a1)
    sample = closed_sample.closed_case_sample_draw(today=DRAW_DAY)
    item = sample.items.get()
    # The group leader holds case scrutiny over the team, but is named on the case.
    assert item.reviewer == reviewer
    message = Message.objects.get(dedupe_key=f"scrutiny:closed-sample:{item.pk}:assigned")
    assert message.recipient == reviewer.email
    outbox.dispatch_due()
    assert mail.outbox[0].subject == f"Closed case {case.reference} drawn for you to dip sample"
    assert f"/scrutiny/closed-cases/{item.pk}/" in mail.outbox[0].body


def test_a_case_with_no_possible_reviewer_is_drawn_unassigned(make_case):
    closed_case(make_case)
    closed_sample.closed_case_sample_draw(today=DRAW_DAY)
    assert ClosedCaseDipSample.objects.get().reviewer is None
    assert not Message.objects.exists()
