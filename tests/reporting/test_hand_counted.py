"""A small dataset built and counted by hand, and the same hand-counted numbers asserted on every reporting page, its
CSV, its XLSX and the committee pack.

Area A, business year 2025-26, quarter 3 (October–December 2025). Advice has two questions (Q1, Q2), charging review
six (Q3–Q8); every answer is fully met unless said:

  IQA  team  assessor  activity         work date    recorded (London)        answers
  i1   A1a   Dana      advice           Thu 2 Oct    Thu 2 Oct 14:00          all fully met; feedback Mon 6 Oct;
                                                                              dip-sampled, Q1 re-marked not met
  i2   A1a   Dana      advice           Thu 9 Oct    Mon 13 Oct 10:00, late   Q1 not met (reason Q1.1)
  i3   A1b   Eli       charging review  Fri 28 Nov   Mon 1 Dec 09:00          Q3 not met – other
  i4   A1b   Eli       charging review  Wed 31 Dec   Fri 2 Jan 2026 09:00     Q4 not met (reason Q4.1)
  i6   A1a   Dana      advice           Tue 30 Sep   Wed 1 Oct 09:00          Q1 not met (work Q2, record Q3)
  i5   B1a   (area B, outside the viewer's purview: in no figure)

Counted by hand, for Q3 (the date of the work): 4 IQAs (i1–i4), all office-based, 3 recorded on time, feedback
in time 1 of 4 (all four are past their five working days), 1 dip-sampled, every case live. 16 answers, none N/A:
13 fully met (81.25% → 81.3% half-up, where Python's round gives 81.2), 2 not met (12.5%), 1 not met – other
(6.25% → 6.3%). Annex C (the day recorded, not the work): i6, i1, i2, i3 were recorded in Q3 (i4 in January):
days 1–10: 3 (75.0%), 11–20: 1 (25.0%), 21+: 0; month 1: 3, month 2: 0, month 3: 1.
Rates over fewer than REPORTING_MIN_COUNT (10) show as "too few to judge (x of n)".
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Activity, Answer, AnswerReason, AnswerValue, Feedback, FeedbackMode, Reason
from dipsampling import services as dip_sampling
from dipsampling.models import Outcome
from tests.factories import AssessmentFactory, PersonFactory
from tests.reporting.conftest import Q2, Q3
from tests.reporting.pages import csv_rows, export, page_tables, xlsx_rows

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _iqa(team, assessor, activity, work_date, recorded, **fields):
    return AssessmentFactory(
        team=team,
        assessor=assessor,
        activity=activity,
        work_date=work_date,
        recorded_at=datetime(*recorded, tzinfo=LONDON),
        **fields,
    )


def _answer(iqa, code, value, reason=""):
    answer = Answer.objects.get(assessment=iqa, question__code=code)
    answer.value, answer.comment = value, "See the file."
    answer.save()
    if reason:
        AnswerReason.objects.create(answer=answer, reason=Reason.objects.get(question=answer.question, code=reason))


@pytest.fixture
def hand_made(org, assessor, dip_sampler):
    dana, eli = assessor, PersonFactory(full_name="Eli Examiner")
    advice, charging = Activity.ADVICE, Activity.CHARGING_REVIEW
    i1 = _iqa(org.team_a1a, dana, advice, date(2025, 10, 2), (2025, 10, 2, 14))
    i2 = _iqa(org.team_a1a, dana, advice, date(2025, 10, 9), (2025, 10, 13, 10), recorded_on_time=False)
    i3 = _iqa(org.team_a1b, eli, charging, date(2025, 11, 28), (2025, 12, 1, 9))
    i4 = _iqa(org.team_a1b, eli, charging, date(2025, 12, 31), (2026, 1, 2, 9))
    i5 = _iqa(org.team_b1a, PersonFactory(), advice, date(2025, 10, 15), (2025, 10, 15, 9))
    i6 = _iqa(org.team_a1a, dana, advice, date(2025, 9, 30), (2025, 10, 1, 9))
    assert [iqa.answers.count() for iqa in (i1, i2, i3, i4, i5, i6)] == [2, 2, 6, 6, 2, 2]
    _answer(i2, "Q1", AnswerValue.NOT_MET, "Q1.1")
    _answer(i3, "Q3", AnswerValue.NOT_MET_OTHER)
    _answer(i4, "Q4", AnswerValue.NOT_MET, "Q4.1")
    _answer(i6, "Q1", AnswerValue.NOT_MET)
    Feedback.objects.create(
        assessment=i1,
        given_on=date(2025, 10, 6),
        mode=FeedbackMode.FACE_TO_FACE,
        positive_points="Good.",
        recorded_by=dana,
    )
    dip_sample = dip_sampling.dip_sample_start(user=dip_sampler, assessment=i1)
    dip_sampling.dip_sample_record(
        dip_sample=dip_sample,
        user=dip_sampler,
        sampled_on=timezone.localdate(),
        iqa_comment="Too generous on Q1.",
        casework_comment="Advice sound otherwise.",
        outcome=Outcome.ROBUST,
        remarks={Answer.objects.get(assessment=i1, question__code="Q1").question_id: (AnswerValue.NOT_MET, "")},
    )
    return {"i1": i1, "i2": i2, "i3": i3, "i4": i4, "i5": i5, "i6": i6}


# --- How a hand-counted figure reads on a page and in its exports -----------------------------------------------


@dataclass(frozen=True)
class Count:
    """A whole number."""

    n: int

    def page(self, text):
        return text == str(self.n)

    def exported(self, title, cells):
        return _number(cells[title]) == self.n


@dataclass(frozen=True)
class Shown:
    """A rate over enough to judge: its percentage (half-up, counted by hand) and the count behind it."""

    percent: str
    n: int

    def page(self, text):
        return re.fullmatch(rf"{re.escape(self.percent)}% \S+–\S+% · n={self.n}", text) is not None

    def exported(self, title, cells):
        return _number(cells[f"{title} %"]) == Decimal(self.percent) and _number(cells[f"{title} n"]) == self.n


@dataclass(frozen=True)
class TooFew:
    """A rate over too few to judge: the page gives its counts; the export its percentage and count."""

    part: int
    n: int
    percent: str

    def page(self, text):
        return text == f"too few to judge ({self.part} of {self.n})"

    def exported(self, title, cells):
        return _number(cells[f"{title} %"]) == Decimal(self.percent) and _number(cells[f"{title} n"]) == self.n


@dataclass(frozen=True)
class Share:
    percent: str

    def page(self, text):
        return text == f"{self.percent}%"

    def exported(self, title, cells):
        return _number(cells[f"{title} %"]) == Decimal(self.percent)


@dataclass(frozen=True)
class Points:
    points: str

    def page(self, text):
        return text == f"{self.points} pts"

    def exported(self, title, cells):
        return _number(cells[f"{title} (points)"]) == Decimal(self.points)


@dataclass(frozen=True)
class Text:
    text: str

    def page(self, text):
        return text == self.text

    def exported(self, title, cells):
        return str(cells[title]) == self.text


def _number(value):
    return None if value in (None, "") else Decimal(str(value))


@dataclass(frozen=True)
class CountInRate:
    """A count in a rate column (the comparison's IQAs): shown as it is, exported in the column's n."""

    n: int

    def page(self, text):
        return text == str(self.n)

    def exported(self, title, cells):
        return _number(cells[f"{title} n"]) == self.n and cells[f"{title} %"] in (None, "")


@dataclass(frozen=True)
class CountDifference:
    """A difference of counts: signed on the page, a number in the export's points column."""

    difference: int

    def page(self, text):
        return text == f"{self.difference:+d}"

    def exported(self, title, cells):
        return _number(cells[f"{title} (points)"]) == self.difference


@dataclass(frozen=True)
class NoDifference:
    """A difference not read as a number because a rate is too few to judge: said so on the page and the export."""

    def page(self, text):
        return text == "too few to judge"

    def exported(self, title, cells):
        return cells[f"{title} (points)"] == "too few to judge"


# (table, a cell that picks the row, column title: "title#2" for its second occurrence) → the figure counted by hand.
DASHBOARD = {
    ("summary", "Recorded the same or next working day", "Count"): Count(3),
    ("summary", "Recorded the same or next working day", "Rate"): TooFew(3, 4, "75.0"),
    ("summary", "Feedback within five working days", "Rate"): TooFew(1, 4, "25.0"),
    ("summary", "Dip samples done", "Rate"): TooFew(1, 4, "25.0"),
    ("summary", "Cases live when assessed", "Rate"): TooFew(4, 4, "100.0"),
    ("summary", "Answers fully met", "Count"): Count(13),
    ("summary", "Answers fully met", "Out of"): Count(16),
    ("summary", "Answers fully met", "Rate"): Shown("81.3", 16),
    ("summary", "Answers not met", "Rate"): Shown("12.5", 16),
    ("summary", "Answers not met – other", "Rate"): Shown("6.3", 16),
    ("summary", "IQAs with action required", "Count"): Count(0),
    ("activities", "Advice", "IQAs"): Count(2),
    ("activities", "Advice", "Dip samples done"): Count(1),
    ("activities", "Advice", "Dip sample rate"): TooFew(1, 2, "50.0"),
    ("activities", "Advice", "Meets the 10% target"): Text("yes"),
    ("activities", "Advice", "Fully met rate"): TooFew(3, 4, "75.0"),
    ("activities", "Charging and review", "IQAs"): Count(2),
    ("activities", "Charging and review", "Dip samples needed for 10%"): Count(1),
    ("activities", "Charging and review", "Meets the 10% target"): Text("no"),
    ("activities", "Charging and review", "Fully met rate"): Shown("83.3", 12),
    ("activities", "Case progression", "IQAs"): Count(0),
    ("questions", "Q1", "Answers not N/A"): Count(2),
    ("questions", "Q1", "Fully met"): TooFew(1, 2, "50.0"),
    ("questions", "Q1", "Not met"): TooFew(1, 2, "50.0"),
    ("questions", "Q3", "Not met – other"): TooFew(1, 2, "50.0"),
    ("questions", "Q4", "Not met"): TooFew(1, 2, "50.0"),
    ("questions", "Q8", "Fully met"): TooFew(2, 2, "100.0"),
    ("question_trend", "Q1 (Advice)", Q2.label): TooFew(0, 1, "0.0"),
    ("question_trend", "Q1 (Advice)", Q3.label): TooFew(1, 2, "50.0"),
    ("trend", Q2.label, "Fully met"): TooFew(1, 2, "50.0"),
    ("trend", Q3.label, "Fully met"): Shown("81.3", 16),
    ("reasons", "Q1", "Times"): Count(1),
    ("reasons", "Q1", "Share"): TooFew(1, 2, "50.0"),
    ("reasons", "Q4", "Times"): Count(1),
    ("timing", "1st–10th", "IQAs"): Count(3),
    ("timing", "1st–10th", "Share"): Share("75.0"),
    ("timing", "11th–20th", "IQAs"): Count(1),
    ("timing", "11th–20th", "Share"): Share("25.0"),
    ("timing", "21st–end of month", "IQAs"): Count(0),
    ("timing", "21st–end of month", "Share"): Share("0.0"),
    ("timing", "Month 1", "IQAs in the month"): Count(3),
    ("timing", "Month 1", "Share of the quarter"): Share("75.0"),
    ("timing", "Month 2", "IQAs in the month"): Count(0),
    ("timing", "Month 3", "IQAs in the month"): Count(1),
    ("timing", "Month 3", "Share of the quarter"): Share("25.0"),
    ("leniency", "Q1", "Re-marked answers"): Count(1),
    ("leniency", "Q1", "Assessors' fully met"): Share("100.0"),
    ("leniency", "Q1", "Re-markers' fully met"): Share("0.0"),
    ("leniency", "Q1", "Difference"): Points("+100.0"),
    ("leniency", "Q1", "Assessor's answer too lenient"): Share("100.0"),
    ("leniency", "All questions", "Re-marked answers"): Count(1),
}
CONSISTENCY = {
    ("consistency", "Dana Assessor", "Fully met"): TooFew(3, 4, "75.0"),
    ("consistency", "Dana Assessor", "Unit#2"): Shown("81.3", 16),
    ("consistency", "Dana Assessor", "Area#2"): Shown("81.3", 16),
    ("consistency", "Dana Assessor", "IQAs"): Count(2),
    ("consistency", "Dana Assessor", "Dip sampled"): TooFew(1, 2, "50.0"),
    ("consistency", "Dana Assessor", "Re-marked answers"): Count(1),
    ("consistency", "Dana Assessor", "Too lenient"): TooFew(1, 1, "100.0"),
    ("consistency", "Dana Assessor", "Too robust"): TooFew(0, 1, "0.0"),
    ("consistency", "Eli Examiner", "Fully met"): Shown("83.3", 12),
    ("consistency", "Eli Examiner", "IQAs"): Count(2),
    ("consistency", "Eli Examiner", "Dip sampled"): TooFew(0, 2, "0.0"),
    ("consistency", "Eli Examiner", "Re-marked answers"): Count(0),
}
DIFFERENCE = f"{Q3.label} − {Q2.label}"
COMPARE = {
    ("compare", "IQAs", Q2.label): CountInRate(1),
    ("compare", "IQAs", Q3.label): CountInRate(4),
    ("compare", "IQAs", DIFFERENCE): CountDifference(3),
    ("compare", "Recorded on time", Q2.label): TooFew(1, 1, "100.0"),
    ("compare", "Recorded on time", Q3.label): TooFew(3, 4, "75.0"),
    ("compare", "Fully met", Q2.label): TooFew(1, 2, "50.0"),
    ("compare", "Fully met", Q3.label): Shown("81.3", 16),
    ("compare", "Fully met", DIFFERENCE): NoDifference(),
    ("compare", "Not met – other", Q3.label): Shown("6.3", 16),
    ("compare_questions", "Q1 (Advice)", Q2.label): TooFew(0, 1, "0.0"),
    ("compare_questions", "Q1 (Advice)", Q3.label): TooFew(1, 2, "50.0"),
}


def _page_cell(table, key, column):
    title, _, occurrence = column.partition("#")
    index = [index for index, name in enumerate(table.columns) if name == title][int(occurrence or 1) - 1]
    rows = [row for row in table.rows if key in row]
    assert len(rows) == 1, f"{table.name}: {len(rows)} rows hold {key!r}"
    return rows[0][index]


def _export_cells(rows, key) -> dict:
    header, *body = rows
    matching = [row for row in body if key in [("" if value is None else str(value)) for value in row]]
    assert len(matching) == 1, f"{len(matching)} exported rows hold {key!r}"
    return dict(zip(header, matching[0], strict=True))


def _assert_figures(expected, shown, *, client=None, page="", params=None):
    """Each hand-counted figure on the page and, given the client, in its CSV and its XLSX."""
    for (name, key, column), figure in expected.items():
        text = _page_cell(shown[name], key, column)
        assert figure.page(text), f"{page} {name} / {key} / {column}: the page shows {text!r}, counted {figure}"
    if client is None:
        return
    for name in {name for name, _, _ in expected}:
        for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
            rows = read(export(client, page, name, fmt, params))
            for (table, key, column), figure in expected.items():
                if table == name:
                    cells = _export_cells(rows, key)
                    title = column.partition("#")[0]
                    assert figure.exported(title, cells), f"{page} {fmt} {name} / {key} / {column}: {cells}, {figure}"


def _ids(rows) -> list[int]:
    return [int(row[0]) for row in rows]


def test_every_page_its_exports_and_the_pack_give_the_hand_counted_figures(client, performance_viewer, hand_made):
    client.force_login(performance_viewer)
    quarter = {"period": Q3.label}

    dashboard = page_tables(client.get(reverse("reporting:dashboard"), quarter))
    _assert_figures(DASHBOARD, dashboard, client=client, page="dashboard", params=quarter)
    summary = {row[0].split(" against")[0]: row for row in dashboard["summary"].rows}
    assert (summary["Office-based IQAs done"][1], summary["Court-based IQAs done"][1]) == ("4", "0")

    consistency = page_tables(client.get(reverse("reporting:consistency"), quarter))
    assert [row[2] for row in consistency["consistency"].rows] == ["Eli Examiner", "Dana Assessor"]  # by rate
    _assert_figures(CONSISTENCY, consistency, client=client, page="consistency", params=quarter)

    periods = {"dimension": "period", "periods": f"{Q2.label},{Q3.label}"}
    compare = page_tables(client.get(reverse("reporting:compare"), periods))
    _assert_figures(COMPARE, compare, client=client, page="compare", params=periods)

    expected_ids = [hand_made[name].pk for name in ("i4", "i3", "i2", "i1")]  # the latest work first
    for params, ids in ((quarter, expected_ids), ({**quarter, "what": "late"}, [hand_made["i2"].pk])):
        drilldown = page_tables(client.get(reverse("reporting:drilldown"), params))["drilldown"]
        assert _ids(drilldown.rows) == ids
        assert _ids(csv_rows(export(client, "drilldown", "drilldown", "csv", params))[1:]) == ids
        assert _ids(xlsx_rows(export(client, "drilldown", "drilldown", "xlsx", params))[1:]) == ids

    pack = page_tables(client.get(reverse("reporting:committee_pack"), quarter))
    _assert_figures(DASHBOARD, pack, page="pack")
    _assert_figures(CONSISTENCY, pack, page="pack")
