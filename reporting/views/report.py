"""What every reporting page starts from (`Report`: the viewer's filters, the period, the IQAs in scope and what
the figures are read from), and the context every page shares."""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from assessments.models import Assessment
from assessments.selectors import in_period
from organisation.models import Role, Team
from qa_platform import periods
from reporting import facts, figures, selectors
from reporting.filters import ReportFilter

PAGE_SIZE = 50
TREND_QUARTERS = 4
DRILL_PARAMETERS = ("question", "answer", "reason", "what")
FILTER_PARAMETERS = ("period", "area", "unit", "team", "assessor", "activity", "sensitive_category", "court")


@dataclass
class Report:
    """What every reporting page starts from: the viewer's filters, the period and the IQAs in scope."""

    request: object
    filter: ReportFilter
    period: periods.Period
    assessments: QuerySet[Assessment]  # scoped and filtered, any period

    @property
    def in_period(self) -> QuerySet[Assessment]:
        return in_period(self.assessments, self.period)

    def timing(self) -> figures.Timing:
        """Annex C: the IQAs recorded in the period, by when they were recorded (not the date of the work)."""
        return facts.timing(self.source, self.period)

    @cached_property
    def quarters(self) -> list[periods.Period]:
        """The recent quarters the trend covers, up to the end of the period."""
        return periods.recent_quarters(TREND_QUARTERS, self.period.end)

    @cached_property
    def questions_and_trend(self) -> tuple[list, list, dict]:
        """Each question's results in the period, its fully met rate per recent quarter, and the overall rate per
        quarter summed from them: the dashboard's question and trend tables and their charts, computed once."""
        questions, trends = facts.questions_and_trend(self.source, self.period, self.quarters)
        return questions, trends, figures.overall_trend(trends, self.quarters)

    def trend(self, quarters: list[periods.Period]) -> tuple[list, dict]:
        """Each question's fully met rate per quarter, and the overall rate per quarter."""
        if quarters == self.quarters:
            return self.questions_and_trend[1:]
        trends = facts.question_trend(self.source, quarters)
        return trends, figures.overall_trend(trends, quarters)

    @cached_property
    def source(self):
        """What the figures are read from (reporting.facts): the facts when they serve the filters, else the IQAs."""
        return facts.for_report(self) or self.assessments

    @cached_property
    def _filter_params(self) -> dict:
        # Only the filters that held: a refused one (outside the purview, say) is not carried into links.
        refused = self.filter.form.errors if self.filter.is_bound else {}
        params = {
            name: self.request.GET[name]
            for name in FILTER_PARAMETERS
            if self.request.GET.get(name) and name not in refused
        }
        params["period"] = self.period.label
        return params

    def filter_query(self, **extra) -> str:
        extra = {name: value for name, value in extra.items() if value not in (None, "")}
        return urlencode({**self._filter_params, **extra})

    @cached_property
    def _drilldown_url(self) -> str:
        return reverse("reporting:drilldown")

    def drill(self, **extra) -> str:
        """A link to the IQAs behind a figure (a dashboard links a few hundred)."""
        return f"{self._drilldown_url}?{self.filter_query(**extra)}"

    def teams(self) -> QuerySet[Team]:
        """The teams the proxy target is for: the purview, narrowed by the area, unit or team filter."""
        return Team.objects.filter(pk__in=self.filter.chosen_team_ids())


def build_report(request) -> Report:
    selectors.require_reporting(request.user)
    report_filter = ReportFilter.for_purview(request.GET or None, request.user, Role.PERFORMANCE_VIEWER)
    return Report(request, report_filter, report_filter.chosen_period(), report_filter.qs)


def quick_periods(today=None) -> list[tuple[str, periods.Period]]:
    this = periods.this_quarter(today)
    year = periods.business_year(periods.business_year_of(this.start))
    return [
        ("this quarter", this),
        ("last quarter", periods.last_quarter(today)),
        ("same quarter last year", periods.same_period_last_year(this)),
        ("this business year", year),
        ("last business year", periods.previous(year)),
    ]


def page_context(report: Report, page: str, tables_: list, **extra) -> dict:
    return {
        "page": page,
        "filter": report.filter,
        "period": report.period,
        "quick_periods": quick_periods(),
        "tables": tables_,
        "query": report.filter_query(),
        "full_query": report.request.GET.urlencode(),
        **extra,
    }
