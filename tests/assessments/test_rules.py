"""The scheme's rules as plain functions: URNs, rule 1 (answers), rule 2 (recording on time), advice, rule 3."""

from datetime import date

import pytest

from assessments import rules
from assessments.models import Activity, AnswerValue, Reason, State
from qa_platform.working_days import add_working_days, is_working_day, next_working_day

REASON = Reason(code="Q9.1", text="No case strategy")
OTHER = Reason(code="Q9.7", text="Other", is_other=True)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("42AB0123426", "42AB0123426"), ("42 ab 01234 26", "42AB0123426"), ("42/AB/01234/26", "42AB0123426")],
)
def test_it_normalises_urns_as_people_type_them(typed, stored):
    assert rules.normalise_urn(typed) == stored
    assert rules.is_valid_urn(stored)


@pytest.mark.parametrize("urn", ["", "42AB012342", "42AB01234267", "4XAB0123426", "42A10123426", "ABCD0123426"])
def test_it_refuses_urns_not_in_the_format(urn):
    assert not rules.is_valid_urn(rules.normalise_urn(urn))


def test_it_needs_a_reason_and_a_comment_for_not_met():
    assert rules.answer_errors(AnswerValue.NOT_MET, [], "") == {
        "reasons": rules.NOT_MET_REASON_MESSAGE,
        "comment": rules.NOT_MET_COMMENT_MESSAGE,
    }
    assert rules.answer_errors(AnswerValue.NOT_MET, [REASON], "  ") == {"comment": rules.NOT_MET_COMMENT_MESSAGE}
    assert rules.answer_errors(AnswerValue.NOT_MET, [], "Why") == {"reasons": rules.NOT_MET_REASON_MESSAGE}
    assert rules.answer_errors(AnswerValue.NOT_MET, [REASON], "Why") == {}


def test_it_asks_for_the_other_reason_to_be_explained():
    assert rules.answer_errors(AnswerValue.NOT_MET, [OTHER], "") == {"comment": rules.OTHER_REASON_COMMENT_MESSAGE}


def test_it_needs_a_comment_for_not_met_other_and_nothing_for_the_rest():
    assert rules.answer_errors(AnswerValue.NOT_MET_OTHER, [], "") == {"comment": rules.NOT_MET_OTHER_COMMENT_MESSAGE}
    assert rules.answer_errors(AnswerValue.NOT_MET_OTHER, [], "Police late") == {}
    assert rules.answer_errors(AnswerValue.FULLY_MET, [], "") == {}
    assert rules.answer_errors(AnswerValue.NOT_APPLICABLE, [], "") == {}


def test_it_refuses_reasons_on_an_answer_that_is_not_not_met():
    assert rules.answer_errors(AnswerValue.FULLY_MET, [REASON], "") == {
        "reasons": rules.REASONS_ONLY_WHEN_NOT_MET_MESSAGE
    }


@pytest.mark.parametrize(
    ("work_date", "recorded_on", "on_time"),
    [
        (date(2026, 11, 19), date(2026, 11, 19), True),  # Thursday, same day
        (date(2026, 11, 19), date(2026, 11, 20), True),  # Thursday, next day
        (date(2026, 11, 19), date(2026, 11, 23), False),  # Thursday, the Monday after
        (date(2026, 11, 20), date(2026, 11, 23), True),  # Friday, the next working day is Monday
        (date(2026, 11, 20), date(2026, 11, 24), False),
        (date(2026, 11, 21), date(2026, 11, 23), True),  # Saturday court, Monday
        (date(2026, 12, 24), date(2026, 12, 29), True),  # Christmas Eve; 25, 26 (Sat), 28 (Boxing Day moved)
        (date(2026, 12, 24), date(2026, 12, 30), False),
        (date(2027, 3, 25), date(2027, 3, 30), True),  # Good Friday 26 March, Easter Monday 29 March 2027
        (date(2027, 3, 25), date(2027, 3, 31), False),
        (date(2027, 3, 25), date(2027, 3, 26), True),  # recorded on the bank holiday itself is still in time
    ],
)
def test_it_says_whether_an_iqa_was_recorded_the_same_or_next_working_day(work_date, recorded_on, on_time):
    assert rules.recorded_on_time(work_date, recorded_on) is on_time


def test_the_next_working_day_skips_weekends_and_england_and_wales_bank_holidays():
    assert next_working_day(date(2027, 3, 25)) == date(2027, 3, 30)
    assert not is_working_day(date(2026, 8, 31))  # summer bank holiday (England and Wales, not Scotland)
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer bank holiday is a working day here
    assert add_working_days(date(2026, 12, 21), 5) == date(2026, 12, 30)
    assert add_working_days(date(2026, 11, 21), 1) == date(2026, 11, 23)  # counted from the day after a Saturday


def test_it_keeps_advice_to_early_investigative_advice():
    assert rules.advice_errors(Activity.ADVICE, True) == {}
    assert rules.advice_errors(Activity.ADVICE, False) == {"early_advice_requested": rules.ADVICE_PRE_CHARGE_MESSAGE}
    assert "early_advice_requested" in rules.advice_errors(Activity.ADVICE, None)
    assert rules.advice_errors(Activity.CHARGING_REVIEW, None) == {}


class _IQA:
    def __init__(self, state, action_required, assessor_id=1):
        self.state, self.action_required, self.assessor_id = state, action_required, assessor_id


def test_an_iqa_with_action_required_closes_only_once_the_action_is_taken():
    assert rules.can_close(_IQA(State.RECORDED, True)) == (False, rules.CLOSE_BEFORE_ACTION_MESSAGE)
    assert rules.can_close(_IQA(State.ACTION_TAKEN, True)) == (True, "")
    assert rules.can_close(_IQA(State.RECORDED, False)) == (True, "")
    assert rules.can_close(_IQA(State.CLOSED, False))[0] is False
