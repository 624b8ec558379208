from datetime import date

import pytest
from django.urls import reverse

from organisation.models import PurviewLevel, Role
from qa_platform import periods
from qa_platform.periods import PeriodError
from tests.factories import PersonFactory, RoleGrantFactory


def test_it_puts_january_to_march_in_the_business_year_that_began_the_april_before():
    assert periods.business_year_of(date(2018, 3, 31)) == 2017
    assert periods.business_year_of(date(2018, 4, 1)) == 2018


def test_it_labels_business_years_across_the_century():
    assert periods.business_year(2017).label == "2017-18"
    assert periods.business_year(1999).label == "1999-00"
    assert periods.business_year(2017).days == 365
    assert periods.business_year(2019).days == 366  # 29 February 2020


@pytest.mark.parametrize(
    ("number", "start", "end"),
    [
        (1, date(2017, 4, 1), date(2017, 6, 30)),
        (2, date(2017, 7, 1), date(2017, 9, 30)),
        (3, date(2017, 10, 1), date(2017, 12, 31)),
        (4, date(2018, 1, 1), date(2018, 3, 31)),
    ],
)
def test_it_numbers_quarters_from_april(number, start, end):
    q = periods.quarter(2017, number)
    assert (q.start, q.end, q.label) == (start, end, f"2017-18 Q{number}")
    assert periods.quarter_of(start) == q
    assert periods.quarter_of(end) == q


def test_it_finds_this_quarter_last_quarter_and_the_same_quarter_last_year():
    today = date(2018, 2, 14)
    assert periods.this_quarter(today).label == "2017-18 Q4"
    assert periods.last_quarter(today).label == "2017-18 Q3"
    assert periods.last_quarter(date(2018, 4, 2)).label == "2017-18 Q4"
    assert periods.same_period_last_year(periods.this_quarter(today)).label == "2016-17 Q4"
    assert periods.same_period_last_year(periods.business_year(2017)).label == "2016-17"
    assert periods.same_period_last_year(periods.month(2020, 2)).end == date(2019, 2, 28)


def test_it_shifts_a_custom_range_ending_on_29_february_to_the_28th():
    shifted = periods.same_period_last_year(periods.custom(date(2020, 2, 1), date(2020, 2, 29)))
    assert (shifted.start, shifted.end) == (date(2019, 2, 1), date(2019, 2, 28))


def test_it_lists_recent_quarters_oldest_first():
    labels = [q.label for q in periods.recent_quarters(5, date(2018, 5, 1))]
    assert labels == ["2017-18 Q1", "2017-18 Q2", "2017-18 Q3", "2017-18 Q4", "2018-19 Q1"]


def test_it_lists_the_quarters_a_period_overlaps():
    labels = [q.label for q in periods.quarters_in(periods.custom(date(2017, 6, 30), date(2018, 1, 1)))]
    assert labels == ["2017-18 Q1", "2017-18 Q2", "2017-18 Q3", "2017-18 Q4"]


def test_it_steps_back_one_period_of_the_same_kind():
    assert periods.previous(periods.month(2018, 1)).label == "2017-12"
    assert periods.previous(periods.quarter(2018, 1)).label == "2017-18 Q4"
    custom = periods.custom(date(2018, 1, 11), date(2018, 1, 20))
    assert periods.previous(custom) == periods.custom(date(2018, 1, 1), date(2018, 1, 10))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2017-18", date(2017, 4, 1), date(2018, 3, 31)),
        ("2017-18 Q2", date(2017, 7, 1), date(2017, 9, 30)),
        ("2017-18q4", date(2018, 1, 1), date(2018, 3, 31)),
        ("2017-05", date(2017, 5, 1), date(2017, 5, 31)),
        ("2017-04-10..2017-05-31", date(2017, 4, 10), date(2017, 5, 31)),
    ],
)
def test_it_parses_its_own_labels(text, start, end):
    period = periods.parse(text)
    assert (period.start, period.end) == (start, end)
    assert periods.parse(period.label) == period


@pytest.mark.parametrize(
    "text", ["", "2017", "2017-19", "2017-13", "2017-19 Q1", "2017-18 Q5", "2018-02-30..2018-03-01"]
)
def test_it_refuses_text_that_is_not_a_period_with_a_message(text):
    with pytest.raises(PeriodError, match=r"\S"):
        periods.parse(text)


def test_it_refuses_a_range_that_ends_before_it_starts():
    with pytest.raises(PeriodError, match="cannot end before"):
        periods.parse("2018-05-01..2018-04-01")


OUT_OF_RANGE = ["9999-00", "9999-00 Q4", "0000-01", "0001-01", "9998-99", "0001-01-01..9999-12-31", "1999-00"]


@pytest.mark.parametrize("text", OUT_OF_RANGE)
def test_it_refuses_a_period_outside_the_business_years_it_reports_on(text):
    with pytest.raises(PeriodError, match="2000-01 to 2099-00"):
        periods.parse(text)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2000-01", date(2000, 4, 1), date(2001, 3, 31)),
        ("2000-04", date(2000, 4, 1), date(2000, 4, 30)),
        ("2099-00 Q4", date(2100, 1, 1), date(2100, 3, 31)),
        ("2100-03", date(2100, 3, 1), date(2100, 3, 31)),
        ("2000-04-01..2100-03-31", date(2000, 4, 1), date(2100, 3, 31)),
    ],
)
def test_it_reads_the_first_and_last_periods_it_reports_on(text, start, end):
    period = periods.parse(text)
    assert (period.start, period.end) == (start, end)
    assert periods.previous(period).start < period.start  # a page steps back from it without overflowing


# Every page that reads a period from its query string, the persona who may open it, and whether it is a page that
# shows the period's error by its field (an export, a chart or a download falls back to the default period).
PERIOD_PAGES = [
    ("reporting:dashboard", [], "performance_viewer", True),
    ("reporting:consistency", [], "performance_viewer", True),
    ("reporting:drilldown", [], "performance_viewer", True),
    ("reporting:committee_pack", [], "performance_viewer", False),
    ("reporting:chart", ["questions"], "performance_viewer", False),
    ("reporting:chart", ["trend"], "performance_viewer", False),
    ("reporting:chart", ["timing"], "performance_viewer", False),
    ("reporting:export", ["dashboard", "all", "xlsx"], "performance_viewer", False),
    ("reporting:export", ["consistency", "all", "xlsx"], "performance_viewer", False),
    ("reporting:export", ["drilldown", "all", "xlsx"], "performance_viewer", False),
    ("reporting:comments", [], "comments_viewer", True),
    ("reporting:comments_export", ["csv"], "comments_viewer", False),
    ("dip_sample_queue", [], "dip_sampler", True),
    ("dip_sample_rates", [], "dip_sampler", True),
    ("dip_sample_remarks", [], "dip_sampler", True),
    ("dip_sample_propose", [], "dip_sampler", True),
]


@pytest.fixture
def comments_viewer(org):
    person = PersonFactory(full_name="Cleo Comments")
    RoleGrantFactory(person=person, role=Role.COMMENTS_VIEWER, level=PurviewLevel.AREA, team=None, area=org.area_a)
    return person


# One label of each way a period used to break the pages: a year past 9999, a month whose previous month is before
# year 1, a year whose quarters run into year 9999, a range to the end of the calendar.
BROKE_PAGES = ["9999-00 Q4", "0001-01", "9998-99", "0001-01-01..9999-12-31"]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args", "persona", "shows_error"), PERIOD_PAGES)
def test_every_page_reading_a_period_refuses_one_out_of_range_by_its_field(
    client, request, name, args, persona, shows_error
):
    client.force_login(request.getfixturevalue(persona))
    for text in BROKE_PAGES:
        response = client.get(reverse(name, args=args), {"period": text})
        assert response.status_code == 200, text
        if shows_error:
            assert "2000-01 to 2099-00" in response.content.decode(), text


@pytest.mark.django_db
def test_comparing_periods_refuses_one_out_of_range_by_its_field(client, performance_viewer):
    client.force_login(performance_viewer)
    for text in BROKE_PAGES:
        response = client.get(reverse("reporting:compare"), {"dimension": "period", "periods": f"2025-26, {text}"})
        assert response.status_code == 200, text
        assert "2000-01 to 2099-00" in response.content.decode(), text
